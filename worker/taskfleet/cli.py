"""The ``taskfleet`` command: run one component, or the whole stack locally.

Components are imported only by the subcommand that runs them, so ``taskfleet worker`` never
loads FastAPI and ``taskfleet api`` never loads kopf.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path


def _operator(_: argparse.Namespace, __: list[str]) -> int:
    from taskfleet.operator import running  # noqa: PLC0415 - load kopf only when asked

    running.main()
    return 0


def _worker(_: argparse.Namespace, rest: list[str]) -> int:
    from taskfleet.worker.app import app  # noqa: PLC0415

    app.worker_main(["worker", "--loglevel=INFO", *rest])
    return 0


def _beat(_: argparse.Namespace, rest: list[str]) -> int:
    from taskfleet.worker.app import app  # noqa: PLC0415

    app.start(["beat", "--loglevel=INFO", *rest])
    return 0


def _api(args: argparse.Namespace, _: list[str]) -> int:
    import uvicorn  # noqa: PLC0415

    from taskfleet.api import deps  # noqa: PLC0415

    config = deps.get_settings()
    uvicorn.run(
        "taskfleet.api.main:app",
        host=args.host or config.host,
        port=args.port or config.port,
        log_level="info",
    )
    return 0


def _dev_up(args: argparse.Namespace, _: list[str]) -> int:
    from taskfleet.local import up  # noqa: PLC0415

    return up.run(workdir=args.workdir, repo=args.repo, api_port=args.api_port)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with a help text for every subcommand."""
    parser = argparse.ArgumentParser(
        prog="taskfleet",
        description="Scheduled and background Celery tasks as a Kubernetes-native platform. "
        "Settings come from TASKFLEET_* environment variables (see README).",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    sub.add_parser("operator", help="run the ScheduledTask operator (kopf)").set_defaults(
        run=_operator
    )
    worker = sub.add_parser(
        "worker", help="run a Celery worker; extra arguments go to `celery worker`"
    )
    worker.set_defaults(run=_worker)
    beat = sub.add_parser(
        "beat", help="run a beat replica (leader-elected); extra arguments go to `celery beat`"
    )
    beat.set_defaults(run=_beat)
    api = sub.add_parser("api", help="serve the REST API")
    api.add_argument("--host", help="address to listen on (default TASKFLEET_HOST or 0.0.0.0)")
    api.add_argument("--port", type=int, help="port to listen on (default TASKFLEET_PORT or 8000)")
    api.set_defaults(run=_api)
    dev = sub.add_parser("dev", help="the embedded local stack").add_subparsers(
        dest="dev_command", required=True, metavar="DEV_COMMAND"
    )
    up = dev.add_parser(
        "up",
        help="start etcd, kube-apiserver, Redis, SQLite, the operator, beat, a worker and the "
        "API as local processes, apply the examples and show them running (Ctrl-C stops all)",
    )
    up.add_argument(
        "--workdir",
        type=Path,
        default=Path(".taskfleet-dev"),
        help="state, logs and kubeconfigs (default ./.taskfleet-dev, wiped at start)",
    )
    up.add_argument(
        "--repo",
        type=Path,
        default=Path(),
        help="the taskfleet checkout, for manifests/ and charts/ (default: here)",
    )
    up.add_argument("--api-port", type=int, default=8000, help="port of the REST API")
    up.set_defaults(run=_dev_up)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``taskfleet`` console script."""
    parser = build_parser()
    args, rest = parser.parse_known_args(argv)
    if rest and args.command not in ("worker", "beat"):
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    result: int = args.run(args, rest)
    return result


if __name__ == "__main__":
    sys.exit(main())
