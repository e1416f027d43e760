"""The REST API as a real process: health names what is down, task status, bad input is 4xx."""

import httpx
import pytest

import resources
import stack
from taskfleet.local import processes


@pytest.fixture
def api(make_installation, namespace):
    install = make_installation()
    port = processes.free_port()
    process = install.api(port).start()
    base = f"http://127.0.0.1:{port}"
    process.wait_ready(lambda: httpx.get(f"{base}/livez").status_code == 200, 30)
    return install, base


def test_health_status_and_history(api, namespace):
    install, base = api
    health = httpx.get(f"{base}/healthz")
    assert health.status_code == 200
    assert health.json() == {"status": "ok", "broker": "ok", "database": "ok"}

    stack.start(install)
    resources.apply(install, resources.scheduled_task("echo", namespace, args=["hi"]))
    key = f"{namespace}/echo"
    stack.eventually(
        lambda: any(r.state == "SUCCESS" for r in stack.scheduled_runs(install, key)),
        30,
        "a successful run",
    )
    listed = httpx.get(f"{base}/api/v1/runs", params={"schedule": key}).json()
    done = next(r for r in listed if r["state"] == "SUCCESS")
    assert all(r["started_at"].endswith(("Z", "+00:00")) for r in listed), listed
    status = httpx.get(f"{base}/api/v1/tasks/{done['task_id']}").json()
    assert status["state"] == "SUCCESS" and status["schedule"] == key
    assert status["result"] == {"args": ["hi"], "kwargs": {}}
    assert status["due_at"].endswith(("Z", "+00:00"))


def test_unknown_task_is_404_and_bad_query_is_422(api):
    _, base = api
    missing = httpx.get(f"{base}/api/v1/tasks/no-such-task")
    assert missing.status_code == 404 and "no-such-task" in missing.json()["detail"]
    bad = httpx.get(f"{base}/api/v1/runs", params={"limit": "0"})
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["query", "limit"]
    assert httpx.get(f"{base}/openapi.json").json()["info"]["title"] == "taskfleet"


def test_health_reports_a_down_broker_as_503(make_installation):
    install = make_installation(TASKFLEET_REDIS_URL=f"redis://127.0.0.1:{processes.free_port()}/0")
    port = processes.free_port()
    install.api(port).start().wait_ready(
        lambda: httpx.get(f"http://127.0.0.1:{port}/livez").status_code == 200, 30
    )
    health = httpx.get(f"http://127.0.0.1:{port}/healthz")
    assert health.status_code == 503
    assert health.json() == {"status": "degraded", "broker": "unreachable", "database": "ok"}
