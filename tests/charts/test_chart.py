"""The chart rendered by real helm: lint, schema, and the RBAC each component gets."""

import subprocess
from pathlib import Path

import pytest
import yaml

from taskfleet.local import servers

REPO = Path(__file__).resolve().parents[2]
CHART = REPO / "charts" / "taskfleet"


def helm(local_settings, *args):
    return subprocess.run(
        [servers.tool(local_settings, "helm"), *args], capture_output=True, text=True, check=False
    )


def render_chart(local_settings, *values, show_only=None):
    args = ["template", "taskfleet", str(CHART), "--namespace", "tf", *values]
    if show_only:
        args += ["--show-only", show_only]
    done = helm(local_settings, *args)
    assert done.returncode == 0, done.stderr
    return [d for d in yaml.safe_load_all(done.stdout) if d]


def by_kind(docs, kind):
    return {d["metadata"]["name"]: d for d in docs if d["kind"] == kind}


def test_lint(local_settings):
    done = helm(local_settings, "lint", "--strict", str(CHART))
    assert done.returncode == 0, done.stdout + done.stderr


def test_unknown_value_is_refused_naming_it(local_settings):
    done = helm(local_settings, "template", "t", str(CHART), "--set", "operator.watchNamespace=x")
    assert done.returncode != 0
    assert "additional properties 'watchNamespace' not allowed" in done.stderr


class TestRbac:
    def test_cluster_wide_operator_by_default(self, local_settings):
        docs = render_chart(local_settings, show_only="templates/rbac/rbac-operator.yaml")
        bindings = by_kind(docs, "ClusterRoleBinding")
        assert set(bindings) == {"taskfleet-operator", "taskfleet-operator-cluster"}
        assert bindings["taskfleet-operator"]["subjects"] == [
            {"kind": "ServiceAccount", "name": "taskfleet-operator", "namespace": "tf"}
        ]
        assert by_kind(docs, "RoleBinding") == {}

    def test_watched_namespaces_get_role_bindings_only(self, local_settings):
        docs = render_chart(
            local_settings,
            "--set-json",
            'operator.watchNamespaces=["a","b"]',
            show_only="templates/rbac/rbac-operator.yaml",
        )
        assert set(by_kind(docs, "ClusterRoleBinding")) == {"taskfleet-operator-cluster"}
        namespaces = sorted(d["metadata"]["namespace"] for d in docs if d["kind"] == "RoleBinding")
        assert namespaces == ["a", "b"]

    def test_operator_cannot_touch_secrets_or_delete(self, local_settings):
        role = by_kind(render_chart(local_settings), "ClusterRole")["taskfleet-operator"]
        verbs = {v for rule in role["rules"] for v in rule["verbs"]}
        resources = {r for rule in role["rules"] for r in rule["resources"]}
        assert "delete" not in verbs and "*" not in verbs
        assert resources == {"scheduledtasks", "scheduledtasks/status", "events"}

    def test_beat_holds_only_leases_in_its_namespace(self, local_settings):
        docs = render_chart(local_settings, show_only="templates/rbac/rbac-beat.yaml")
        role = by_kind(docs, "Role")["taskfleet-beat"]
        assert role["metadata"]["namespace"] == "tf"
        assert role["rules"] == [
            {
                "apiGroups": ["coordination.k8s.io"],
                "resources": ["leases"],
                "verbs": ["get", "create", "update"],
            }
        ]


@pytest.mark.parametrize("component", ["operator", "beat", "worker", "api"])
def test_every_component_has_its_own_service_account(local_settings, component):
    accounts = by_kind(render_chart(local_settings), "ServiceAccount")
    account = accounts[f"taskfleet-{component}"]
    assert account["metadata"]["labels"]["app.kubernetes.io/component"] == component
    # Only components that talk to the API server carry a token.
    assert account["automountServiceAccountToken"] is (component in ("operator", "beat"))


def test_crds_ship_with_the_chart(local_settings):
    done = helm(local_settings, "show", "crds", str(CHART))
    assert "name: scheduledtasks.taskfleet.dev" in done.stdout
