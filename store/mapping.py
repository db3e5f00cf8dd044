"""A spreadsheet from elsewhere → rows the intake checks: reading the file, mapping its
columns to questions and profile fields, translating what other tools write.

Responses collected outside the app arrive as a table: paper forms typed into a spreadsheet,
a KoboToolbox export (CSV with ``;`` or XLSX; headers such as ``group_x/has_site``; a
multiple choice as option names joined by spaces), a Google Forms CSV (headers are the
question texts; answers are option labels; checkboxes joined by ``, ``; a grid question as a
column per row, ``Question [Row]``; a "Timestamp" column). This module

- reads CSV (any of ``,`` ``;`` tab; UTF-8 or the Windows Vietnamese code page) and XLSX
  (the first sheet) into headers and rows of cells (``read_table``);
- proposes a mapping of each column to a *target*: a profile field, the pooling consent, the
  submission date, a question, or one row of a matrix question (``auto_match``: by id,
  criterion code, label or question text; a header matched twice keeps the first);
- applies a mapping: option labels (vi or en) become option ids, yes/no words become
  ``yes``/``no``, grid columns become one matrix answer, dates are read in Vietnam time, and
  the rows go through ``scoring.intake.read_rows``, the same checks as the workshop's paper
  CSV (``check``). Every bad row is named: the file's row number, the file's own column
  header and why.

Nothing here touches the database (store/imports.py stores the good rows and the mapping).
Firm names are never mapped: the staff pages and exports never show one, so an import does
not store one either.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from scoring.intake import CONSENT, PROVINCE, SECTOR, SIZE, STAFF, IntakeRow, RowProblem, read_rows
from scoring.model import (
    MatrixQuestion,
    MultiQuestion,
    NumberQuestion,
    Question,
    Questionnaire,
    ScaleQuestion,
    TextQuestion,
    YesNoQuestion,
)
from scoring.profile import load_profile_reference

VN = timezone(timedelta(hours=7), "ICT")
DATE = "submitted_on"  # the target of a submission-date column
IGNORE = ""  # a column left out
PROFILE_TARGETS = (SECTOR, SIZE, PROVINCE, STAFF)
DEFAULTABLE = (SECTOR, SIZE, PROVINCE)  # one value for every row when the file has no such column
# rows of one file: the table waits in the staff member's session while they map it (about
# 4 KB a row for a 70-question form), so a bigger batch is split into several files
MAX_ROWS = 20_000
MAX_COLUMNS = 2_000
EARLIEST = date(2000, 1, 1)

# headers other tools (and people) give the profile, consent and date columns; compared
# after ``normalise`` (lower case, no accents, single spaces)
_ALIASES: dict[str, tuple[str, ...]] = {
    SECTOR: ("sector", "nganh", "nganh nghe", "linh vuc", "nganh kinh doanh", "vsic", "industry", "business sector"),
    SIZE: ("size_band", "size", "quy mo", "quy mo doanh nghiep", "firm size", "company size", "size band"),
    PROVINCE: ("province", "tinh", "tinh thanh", "tinh thanh pho", "tinh/thanh pho", "dia phuong", "province/city", "city"),
    STAFF: ("staff", "so lao dong", "lao dong", "so nhan vien", "nhan vien", "employees", "number of employees", "headcount"),
    CONSENT: ("consent_pool", "consent", "dong y", "dong y gop du lieu", "dong y chia se du lieu", "gop du lieu",
              "pooling consent", "agree to pool", "i agree"),
    DATE: ("submitted_on", "submitted_at", "timestamp", "dau thoi gian", "thoi gian", "ngay", "date", "end",
           "_submission_time", "submission_time", "submission time", "completion time", "ngay gui", "ngay nop"),
}
_NA_WORDS = {"na", "n/a", "n.a.", "khong ap dung", "not applicable", "khong lien quan"}
_YES_WORDS = {"yes", "y", "co", "1", "true", "x", "dung", "dong y", "✓"}
_NO_WORDS = {"no", "n", "khong", "0", "false", "chua"}
_AGREE_STARTS = ("toi dong y", "dong y", "i agree", "agree")  # "có lẽ" (maybe) is no consent
_SLASH_DATE = re.compile(
    r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(am|pm|sa|ch)?)?$"
)


def normalise(text: Any) -> str:
    """Lower case, accents and đ folded, punctuation at the ends and repeated spaces gone:
    "  Tỉnh / Thành phố: " → "tinh / thanh pho"."""
    value = unicodedata.normalize("NFKD", str(text or "")).replace("đ", "d").replace("Đ", "D")
    value = "".join(c for c in value if not unicodedata.combining(c)).casefold()
    value = re.sub(r"\s+", " ", value).strip()
    return value.strip(" :.*?-–—()[]\"'")


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# ------------------------------------------------------------------ reading a file


@dataclass(frozen=True)
class Table:
    """A file's headers (unique, in order) and its rows (cells by header; a blank row is ``{}``)."""

    headers: list[str]
    rows: list[dict[str, Any]]


