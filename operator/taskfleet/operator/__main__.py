"""``python -m taskfleet.operator``: run the operator until interrupted."""

from __future__ import annotations

from taskfleet.operator import running

if __name__ == "__main__":
    running.main()
