"""The walking skeleton end to end: kubectl apply -> operator -> store -> leading beat -> Redis ->
worker -> run history -> the resource's status, all real processes."""

import time
from pathlib import Path

import yaml

import resources
import stack

EXAMPLE = Path(__file__).resolve().parents[2] / "manifests" / "examples" / "echo-every-5s.yaml"


def test_applied_example_runs_and_kubectl_shows_the_result(
    make_installation, namespace, database_url
):
    install = make_installation(database_url)
    stack.start(install)
    body = yaml.safe_load(EXAMPLE.read_text())
    body["metadata"]["namespace"] = namespace
    done = resources.apply(install, body)
    assert done.returncode == 0, done.stderr

    status = stack.eventually(
        lambda: (
            (s := resources.status(install, namespace, "echo-every-5s")).get("lastResult")
            == "Succeeded"
            and s
        ),
        30,
        "lastResult Succeeded",
    )
    assert status["lastScheduleTime"] and status["nextScheduleTime"] > status["lastScheduleTime"]
    assert status["schedule"] == "every 5s"
    meta = resources.get(install, namespace, "echo-every-5s")["metadata"]
    assert "taskfleet.dev/schedule" in meta["finalizers"]
    assert {c["type"]: c["status"] for c in status["conditions"]} == {
        "Valid": "True",
        "Ready": "True",
    }

    table = install.kubectl("get", "st", "-n", namespace)
    header, row = table.splitlines()[:2]
    assert header.split()[:4] == ["NAME", "SCHEDULE", "TIMEZONE", "SUSPEND"]
    assert "LAST SCHEDULE" in header and "NEXT SCHEDULE" in header and "LAST RESULT" in header
    assert "echo-every-5s" in row and "Succeeded" in row and status["nextScheduleTime"] in row

    run = stack.scheduled_runs(install, f"{namespace}/echo-every-5s")[0]
    assert run.task_name == "taskfleet.echo" and run.state == "SUCCESS"
    assert run.due_at is not None and int(run.due_at.timestamp()) % 5 == 0


def test_changes_take_effect_without_restarts_and_delete_leaves_nothing(
    make_installation, namespace
):
    install = make_installation()
    processes = stack.start(install)
    key = f"{namespace}/tick"
    resources.apply(
        install, resources.scheduled_task("tick", namespace, schedule={"interval": "1s"})
    )
    stack.eventually(lambda: len(stack.scheduled_runs(install, key)) >= 2, 30, "runs every second")

    # A much longer interval: at most a fire already in flight, then silence.
    resources.apply(
        install, resources.scheduled_task("tick", namespace, schedule={"interval": "1h"})
    )
    stack.eventually(
        lambda: resources.status(install, namespace, "tick").get("schedule") == "every 1h",
        15,
        "the new schedule on the status",
    )
    settled = len(stack.scheduled_runs(install, key))
    time.sleep(3)
    assert len(stack.scheduled_runs(install, key)) == settled

    # Back to every second, then suspended: firing stops, the store holds no due time.
    resources.apply(
        install, resources.scheduled_task("tick", namespace, schedule={"interval": "1s"})
    )
    stack.eventually(
        lambda: len(stack.scheduled_runs(install, key)) >= settled + 2, 30, "firing again"
    )
    resources.apply(
        install,
        resources.scheduled_task("tick", namespace, schedule={"interval": "1s"}, suspend=True),
    )
    store = stack.schedule_store(install)
    stack.eventually(
        lambda: store.get(key) is not None and store.get(key).suspend, 15, "suspended entry"
    )
    assert store.next_due([key]) == {key: None}
    suspended = len(stack.scheduled_runs(install, key))
    time.sleep(3)
    assert len(stack.scheduled_runs(install, key)) <= suspended + 1  # one already published may run
    ready = {c["type"]: c for c in resources.status(install, namespace, "tick")["conditions"]}[
        "Ready"
    ]
    assert (ready["status"], ready["reason"]) == ("False", "Suspended")

    install.kubectl("delete", "st", "tick", "-n", namespace, "--timeout=30s")
    assert store.get(key) is None
    assert list(store.keys()) == []
    assert all(p.alive() for p in processes.values()), "nothing was restarted or crashed"


def test_operator_picks_up_what_changed_while_it_was_down(make_installation, namespace):
    install = make_installation()
    store = stack.schedule_store(install)
    from datetime import UTC, datetime

    from taskfleet.worker import schedules
    from taskfleet.worker import store as store_module

    ghost = store_module.Entry(
        key=f"{namespace}/ghost",
        uid="gone",
        task="taskfleet.echo",
        schedule=schedules.Schedule(interval_seconds=3600),
    )
    store.put(ghost, datetime.now(UTC))  # its resource was deleted while the operator was down
    stack.start(install, operator=False)
    resources.apply(install, resources.scheduled_task("late", namespace))
    time.sleep(2)
    assert store.get(f"{namespace}/late") is None

    install.operator().start()
    stack.eventually(
        lambda: resources.status(install, namespace, "late").get("lastResult") == "Succeeded",
        30,
        "the resource created while the operator was down to run",
    )
    assert store.get(f"{namespace}/ghost") is None


def test_unknown_time_zone_is_marked_invalid_with_an_event_and_never_scheduled(
    make_installation, namespace
):
    install = make_installation()
    stack.start(install)
    body = resources.scheduled_task(
        "mars", namespace, schedule={"cron": "* * * * *"}, timeZone="Mars/Olympus"
    )
    assert resources.apply(install, body).returncode == 0  # well-formed: the API server accepts it

    def invalid():
        conditions = resources.status(install, namespace, "mars").get("conditions") or []
        return next(
            (c for c in conditions if c["type"] == "Valid" and c["status"] == "False"), None
        )

    condition = stack.eventually(invalid, 20, "Valid=False")
    assert condition["reason"] == "InvalidSpec"
    assert "spec.timeZone: unknown time zone 'Mars/Olympus'" in condition["message"]
    events = install.kubectl(
        "get",
        "events",
        "-n",
        namespace,
        "--field-selector",
        "involvedObject.name=mars,reason=InvalidSpec",
        "-o",
        "json",
    )
    messages = [e["message"] for e in yaml.safe_load(events)["items"]]
    assert any("spec.timeZone" in m for m in messages), messages
    assert stack.schedule_store(install).get(f"{namespace}/mars") is None

    # Fixing the zone schedules it.
    body["spec"]["timeZone"] = "Europe/Paris"
    resources.apply(install, body)
    stack.eventually(
        lambda: stack.schedule_store(install).get(f"{namespace}/mars") is not None,
        20,
        "the fixed resource scheduled",
    )
