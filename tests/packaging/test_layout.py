"""The three component folders are source roots of one `taskfleet` namespace: plain and editable
installs and pytest all import the components, and `operator` is always the standard library."""

import operator
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
STDLIB = Path(sysconfig.get_paths()["stdlib"])
PROBE = (
    "import operator, collections, json, taskfleet.worker.app, taskfleet.operator.handlers, "
    "taskfleet.api.main, taskfleet.cli;"
    "print(operator.__file__);"
    "print(taskfleet.worker.app.__file__, taskfleet.operator.handlers.__file__,"
    " taskfleet.api.main.__file__)"
)


def probe(*args, cwd):
    done = subprocess.run(
        [sys.executable, *args, "-c", PROBE], cwd=cwd, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    stdlib_operator, components = done.stdout.splitlines()
    return Path(stdlib_operator), [Path(p) for p in components.split()]


def test_pytest_from_the_repo_root_sees_the_standard_library_operator():
    assert Path(operator.__file__).parent == STDLIB
    assert callable(operator.itemgetter)


def test_editable_install_imports_the_components_from_anywhere(tmp_path):
    for cwd in (REPO, tmp_path):
        stdlib_operator, components = probe(cwd=cwd)
        assert stdlib_operator.parent == STDLIB
        assert all(REPO in p.parents for p in components), components


def test_plain_install_imports_the_components(tmp_path):
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--quiet",
            "-w",
            str(tmp_path / "dist"),
            str(REPO),
        ],
        check=True,
    )
    wheel = next((tmp_path / "dist").glob("taskfleet-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert not [n for n in names if n.startswith("operator/")], "a top-level operator package"
    assert "taskfleet/__init__.py" not in names
    assert {
        "taskfleet/operator/handlers.py",
        "taskfleet/worker/app.py",
        "taskfleet/api/main.py",
        "taskfleet/cli.py",
    } <= set(names)
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--quiet",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
    )
    # -S: no site hooks, so the editable install of this checkout cannot answer the imports.
    site_packages = sysconfig.get_paths()["purelib"]
    setup = f"import sys; sys.path[1:1] = [{str(target)!r}, {site_packages!r}];"
    done = subprocess.run(
        [sys.executable, "-S", "-c", setup + PROBE],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    stdlib_operator, components = done.stdout.splitlines()
    assert Path(stdlib_operator).parent == STDLIB
    assert all(target in Path(p).parents for p in components.split()), components


def test_console_script_helps():
    done = subprocess.run(
        [Path(sys.executable).parent / "taskfleet", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    for command in ("operator", "worker", "beat", "api", "dev"):
        assert command in done.stdout
