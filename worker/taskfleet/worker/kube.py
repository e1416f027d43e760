"""Kubernetes API clients for components that talk to the API server outside kopf."""

from __future__ import annotations

from typing import cast

from kubernetes import client, config


def api_client(kubeconfig: str | None) -> client.ApiClient:
    """A client from ``kubeconfig``; when it is None, from the pod's ServiceAccount, or outside
    a cluster from the default kubeconfig ($KUBECONFIG or ~/.kube/config), as kubectl would."""
    if kubeconfig:
        return cast(client.ApiClient, config.new_client_from_config(config_file=kubeconfig))  # type: ignore[no-untyped-call]
    configuration = client.Configuration()
    try:
        config.load_incluster_config(client_configuration=configuration)  # type: ignore[no-untyped-call]
    except config.ConfigException:
        return cast(client.ApiClient, config.new_client_from_config())  # type: ignore[no-untyped-call]
    return client.ApiClient(configuration)
