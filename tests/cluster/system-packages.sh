#!/usr/bin/env bash
# Installs the Debian packages the tests and `taskfleet dev up` need, when any is missing:
# redis-server, PostgreSQL (server binaries for throw-away test clusters), openssl (the API
# server's ServiceAccount keys). Needs root and apt-get; otherwise it names what to install and
# fails. Go 1.26 comes with the machine image (Debian's golang-go is too old to build
# Kubernetes 1.36); tests/cluster/build.sh checks for it.
set -euo pipefail

need=()
command -v redis-server >/dev/null || need+=(redis-server)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || need+=(postgresql)
command -v openssl >/dev/null || need+=(openssl)
[ ${#need[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "missing: ${need[*]}; install them with your package manager (Debian: apt-get install ${need[*]})" >&2
  exit 1
fi
echo "installing Debian packages: ${need[*]}" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
