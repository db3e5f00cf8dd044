"""``db``, ``user``, ``demo-data`` and ``export``: the storage commands.

Each takes ``--url`` (default: ``DATABASE_URL``, then ``.streamlit/secrets.toml``, then
``data/app.db``). Expected failures print one line on stderr and exit 1.
"""

from __future__ import annotations

import argparse
import getpass
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlalchemy.exc import OperationalError, SQLAlchemyError

from commands.scoring import CommandError, resolve_questionnaire
from scoring.loader import QuestionnaireError
from store import Filters, Store, StoreError, open_store
from store.db import make_engine, resolve_url
from store.export import FORMATS
from store.records import ROLES, ROUNDS

Handler = Callable[[argparse.Namespace], int]


def guarded(func: Handler) -> Handler:
    def run(args: argparse.Namespace) -> int:
        try:
            return func(args) or 0
        except (StoreError, CommandError) as exc:
            print(f"error: {exc}", file=sys.stderr)
        except QuestionnaireError as exc:
            for problem in exc.problems:
                print(problem, file=sys.stderr)
        except OperationalError as exc:
            print(f"error: cannot use the database: {str(exc.orig).strip().splitlines()[0]}", file=sys.stderr)
        except SQLAlchemyError as exc:
            print(f"error: database: {str(getattr(exc, 'orig', exc) or exc).strip().splitlines()[0]}", file=sys.stderr)
        except OSError as exc:
            print(f"error: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return 1

    return run


def _url(args: argparse.Namespace) -> str:
    return resolve_url(args.url)


def _safe(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


# ---------------------------------------------------------------- db


def cmd_db(args: argparse.Namespace) -> int:
    from store import migrate

    url = _url(args)
    engine = make_engine(url)
    try:
        if args.action == "upgrade":
            migrate.upgrade(engine, args.revision or "head")
        elif args.action == "downgrade":
            if not args.revision:
                raise CommandError("downgrade needs a revision, e.g. `db downgrade base` or `db downgrade -1`")
            migrate.downgrade(engine, args.revision)
        current = migrate.current_revision(engine)
        head = migrate.head_revision()
        state = "current" if current == head else f"head is {head}"
        if current is not None and current == head and args.action == "upgrade":
            Store(url, migrate=False).close()  # rebuilds the summaries a migration left stale
        print(f"{_safe(url)}: revision {current or 'none (empty)'} ({state})")
    finally:
        engine.dispose()
    return 0


# ---------------------------------------------------------------- user


def read_password(prompt: str = "Password: ") -> str:
    """From a prompt (typed twice) on a terminal, else the first line of stdin — never argv,
    where it would show in ``ps`` and the shell history."""
    if sys.stdin.isatty():
        first = getpass.getpass(prompt)
        if getpass.getpass("Again: ") != first:
            raise CommandError("the two passwords differ")
        return first
    line = sys.stdin.readline()
    if not line:
        raise CommandError("no password on stdin")
    return line.rstrip("\r\n")


def cmd_user(args: argparse.Namespace) -> int:
    store = open_store(_url(args))
    if args.action == "add":
        user = store.add_user(args.name, read_password(), args.role)
        print(f"user {user.username} ({user.role}) added")
    elif args.action == "passwd":
        user = store.set_password(args.name, read_password("New password: "))
        print(f"password of {user.username} changed")
    elif args.action == "unlock":
        user = store.unlock(args.name)
        print(f"{user.username} unlocked")
    else:
        for user in store.list_users():
            locked = f", locked until {user.locked_until:%Y-%m-%d %H:%M} UTC" if store.is_locked(user.username) else ""
            print(f"{user.username}\t{user.role}{locked}")
    return 0


# ---------------------------------------------------------------- demo-data


def cmd_demo(args: argparse.Namespace) -> int:
    from store.demo import generate

    if args.n < 0:
        raise CommandError("--n must be 0 or more")
    questionnaire = resolve_questionnaire(args.questionnaire)
    store = open_store(_url(args))
    started = time.perf_counter()

    def progress(done: int, total: int) -> None:
        rate = done / max(time.perf_counter() - started, 1e-9)
        print(f"\r{done:,}/{total:,} assessments ({rate:,.0f}/s)", end="", file=sys.stderr, flush=True)

    summary = generate(store, questionnaire, args.n, args.seed, progress=progress if sys.stderr.isatty() else None)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print(
        f"{summary.n:,} demo assessments of {questionnaire.id} v{questionnaire.version} in {_safe(store.url)}: "
        f"{summary.submitted:,} submitted, {summary.drafts:,} drafts, {summary.follow_ups:,} follow-ups, "
        f"{summary.workshops} workshops ({summary.seconds:.1f} s)"
    )
    return 0


# ---------------------------------------------------------------- export


def _choices(values: list[str] | None) -> tuple[str, ...] | None:
    """Repeated options and comma lists both work: --province ha_noi,hue --province can_tho."""
    if not values:
        return None
    out = tuple(part.strip() for value in values for part in value.split(",") if part.strip())
    return out or None


def _date(value: str | None, flag: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{flag} {value!r}: expected a date like 2025-01-31") from None


def filters_from_args(args: argparse.Namespace, store: Store | None = None) -> Filters:
    workshops: list[int] = []
    for value in _choices(args.workshop) or ():
        if value.isdigit():
            workshops.append(int(value))
            continue
        found = store.workshop_by_code(value) if store is not None else None
        if found is None:
            raise CommandError(f"--workshop {value!r}: no workshop has that id or join code")
        workshops.append(found.id)
    return Filters(
        questionnaire_id=_choices(getattr(args, "questionnaire", None)),
        association=_choices(args.association),
        questionnaire_version=_choices(args.version),
        province=_choices(args.province),
        sector=_choices(args.sector),
        size_band=_choices(args.size_band),
        workshop_id=tuple(workshops) or None,
        round=_choices(args.round),
        language=_choices(args.language),
        date_from=_date(args.date_from, "--from"),
        date_to=_date(args.date_to, "--to"),
    )


def cmd_export(args: argparse.Namespace) -> int:
    store = open_store(_url(args))
    filters = filters_from_args(args, store)
    started = time.perf_counter()
    if args.output == "-":
        if args.format == "xlsx":
            raise CommandError("xlsx cannot go to stdout: give -o FILE.xlsx")
        rows = store.export(sys.stdout.buffer, args.format, filters)
        sys.stdout.flush()
        print(f"{rows:,} rows ({time.perf_counter() - started:.1f} s)", file=sys.stderr)
        return 0
    target = Path(args.output)
    if not target.parent.is_dir():
        raise CommandError(f"{target.parent}: no such directory")
    rows = store.export(target, args.format, filters)
    print(f"{rows:,} rows → {target} ({time.perf_counter() - started:.1f} s)", file=sys.stderr)
    return 0


# ---------------------------------------------------------------- rescore


def _ids(values: list[str] | None) -> list[int] | None:
    chosen = _choices(values)
    if chosen is None:
        return None
    out = []
    for value in chosen:
        if not value.isdigit():
            raise CommandError(f"--id {value!r}: expected an assessment id (a whole number)")
        out.append(int(value))
    return out


def cmd_rescore(args: argparse.Namespace) -> int:
    """Score stored assessments again on another version, beside the original figures."""
    target = resolve_questionnaire(args.to)
    store = open_store(_url(args))
    ids = _ids(args.id)
    filters = filters_from_args(args, store)
    filters = Filters(**{**filters.__dict__, "questionnaire_id": None})  # the target names the questionnaire
    if ids is None and filters == Filters() and not args.all:
        raise CommandError("say which assessments: --id, a filter (--version, --province, …) or --all")
    started = time.perf_counter()
    report = store.rescore(target, ids=ids, filters=None if filters == Filters() else filters)
    print(
        f"re-scored {report.rescored:,} of {report.selected:,} assessments on {target.id} v{target.version} "
        f"({report.unchanged_level:,} keep their level; originals unchanged) in {time.perf_counter() - started:.1f} s"
    )
    if report.failed:
        print(f"{report.failed_count:,} could not be re-scored:", file=sys.stderr)
        for assessment_id, why in report.failed[: args.show]:
            print(f"  assessment {assessment_id}: {why}", file=sys.stderr)
        if report.failed_count > args.show:
            print(f"  … and {report.failed_count - args.show:,} more", file=sys.stderr)
        return 2
    return 0


# ---------------------------------------------------------------- wiring


def _filter_options(p: argparse.ArgumentParser, questionnaire: bool = True) -> None:
    if questionnaire:
        p.add_argument("--questionnaire", action="append", metavar="ID")
    p.add_argument("--version", action="append", metavar="VERSION", help="questionnaire version")
    p.add_argument("--province", action="append", metavar="ID", help="repeat or comma-separate for several")
    p.add_argument("--sector", action="append", metavar="LETTER")
    p.add_argument("--size-band", action="append", metavar="BAND")
    p.add_argument("--workshop", action="append", metavar="ID|CODE")
    p.add_argument("--association", action="append", metavar="NAME", help="the workshops this association ran")
    p.add_argument("--round", action="append", choices=ROUNDS)
    p.add_argument("--language", action="append", metavar="LANG")
    p.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD", help="submitted on or after (Vietnam time)")
    p.add_argument("--until" if not questionnaire else "--to", dest="date_to", metavar="YYYY-MM-DD",
                   help="submitted on or before (Vietnam time)")


def _url_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--url", metavar="DATABASE_URL", help="database (default: $DATABASE_URL, secrets.toml, data/app.db)")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("db", help="database migrations: upgrade, downgrade, current")
    p.add_argument("action", choices=["upgrade", "downgrade", "current"])
    p.add_argument("revision", nargs="?", help="target revision (upgrade: default head; downgrade: e.g. base or -1)")
    _url_option(p)
    p.set_defaults(func=guarded(cmd_db))

    p = sub.add_parser("user", help="staff accounts: add, passwd, unlock, list (passwords from a prompt or stdin)")
    p.add_argument("action", choices=["add", "passwd", "unlock", "list"])
    p.add_argument("name", nargs="?", metavar="NAME")
    p.add_argument("--role", choices=ROLES, default=None, help="add: facilitator, programme or admin")
    _url_option(p)

    def user(args: argparse.Namespace) -> int:
        if args.action != "list" and not args.name:
            raise CommandError(f"user {args.action} needs a NAME")
        if args.action == "add" and not args.role:
            raise CommandError(f"user add needs --role ({', '.join(ROLES)})")
        return cmd_user(args)

    p.set_defaults(func=guarded(user))

    p = sub.add_parser("demo-data", help="fill the database with plausible demo assessments (seeded)")
    p.add_argument("--n", type=int, required=True, help="how many assessments")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--questionnaire", default="dbi_sme", help="a bundled id or a YAML path (default dbi_sme)")
    _url_option(p)
    p.set_defaults(func=guarded(cmd_demo))

    p = sub.add_parser(
        "rescore",
        help="score stored assessments again on another questionnaire version (kept beside the originals)",
    )
    p.add_argument("--to", required=True, metavar="QUESTIONNAIRE", help="the version to score on: a bundled id or a YAML path")
    p.add_argument("--id", action="append", metavar="ID", help="assessment ids (repeat or comma-separate)")
    p.add_argument("--all", action="store_true", help="every submitted assessment of that questionnaire")
    p.add_argument("--show", type=int, default=20, help="how many failures to list (default 20)")
    _filter_options(p, questionnaire=False)
    _url_option(p)
    p.set_defaults(func=guarded(cmd_rescore))

    p = sub.add_parser("export", help="consented, submitted results without names: csv, xlsx or parquet")
    p.add_argument("--format", choices=FORMATS, required=True)
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="where to write (- for stdout, csv/parquet)")
    _filter_options(p)
    _url_option(p)
    p.set_defaults(func=guarded(cmd_export))