class TableError(ValueError):
    """A file that cannot be read as a table; the message says why."""


def _unique(headers: Sequence[Any]) -> list[str]:
    out: list[str] = []
    for i, raw in enumerate(headers, start=1):
        name = _nfc(str(raw).strip()) if raw is not None and str(raw).strip() else f"#{i}"
        base, n = name, 2
        while name in out:
            name = f"{base} ({n})"
            n += 1
        out.append(name)
    return out


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (datetime, date)):
        return value
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return _nfc(str(value))


def read_table(raw: bytes, file_name: str) -> Table:
    """CSV or XLSX bytes → a ``Table`` (``TableError`` with the reason when it cannot be read)."""
    if file_name.lower().endswith((".xlsx", ".xlsm")):
        return _read_xlsx(raw)
    return _read_csv(raw)


def _read_csv(raw: bytes) -> Table:
    for encoding in ("utf-8-sig", "cp1258"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1258 decodes almost any byte
        raise TableError("the file is neither UTF-8 nor Windows-1258 text")
    if "\x00" in text:
        raise TableError("this is not a text (CSV) file; upload a CSV or an XLSX file")
    sample = text[:20_000]
    try:
        dialect: Any = csv.Sniffer().sniff(sample.split("\n", 1)[0] or sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        records = list(_limited(reader))
    except csv.Error as exc:
        raise TableError(f"the CSV cannot be read: {exc}") from None
    return _table(records)


def _limited(records: Any) -> Any:
    for i, record in enumerate(records):
        if i > MAX_ROWS:
            raise TableError(f"more than {MAX_ROWS:,} rows: split the file")
        yield record


def _read_xlsx(raw: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise TableError(f"the XLSX file cannot be opened: {str(exc)[:200]}") from None
    try:
        sheet = book.worksheets[0]
        records = [[_cell(v) for v in row] for row in _limited(sheet.iter_rows(values_only=True))]
    finally:
        book.close()
    return _table(records)


def _table(records: list[list[Any]]) -> Table:
    while records and all(_empty(v) for v in records[0]):
        records = records[1:]  # blank lines above the header
    if not records:
        raise TableError("the file is empty")
    width = max(len(r) for r in records)
    if width > MAX_COLUMNS:
        raise TableError(f"more than {MAX_COLUMNS:,} columns")
    head = list(records[0]) + [None] * (width - len(records[0]))
    while head and _empty(head[-1]) and all(len(r) < len(head) or _empty(r[len(head) - 1]) for r in records[1:]):
        head.pop()  # trailing empty columns (spreadsheets keep formatted ones)
    headers = _unique(head)
    rows: list[dict[str, Any]] = []
    for record in records[1:]:
        cells = {h: (_cell(record[i]) if i < len(record) else "") for i, h in enumerate(headers)}
        rows.append({} if all(_empty(v) for v in cells.values()) else cells)
    while rows and not rows[-1]:
        rows.pop()
    if not rows:
        raise TableError("the file has a header but no rows")
    return Table(headers, rows)


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def file_hash(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def header_key(headers: Sequence[str]) -> str:
    """The same for the same set of headers, in any order, spelling or case: a mapping is
    remembered per questionnaire and header key."""
    return hashlib.sha256("\n".join(sorted({normalise(h) for h in headers})).encode("utf-8")).hexdigest()


# ------------------------------------------------------------------ targets


@dataclass(frozen=True)
class Target:
    """What a column can be: a profile field, the consent, the date, a question, a matrix row."""

    id: str  # "sector", "consent_pool", "submitted_on", a question id, "<question id>.<row id>"
    kind: str  # "profile" | "consent" | "date" | "question" | "matrix_row"
    question: Question | None = None
    row: str | None = None


def targets(questionnaire: Questionnaire) -> list[Target]:
    out = [Target(t, "profile") for t in PROFILE_TARGETS]
    out += [Target(CONSENT, "consent"), Target(DATE, "date")]
    for _, q in questionnaire.questions():
        out.append(Target(q.id, "question", q))
        if isinstance(q, MatrixQuestion):
            out += [Target(f"{q.id}.{r.id}", "matrix_row", q, r.id) for r in q.rows]
    return out


def _header_names(header: str) -> list[str]:
    """The ways a header may name its target: whole, the last part of a Kobo group path
    (``grp/sub/has_site``), the text before a grid row in brackets, a leading code."""
    names = [normalise(header)]
    if "/" in header:
        names.append(normalise(header.rsplit("/", 1)[1]))
    return [n for n in dict.fromkeys(names) if n]


_GRID = re.compile(r"^(?P<question>.+?)\s*\[(?P<row>[^\[\]]+)\]\s*$")
_CODE = re.compile(r"^(?P<code>\d+(?:\.\d+)+)[\s.:)\-–]+")


def auto_match(questionnaire: Questionnaire, headers: Sequence[str]) -> dict[str, str]:
    """A target for each header that names one plainly (the rest are left out): a question
    or row id, a criterion code ("1.1.2" alone or leading the text), the question text in
    Vietnamese or English, ``Question [Row]`` for a grid row, or a known profile, consent or
    date header. A target is given to one header only (the first)."""
    by_name: dict[str, str] = {}

    def add(name: Any, target: str) -> None:
        key = normalise(name)
        if key:
            by_name.setdefault(key, target)

    for target, aliases in _ALIASES.items():
        for alias in aliases:
            add(alias, target)
    matrices: dict[str, MatrixQuestion] = {}
    for _, q in questionnaire.questions():
        add(q.id, q.id)
        if q.code:
            add(q.code, q.id)
        for lang in ("vi", "en"):
            add(q.text.get(lang), q.id)
        if isinstance(q, MatrixQuestion):
            matrices[q.id] = q
            for r in q.rows:
                add(f"{q.id}.{r.id}", f"{q.id}.{r.id}")
                add(f"{q.id}/{r.id}", f"{q.id}.{r.id}")
                add(f"{q.id}_{r.id}", f"{q.id}.{r.id}")
    out: dict[str, str] = {}
    taken: set[str] = set()
    for header in headers:
        found = _grid_row(header, by_name, matrices)
        for name in [] if found else _header_names(header):
            found = by_name.get(name)
            if found is None:
                code = _CODE.match(name)
                if code:
                    found = by_name.get(code.group("code"))
            if found is not None:
                break
        if found is not None and found not in taken:
            out[header] = found
            taken.add(found)
    return out


def _grid_row(header: str, by_name: dict[str, str], matrices: dict[str, MatrixQuestion]) -> str | None:
    """``Question [Row]`` (Google Forms' header of a grid row) → ``question.row``."""
    grid = _GRID.match(header.strip())
    if not grid:
        return None
    qid = by_name.get(normalise(grid.group("question")))
    if qid is None:
        code = _CODE.match(normalise(grid.group("question")))
        qid = by_name.get(code.group("code")) if code else None
    q = matrices.get(qid or "")
    if q is None:
        return None
    wanted = normalise(grid.group("row"))
    for r in q.rows:
        if wanted in {normalise(r.id), normalise(r.label.get("vi")), normalise(r.label.get("en"))}:
            return f"{q.id}.{r.id}"
    return None


# ------------------------------------------------------------------ translating cells


def _option_names(options: Sequence[Any]) -> dict[str, str]:
    names: dict[str, str] = {}
    for o in options:
        names.setdefault(normalise(o.id), o.id)
    for o in options:  # labels after ids: an id never loses to another option's label
        if o.label is not None:
            for lang in ("vi", "en"):
                names.setdefault(normalise(o.label.get(lang)), o.id)
    return names


def _na(q: Question, cell: str) -> str | None:
    return "na" if normalise(cell) in _NA_WORDS else None


def _choice(q: Question, cell: str, names: dict[str, str]) -> str:
    key = normalise(cell)
    if key in names:
        return names[key]
    if isinstance(q, YesNoQuestion):
        # "Có (yes)", "No - not yet"; not "có lẽ" (maybe)
        if key in _NO_WORDS or _starts(key, ("khong", "no", "chua"), then=",;:(-/"):
            return "no"
        if key in _YES_WORDS or _starts(key, ("co", "yes"), then=",;:(-/"):
            return "yes"
    return _na(q, cell) or cell  # an unknown value goes on, for the intake to name


def _multi(q: MultiQuestion, cell: str) -> list[str] | str:
    names = _option_names(q.options)
    if _na(q, cell):
        return "na"
    if "|" in cell:  # the app's own template
        return [names.get(normalise(p), p.strip()) for p in cell.split("|") if p.strip()]
    if normalise(cell) in names:
        return [names[normalise(cell)]]
    for separator in (",", ";", "\n"):  # Google Forms joins checkbox labels with ", "
        parts = [p for p in cell.split(separator) if p.strip()]
        if len(parts) > 1 and all(normalise(p) in names for p in parts):
            return [names[normalise(p)] for p in parts]
    parts = cell.split()  # KoboToolbox: option names joined by spaces
    if len(parts) > 1 and all(normalise(p) in names for p in parts):
        return [names[normalise(p)] for p in parts]
    # labels that themselves hold commas: take the longest labels found in the cell first
    rest, found = normalise(cell), []
    for name in sorted(names, key=len, reverse=True):
        if name and name in rest:
            found.append(names[name])
            rest = rest.replace(name, " ")
    if found and not re.sub(r"[\s,;]+", "", rest):
        return list(dict.fromkeys(found))
    return [p.strip() for p in re.split(r"[,;]", cell) if p.strip()]


def _scale(q: ScaleQuestion, cell: str) -> Any:
    if _na(q, cell):
        return "na"
    lead = re.match(r"^\s*(-?\d+(?:[.,]\d+)?)", cell)
    if lead:
        return lead.group(1)
    key = normalise(cell)
    for value, anchor in q.anchors.items():
        if key in {normalise(anchor.get("vi")), normalise(anchor.get("en"))}:
            return str(value)
    return cell


def _number(q: NumberQuestion, cell: str) -> Any:
    if _na(q, cell):
        return "na"
    return cell.replace("%", "").replace("\u00a0", "").replace(" ", "")


def translate(q: Question, cell: Any) -> Any:
    """One cell of a question's column in the engine's terms (unknown values pass through,
    so the intake names them)."""
    if _empty(cell):
        return ""
    if not isinstance(cell, str):
        cell = str(cell)
    if isinstance(q, TextQuestion):
        return cell
    if isinstance(q, MultiQuestion):
        return _multi(q, cell)
    if isinstance(q, ScaleQuestion):
        return _scale(q, cell)
    if isinstance(q, NumberQuestion):
        return _number(q, cell)
    if isinstance(q, MatrixQuestion):
        names = _option_names(q.options)
        rows = {normalise(r.id): r.id for r in q.rows}
        for r in q.rows:
            for lang in ("vi", "en"):
                rows.setdefault(normalise(r.label.get(lang)), r.id)
        pairs = {}
        for part in cell.split(";"):
            row, _, opt = part.partition("=")
            if row.strip():
                pairs[rows.get(normalise(row), row.strip())] = names.get(normalise(opt), opt.strip())
        return pairs
    return _choice(q, cell, _option_names(q.options))


def _sector(cell: Any) -> Any:
    if _empty(cell):
        return cell
    ref = load_profile_reference()
    text = str(cell).strip()
    lead = re.match(r"^([A-Ua-u])(?:$|[\s.:·\-–)])", text)
    if lead:
        return lead.group(1).upper()
    key = normalise(text)
    for s in ref.sectors:
        if key in {normalise(s.name.get("vi")), normalise(s.name.get("en"))}:
            return s.id
    return text


def _size(cell: Any) -> Any:
    if _empty(cell):
        return cell
    key = normalise(cell)
    for b in load_profile_reference().size_bands:
        names = {normalise(b.id), normalise(b.name.get("vi")), normalise(b.name.get("en"))}
        # "Doanh nghiệp siêu nhỏ" is also written "Siêu nhỏ"; "Micro enterprise" "Micro"
        names |= {re.sub(r"^doanh nghiep |( enterprise| business)$", "", n) for n in names}
        if key in names:
            return b.id
    return str(cell).strip()


def _starts(key: str, words: Sequence[str], *, then: str = " ") -> bool:
    """``key`` is one of ``words`` or starts with one followed by one of ``then``."""
    return any(key == w or any(key.startswith(w + c) for c in then) for w in words)


def _consent(cell: Any) -> Any:
    if _empty(cell):
        return cell
    key = normalise(cell)
    if key in _NO_WORDS or _starts(key, ("khong", "no", "toi khong", "chua"), then=" ,;:(-/"):
        return "0"
    if key in _YES_WORDS or _starts(key, _AGREE_STARTS):
        return "1"
    return cell


def read_date(cell: Any, *, day_first: bool = True, today: date | None = None) -> tuple[datetime | None, str | None]:
    """A submission time, aware (a time without a zone is Vietnam time): ``(when, None)``,
    ``(None, None)`` for an empty cell, or ``(None, why)``."""
    if _empty(cell):
        return None, None
    today = today or datetime.now(VN).date()
    when: datetime | None = None
    if isinstance(cell, datetime):
        when = cell
    elif isinstance(cell, date):
        when = datetime.combine(cell, time(12))
    else:
        text = str(cell).strip()
        try:
            when = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            m = _SLASH_DATE.match(text.lower())
            if m:
                a, b, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
                day, month = (a, b) if day_first else (b, a)
                hour, minute, second = int(m.group(4) or 12), int(m.group(5) or 0), int(m.group(6) or 0)
                if m.group(7) in ("pm", "ch") and hour < 12:
                    hour += 12
                elif m.group(7) in ("am", "sa") and hour == 12:
                    hour = 0
                try:
                    when = datetime(year, month, day, hour, minute, second)
                except ValueError:
                    order = "day/month/year" if day_first else "month/day/year"
                    return None, f"{text[:40]!r} is not a date ({order})"
        if when is None:
            return None, f"{text[:40]!r} is not a date (use 2025-06-30, or 30/06/2025)"
    if when.tzinfo is None:
        when = when.replace(tzinfo=VN)
    day = when.astimezone(VN).date()
    if day > today + timedelta(days=1):
        return None, f"{day.isoformat()} is in the future"
    if day < EARLIEST:
        return None, f"{day.isoformat()} is before {EARLIEST.year}"
    return when, None


# ------------------------------------------------------------------ a mapping applied


@dataclass(frozen=True)
class ColumnMapping:
    """What the staff member chose: a target per file column (``IGNORE`` to leave it out),
    one value for every row of a profile field the file lacks, how slash dates read."""

    columns: dict[str, str]
    defaults: dict[str, str] = field(default_factory=dict)
    day_first: bool = True

    def to_json(self) -> dict[str, Any]:
        return {"columns": dict(self.columns), "defaults": dict(self.defaults), "day_first": self.day_first}

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> ColumnMapping | None:
        if not isinstance(data, Mapping) or not isinstance(data.get("columns"), Mapping):
            return None
        return cls(
            {str(k): str(v) for k, v in data["columns"].items()},
            {str(k): str(v) for k, v in (data.get("defaults") or {}).items() if k in DEFAULTABLE and v},
            bool(data.get("day_first", True)),
        )


@dataclass(frozen=True)
class GoodRow:
    row: int
    intake: IntakeRow
    submitted_at: datetime | None


@dataclass
class Check:
    """A mapping applied to a file: the rows that would be stored, and every problem (a
    mapping problem on row 1, the header; each bad row's with the file's column header)."""

    rows: int  # answer rows in the file (blank ones not counted)
    good: list[GoodRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def bad_rows(self) -> list[int]:
        return sorted({p.row for p in self.problems if p.row > 1})

    @property
    def mapping_problems(self) -> list[RowProblem]:
        return [p for p in self.problems if p.row <= 1]

    @property
    def pooled(self) -> int:
        return sum(1 for g in self.good if g.intake.consent)


def check(questionnaire: Questionnaire, table: Table, mapping: ColumnMapping, *, today: date | None = None) -> Check:
    """Apply ``mapping`` to ``table`` and check every row with ``scoring.intake.read_rows``."""
    known = {t.id: t for t in targets(questionnaire)}
    out = Check(rows=sum(1 for r in table.rows if r))
    used: dict[str, str] = {}
    for header in table.headers:
        target = mapping.columns.get(header, IGNORE)
        if target == IGNORE:
            continue
        if target not in known:
            out.problems.append(RowProblem(1, header, f"maps to {target!r}, which this questionnaire does not have"))
        elif target in used:
            out.problems.append(RowProblem(1, header, f"maps to {target!r} like column {used[target]!r}: choose one"))
        else:
            used[target] = header
    for matrix_id in {known[t].question.id for t in used if known[t].kind == "matrix_row"}:
        if matrix_id in used:
            out.problems.append(RowProblem(1, used[matrix_id], f"{matrix_id}: map either the whole grid or its rows, not both"))
    for required in (SECTOR, SIZE):
        if required not in used and not mapping.defaults.get(required):
            out.problems.append(RowProblem(1, "-", f"no column is mapped to {required} (required), and no value is set for every row"))
    if out.problems:
        return out
    header_of = {target: header for target, header in used.items()}
    cells_of: list[dict[str, Any]] = []
    dates: dict[int, datetime | None] = {}
    date_problems: list[RowProblem] = []
    for offset, raw in enumerate(table.rows):
        row = 2 + offset
        if not raw:
            cells_of.append({})
            continue
        cells: dict[str, Any] = {}
        grids: dict[str, dict[str, Any]] = {}
        for target, header in used.items():
            t, cell = known[target], raw.get(header, "")
            if t.kind == "date":
                when, why = read_date(cell, day_first=mapping.day_first, today=today)
                if why:
                    date_problems.append(RowProblem(row, header, why))
                dates[row] = when
            elif t.id == SECTOR:
                cells[SECTOR] = _sector(cell)
            elif t.id == SIZE:
                cells[SIZE] = _size(cell)
            elif t.kind == "consent":
                cells[CONSENT] = _consent(cell)
            elif t.kind == "matrix_row":
                if not _empty(cell):
                    q = t.question
                    grids.setdefault(q.id, {})[t.row] = _choice(q, str(cell), _option_names(q.options))
            elif t.kind == "question":
                cells[t.id] = translate(t.question, cell)
            else:
                cells[t.id] = cell
        for qid, rows in grids.items():
            cells[qid] = rows
        for name, value in mapping.defaults.items():
            if name not in used:
                cells[name] = value
        cells_of.append(cells)
    report = read_rows(questionnaire, cells_of)
    bad_dates = {p.row for p in date_problems}
    problems = [*date_problems, *(_in_file_terms(p, header_of, known) for p in report.problems)]
    out.problems = sorted(problems, key=lambda p: (p.row, p.column))
    out.good = [GoodRow(r.row, r, dates.get(r.row)) for r in report.good if r.row not in bad_dates]
    return out


def _in_file_terms(problem: RowProblem, header_of: dict[str, str], known: dict[str, Target]) -> RowProblem:
    """A problem the intake names by question id, named by the file's own column header."""
    column = problem.column
    if column in header_of:
        return RowProblem(problem.row, header_of[column], problem.message)
    grid = re.match(r"^row (?P<row>\S+) of the grid: ", problem.message)
    if grid and f"{column}.{grid.group('row')}" in header_of:
        return RowProblem(problem.row, header_of[f"{column}.{grid.group('row')}"], problem.message)
    rows = [h for t, h in header_of.items() if t.startswith(f"{column}.")]
    if rows:
        return RowProblem(problem.row, rows[0], problem.message)
    if column in known and known[column].kind == "question":
        return RowProblem(problem.row, f"({column})", problem.message)  # no column in the file: a required answer missing
    if column in DEFAULTABLE:
        return RowProblem(problem.row, f"({column})", problem.message)
    return problem


__all__ = [
    "DATE",
    "DEFAULTABLE",
    "IGNORE",
    "Check",
    "GoodRow",
    "ColumnMapping",
    "Table",
    "TableError",
    "Target",
    "auto_match",
    "check",
    "file_hash",
    "header_key",
    "normalise",
    "read_date",
    "read_table",
    "targets",
    "translate",
]
