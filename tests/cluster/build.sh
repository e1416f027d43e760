#!/usr/bin/env bash
# Builds the pinned control-plane tools the integration tests run: kube-apiserver and kubectl
# from the upstream Kubernetes modules, etcd 3.6, and helm. Binaries go to a cache outside the
# repo ($TASKFLEET_TOOLS_DIR, default ~/.cache/taskfleet/tools) so only the first run pays for
# the build (~10 min cold on 2 cores, seconds warm). Prints the tools directory on success.
set -euo pipefail

K8S_VERSION=v1.36.3
ETCD_VERSION=v3.6.6
HELM_VERSION=v4.3.1

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
tools=${TASKFLEET_TOOLS_DIR:-$HOME/.cache/taskfleet/tools}
mkdir -p "$tools"
export GOFLAGS=-mod=mod
if ! command -v go >/dev/null && [ -x /usr/local/go/bin/go ]; then
  export PATH="/usr/local/go/bin:$PATH"
fi
command -v go >/dev/null || { echo "build.sh: Go 1.26 or newer is needed (https://go.dev/dl)" >&2; exit 1; }

log() { printf '[build.sh %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }

stamp_ok() { [ -x "$tools/$1" ] && [ "$(cat "$tools/$1.version" 2>/dev/null)" = "$2" ]; }

build_kube() {
  local minor=${K8S_VERSION#v1.}; minor=${minor%%.*}
  local ldflags="-s -w -X k8s.io/component-base/version.gitVersion=$K8S_VERSION
    -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$minor
    -X k8s.io/client-go/pkg/version.gitVersion=$K8S_VERSION
    -X k8s.io/client-go/pkg/version.gitMajor=1 -X k8s.io/client-go/pkg/version.gitMinor=$minor"
  for cmd in kube-apiserver kubectl; do
    stamp_ok "$cmd" "$K8S_VERSION" && continue
    log "building $cmd $K8S_VERSION (cold: several minutes)"
    (cd "$here/kube" && go build -ldflags "$ldflags" -o "$tools/$cmd" "k8s.io/kubernetes/cmd/$cmd")
    echo "$K8S_VERSION" > "$tools/$cmd.version"
  done
}

build_etcd() {
  stamp_ok etcd "$ETCD_VERSION" && return
  log "building etcd $ETCD_VERSION"
  (cd "$here/etcd" && go build -ldflags "-s -w" -o "$tools/etcd" go.etcd.io/etcd/server/v3)
  echo "$ETCD_VERSION" > "$tools/etcd.version"
}

build_helm() {
  stamp_ok helm "$HELM_VERSION" && return
  log "building helm $HELM_VERSION"
  GOBIN="$tools" GOFLAGS= go install -ldflags "-s -w -X helm.sh/helm/v4/internal/version.version=$HELM_VERSION" \
    "helm.sh/helm/v4/cmd/helm@$HELM_VERSION"
  echo "$HELM_VERSION" > "$tools/helm.version"
}

build_etcd
build_kube
build_helm
echo "$tools"
