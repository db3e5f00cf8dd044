"""The command line run in-process: ``run_cli("score", "dbi_sme", "a.json")`` calls ``cli.main``
with the arguments, stdin given as text or bytes, and stdout / stderr captured (as datasette's
CliRunner does for click). A test then costs milliseconds, not an interpreter's start-up.

The result reads like ``subprocess.CompletedProcess`` (``returncode``, ``stdout``, ``stderr``)
and also gives stdout's bytes (a PDF written to ``-o -``). argparse's own exit (a bad option:
code 2, its usage on stderr) is returned like any other exit code.
"""

from __future__ import annotations

import contextlib
import io
import sys
from dataclasses import dataclass

import cli


@dataclass(frozen=True)
class CliRun:
    returncode: int
    stdout: str
    stderr: str
    stdout_bytes: bytes


def _stream(data: bytes = b"") -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", newline="")


def run_cli(*args: str, stdin: str | bytes | None = None) -> CliRun:
    """``python cli.py ARGS`` in this process; never raises for an exit code."""
    raw_in = stdin.encode("utf-8") if isinstance(stdin, str) else (stdin or b"")
    out, err, given = _stream(), _stream(), _stream(raw_in)
    saved_stdin = sys.stdin
    sys.stdin = given
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = cli.main(list(args))
            except SystemExit as exc:  # argparse: --help, a bad option
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        sys.stdin = saved_stdin
    out.flush()
    err.flush()
    stdout_bytes = out.buffer.getvalue()
    return CliRun(code, stdout_bytes.decode("utf-8", "replace"), err.buffer.getvalue().decode("utf-8", "replace"),
                  stdout_bytes)
