"""Responses collected elsewhere → validated answer sets, row by row.

Paper forms typed into the workshop's CSV template, and later spreadsheets from other tools
(KoboToolbox, Google Forms) mapped to question ids, arrive as rows of cells. Each row is
read into a firm profile, the consents it records and the answers, and checked with the
engine's own validation, so a row is either good (it would score) or named with every
problem: the file's row number, the column and why. Nothing is stored here: the caller
shows the report first and stores only good rows.

Pure: no Streamlit, no database.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from scoring.bulk import decode_cell
from scoring.engine import AnswerError, validate_answers
from scoring.model import FirmProfile, Questionnaire
from scoring.profile import load_profile_reference

# profile and consent columns of a template, before the question columns
NAME, SECTOR, SIZE, PROVINCE, STAFF = "firm_name", "sector", "size_band", "province", "staff"
CONSENT, SHARE, SHARE_NAME = "consent_pool", "share_with_association", "share_name"
PROFILE_COLUMNS = (NAME, SECTOR, SIZE, PROVINCE, STAFF)
CONSENT_COLUMNS = (CONSENT, SHARE, SHARE_NAME)
NAME_LIMIT = 200
MAX_ROWS = 100_000

_TRUE = {"1", "x", "yes", "y", "true", "có", "co", "đồng ý", "dong y", "✓"}
_FALSE = {"", "0", "no", "n", "false", "không", "khong"}
_PROBLEM = re.compile(r"^(?P<qid>[A-Za-z0-9_]+)(?:\.(?P<row>[A-Za-z0-9_]+))?: (?P<message>.*)$")


@dataclass(frozen=True)
class RowProblem:
    row: int  # the file's row number: the header is row 1, the first answer row 2
    column: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column}: {self.message}"


@dataclass(frozen=True)
class IntakeRow:
    row: int
    profile: FirmProfile
    answers: dict[str, Any]
    consent: bool = False
    share_results: bool = False
    share_name: bool = False


@dataclass
class IntakeReport:
    good: list[IntakeRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def bad_rows(self) -> list[int]:
        """The answer rows with a problem (a header problem, row 1, is not one of them)."""
        return sorted({p.row for p in self.problems if p.row > 1})


def template_columns(questionnaire: Questionnaire) -> list[str]:
    """The header of a CSV template for typing paper forms back in."""
    return [*PROFILE_COLUMNS, *CONSENT_COLUMNS, *(q.id for _, q in questionnaire.questions())]


def _empty(cell: Any) -> bool:
    return cell is None or (isinstance(cell, float) and math.isnan(cell)) or (isinstance(cell, str) and not cell.strip())


def _flag(cell: Any, column: str, row: int, problems: list[RowProblem]) -> bool:
    if _empty(cell):
        return False
    if isinstance(cell, bool):
        return cell
    word = str(cell).strip().lower()
    if word.endswith(".0"):
        word = word[:-2]
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    problems.append(RowProblem(row, column, f"{str(cell)[:40]!r} is not yes/no (use 1 or 0, có or không)"))
    return False


def _profile(cells: Mapping[str, Any], row: int, problems: list[RowProblem]) -> FirmProfile:
    ref = load_profile_reference()
    values: dict[str, Any] = {}
    name = cells.get(NAME)
    if not _empty(name):
        name = str(name).strip()
        if len(name) > NAME_LIMIT:
            problems.append(RowProblem(row, NAME, f"{len(name)} characters; the limit is {NAME_LIMIT}"))
        else:
            values["name"] = name
    sector = cells.get(SECTOR)
    if _empty(sector):
        problems.append(RowProblem(row, SECTOR, "required: a VSIC 2018 section letter A–U"))
    elif ref.sector(str(sector).strip().upper()) is None:
        problems.append(RowProblem(row, SECTOR, f"{str(sector)[:40]!r} is not a VSIC 2018 section letter A–U"))
    else:
        values["sector"] = str(sector).strip().upper()
    size = cells.get(SIZE)
    bands = [b.id for b in ref.size_bands]
    if _empty(size):
        problems.append(RowProblem(row, SIZE, f"required: one of {', '.join(bands)}"))
    elif str(size).strip().lower() not in bands:
        problems.append(RowProblem(row, SIZE, f"{str(size)[:40]!r} is not one of {', '.join(bands)}"))
    else:
        values["size_band"] = str(size).strip().lower()
    province = cells.get(PROVINCE)
    if not _empty(province):
        found = ref.province(str(province).strip()) or ref.province_from_name(str(province))
        if found is None:
            problems.append(RowProblem(row, PROVINCE, f"{str(province)[:40]!r} is not a province (id or name, old names accepted)"))
        else:
            values["province"] = found.id
    staff = cells.get(STAFF)
    if not _empty(staff):
        try:
            number = float(str(staff).strip().replace(",", "."))
            if not number.is_integer() or number < 0 or number > 10_000_000:
                raise ValueError
            values["staff"] = int(number)
        except ValueError:
            problems.append(RowProblem(row, STAFF, f"{str(staff)[:40]!r} is not a whole number of staff"))
    return FirmProfile(**values)


def read_rows(
    questionnaire: Questionnaire,
    rows: Iterable[Mapping[str, Any]],
    *,
    first_row: int = 2,
    max_rows: int = MAX_ROWS,
) -> IntakeReport:
    """Every row checked; good rows carry what to store, bad ones every problem they have.

    ``rows`` map column names (the template's, or question ids after a column mapping) to
    cells. Unknown columns are reported once per file, as problems of the header row.
    """
    report = IntakeReport()
    known = set(template_columns(questionnaire))
    questions = {q.id: q for _, q in questionnaire.questions()}
    unknown_reported = False
    for offset, cells in enumerate(rows):
        row = first_row + offset
        if offset >= max_rows:
            report.problems.append(RowProblem(row, "-", f"more than {max_rows:,} rows: split the file"))
            break
        if not unknown_reported:  # a problem of the header row (1), not of an answer row
            unknown_reported = True
            for column in cells:
                if column not in known:
                    report.problems.append(RowProblem(first_row - 1, str(column)[:60], "unknown column (not in the template)"))
        if all(_empty(v) for v in cells.values()):
            continue  # a blank line in a spreadsheet
        problems: list[RowProblem] = []
        profile = _profile(cells, row, problems)
        consent = _flag(cells.get(CONSENT), CONSENT, row, problems)
        share = _flag(cells.get(SHARE), SHARE, row, problems)
        share_name = _flag(cells.get(SHARE_NAME), SHARE_NAME, row, problems)
        answers: dict[str, Any] = {}
        for qid, q in questions.items():
            if qid in cells:
                value = decode_cell(q, cells[qid])
                if value is not None:
                    answers[qid] = value
        try:
            validate_answers(questionnaire, answers)
        except AnswerError as exc:
            for problem in exc.problems:
                m = _PROBLEM.match(problem)
                column = m.group("qid") if m else "-"
                message = m.group("message") if m else problem
                if m and m.group("row"):
                    message = f"row {m.group('row')} of the grid: {message}"
                problems.append(RowProblem(row, column, message))
        if problems:
            report.problems += problems
        else:
            report.good.append(IntakeRow(row, profile, answers, consent, share, share and share_name))
    return report
