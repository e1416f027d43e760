"""The API server itself refuses malformed ScheduledTasks, naming the field."""

import subprocess

import pytest

import resources

CASES = [
    ({"schedule": {"cron": "61 * * * *"}}, "spec.schedule.cron", "5-field cron expression"),
    ({"schedule": {"cron": "* * * *"}}, "spec.schedule.cron", "5-field cron expression"),
    ({"schedule": {"interval": "5 seconds"}}, "spec.schedule.interval", "duration such as"),
    ({"schedule": {"interval": "500ms"}}, "spec.schedule.interval", "at least 1s"),
    (
        {"schedule": {"cron": "* * * * *", "interval": "5s"}},
        "spec.schedule",
        "exactly one of cron or interval",
    ),
    ({"schedule": {}}, "spec.schedule", "exactly one of cron or interval"),
    ({"timeZone": "Not a zone!"}, "spec.timeZone", "IANA time zone"),
    ({"task": ""}, "spec.task", "at least 1 chars long"),
    ({"task": "two words"}, "spec.task", "without spaces"),
    ({"task": True}, "spec.task", "must be of type string"),
    ({"queue": "no spaces please"}, "spec.queue", "queue name"),
]


@pytest.mark.parametrize(
    ("spec", "field", "reason"), CASES, ids=[f"{c[1]}:{i}" for i, c in enumerate(CASES)]
)
def test_malformed_resource_is_refused_naming_the_field(
    make_installation, namespace, spec, field, reason
):
    install = make_installation()
    done = resources.apply(install, resources.scheduled_task("bad", namespace, **spec))
    assert done.returncode != 0, done.stdout
    assert f"{field}:" in done.stderr or f"{field} " in done.stderr, done.stderr
    assert reason in done.stderr, done.stderr
    with pytest.raises(subprocess.CalledProcessError):
        install.kubectl("get", "scheduledtask", "bad", "-n", namespace)


def test_missing_schedule_is_refused(make_installation, namespace):
    install = make_installation()
    body = resources.scheduled_task("bad", namespace)
    del body["spec"]["schedule"]
    done = resources.apply(install, body)
    assert done.returncode != 0
    assert "spec.schedule: Required value" in done.stderr


def test_well_formed_resource_gets_defaults(make_installation, namespace):
    install = make_installation()
    done = resources.apply(install, resources.scheduled_task("good", namespace))
    assert done.returncode == 0, done.stderr
    spec = resources.get(install, namespace, "good")["spec"]
    assert spec["timeZone"] == "UTC"
    assert spec["suspend"] is False
    names = install.kubectl("get", "st", "-n", namespace, "-o", "name")
    assert names.strip() == "scheduledtask.taskfleet.dev/good"
