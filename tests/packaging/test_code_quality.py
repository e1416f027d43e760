"""ruff, mypy (strict) and the import-layer contract, run as part of the test suite so the
README's one test command checks everything CI checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


@pytest.mark.parametrize(
    "argv",
    [
        ["ruff", "check", "."],
        ["ruff", "format", "--check", "."],
        ["mypy"],
        ["lint-imports"],
    ],
    ids=["ruff", "ruff-format", "mypy", "import-layers"],
)
def test_clean(argv):
    # import-linter follows the taskfleet namespace through the three source roots.
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(["operator", "worker", "api"])}
    done = subprocess.run(
        [str(BIN / argv[0]), *argv[1:]],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
