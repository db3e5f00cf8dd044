"""Command line for staff and scripts: ``python cli.py --help``.

Each area registers its own subcommands (``commands/<area>.py``); this file only wires
them together and turns expected errors into a message and exit code 1, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys

AREAS = ["commands.scoring", "commands.recommend", "commands.store", "commands.report"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cli.py", description="SME digital-readiness self-assessment: command line"
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in AREAS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue  # an area not built yet
            raise
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
