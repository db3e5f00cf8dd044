"""Command line for staff and scripts: ``python cli.py --help``.

Each area registers its own subcommands (``commands/<area>.py``); this file only wires
them together and turns expected errors into a message and exit code 1, never a traceback.
Anything unexpected still ends in one line on stderr and exit code 70 (``SME_DEBUG=1`` shows
the traceback, for a developer).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

AREAS = ["commands.scoring", "commands.recommend", "commands.store", "commands.report"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cli.py", description="SME digital-readiness self-assessment: command line"
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in AREAS:
        importlib.import_module(name).register(sub)
    return parser


INTERNAL_ERROR = 70  # EX_SOFTWARE: a bug, not bad input


def main(argv: list[str] | None = None) -> int:
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug: one line for the user, the traceback only when asked
        if os.environ.get("SME_DEBUG"):
            raise
        message = str(exc).splitlines()[0][:300] if str(exc) else ""
        print(f"internal error ({type(exc).__name__}{': ' + message if message else ''}); "
              "please report it (SME_DEBUG=1 shows the details)", file=sys.stderr)
        return INTERNAL_ERROR


if __name__ == "__main__":
    sys.exit(main())
