"""Components run with their own ServiceAccount tokens, and RBAC holds them to their Roles."""

import subprocess

import pytest

import resources
from taskfleet.local import servers


def kubectl_as(install, account, *args):
    argv = [
        servers.tool(install.settings, "kubectl"),
        f"--kubeconfig={install.kubeconfigs[account]}",
        *args,
    ]
    return subprocess.run(argv, capture_output=True, text=True, check=False)


def test_operator_token_reaches_only_its_watched_namespace(make_installation, namespace):
    install = make_installation()
    resources.apply(install, resources.scheduled_task("x", namespace))
    assert kubectl_as(install, "operator", "get", "st", "-n", namespace).returncode == 0
    other = kubectl_as(install, "operator", "get", "st", "-n", "default")
    assert other.returncode != 0 and "forbidden" in other.stderr
    secrets = kubectl_as(install, "operator", "get", "secrets", "-n", namespace)
    assert secrets.returncode != 0 and "forbidden" in secrets.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("get", "st", "-n", "{ns}"),
        ("get", "lease", "-n", "default"),
        ("delete", "lease", "beat", "-n", "{ns}"),
        ("get", "pods", "-n", "{ns}"),
    ],
)
def test_beat_token_may_only_hold_its_lease(make_installation, namespace, args):
    install = make_installation()
    done = kubectl_as(install, "beat", *[a.format(ns=namespace) for a in args])
    assert done.returncode != 0 and "forbidden" in done.stderr, done.stderr
    can = kubectl_as(install, "beat", "auth", "can-i", "update", "leases", "-n", namespace)
    assert can.stdout.strip() == "yes"
