"""The command line: `main` is the entry point; the commands live in `app`, rendering in `render`."""

from __future__ import annotations


def main() -> None:
    """Run svcperf."""
    from svcperf.cli.app import run

    run()
