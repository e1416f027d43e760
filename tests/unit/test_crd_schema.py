"""The CRD's cron rule agrees with the cron library the operator and beat use, and the chart
ships the same CRD as manifests/."""

import re
from pathlib import Path

import pytest
import yaml
from croniter import croniter

REPO = Path(__file__).resolve().parents[2]
CRD = REPO / "manifests" / "crds" / "scheduledtasks.taskfleet.dev.yaml"


def spec_schema():
    crd = yaml.safe_load(CRD.read_text())
    return crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["spec"]


def cron_pattern():
    rule = spec_schema()["properties"]["schedule"]["properties"]["cron"][
        "x-kubernetes-validations"
    ][0]["rule"]
    return re.compile(re.search(r'self\.matches\("(.*)"\)', rule).group(1))


@pytest.mark.parametrize(
    "expr",
    [
        "* * * * *",
        "*/5 * * * *",
        "0 3 * * *",
        "0 0 1 * *",
        "0 9-17 * * mon-fri",
        "15,45 */2 1-15 jan-jun 0",
        "@hourly",
        "@daily",
        "@weekly",
        "@monthly",
        "@yearly",
        "0 0 * * 7",
        "0 12 ? * SUN",
    ],
)
def test_accepted_by_the_crd_and_by_croniter(expr):
    assert cron_pattern().match(expr)
    assert croniter.is_valid(expr)


@pytest.mark.parametrize(
    "expr",
    [
        "",
        "* * * *",
        "* * * * * *",
        "61 * * * *",
        "0 24 * * *",
        "0 0 32 * *",
        "0 0 * 13 *",
        "0 0 * * 8",
        "every minute",
        "@every 5m",
    ],
)
def test_refused_by_the_crd(expr):
    assert not cron_pattern().match(expr)


def test_chart_ships_the_same_crd():
    chart_copy = REPO / "charts" / "taskfleet" / "crds" / CRD.name
    assert chart_copy.read_text() == CRD.read_text(), "run `make crds`"
