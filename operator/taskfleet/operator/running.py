"""Starts kopf with taskfleet's handlers and settings."""

from __future__ import annotations

import logging

import kopf

from taskfleet.operator import handlers


def main() -> None:
    """Run the operator in the foreground (standalone: one operator per installation)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    config = handlers.settings_from_env()
    memo = kopf.Memo(config=config)
    kopf.run(
        clusterwide=not config.namespaces,
        namespaces=config.namespaces,
        standalone=True,
        memo=memo,
    )
