"""The README's first command, `make up`, exactly as a person runs it: the whole stack comes up,
the examples run and show Succeeded, the API answers, and Ctrl-C stops every process."""

import json
import re
import signal
import socket
from pathlib import Path

import stack
from taskfleet.local import processes

REPO = Path(__file__).resolve().parents[2]


def port_open(port):
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def test_readme_lists_exactly_the_two_commands():
    readme = (REPO / "README.md").read_text()
    block = readme.split("## Try it", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert commands == ["make up", "make test"]


def test_make_up_brings_everything_up_and_ctrl_c_stops_it(tmp_path):
    api_port = processes.free_port()
    env_args = f"UP_ARGS=--api-port {api_port} --workdir {tmp_path / 'dev'}"
    up = processes.Process("make-up", ["make", "up", env_args], tmp_path / "up.log", cwd=REPO)
    up.start()
    try:
        stack.eventually(
            lambda: "taskfleet is up" in up.log.read_text() or not up.alive(),
            240,
            "`make up` to report the stack up",
        )
        out = up.log.read_text()
        assert "taskfleet is up" in out, out
        table = out.split("kubectl get st -A):", 1)[1]
        row = r"default\s+echo-every-5s\s+every 5s\s+UTC\s+false.*Succeeded"
        assert re.search(row, table), table
        assert "paris-every-minute" in table and "Europe/Paris" in table
        health = re.search(r"/healthz -> (\{.*\})", out).group(1)
        assert json.loads(health) == {"status": "ok", "broker": "ok", "database": "ok"}
        task = json.loads(re.search(r"/api/v1/tasks/\S+ -> (\{.*\})", out).group(1))
        assert task["state"] == "SUCCESS" and task["result"]["args"] == ["hello from taskfleet"]
        apiserver_port = int(re.search(r"API server https://127.0.0.1:(\d+) ready", out).group(1))
        assert port_open(api_port) and port_open(apiserver_port)
    finally:
        up.signal(signal.SIGINT)
        up.popen.wait(60)
    assert "[taskfleet] stopping" in up.log.read_text()
    stack.eventually(
        lambda: not port_open(api_port) and not port_open(apiserver_port),
        30,
        "every server to stop",
    )
