"""The embedded default: taskfleet's whole stack as local processes, with no container engine.

A real etcd and kube-apiserver (built by ``tests/cluster/build.sh``), redis-server, SQLite and
the taskfleet components, each component authenticated with its own ServiceAccount token. The
``taskfleet dev up`` command and the integration tests both start everything through here.
"""
