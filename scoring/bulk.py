"""Scoring many assessments at once: a pandas DataFrame, a row per assessment.

A column per question, holding the answer as one cell (see ``encode_cell``): an option id;
option ids joined by ``|`` (multi); a number; ``row=option`` pairs joined by ``;`` (matrix);
``na``; empty for no answer. Categorical columns are the fast path.

How it stays identical to ``scoring.engine``: each column is factorised, the engine's own
per-question functions score each *distinct* value once, and only the sums, ratios and level
comparisons are vectorised, in the same order and with the same float operations as the
single path.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from scoring.engine import (
    ANSWERED,
    NA,
    NOT_APPLICABLE,
    check_answer,
    chosen_options,
    is_empty,
    question_outcome,
    value_matches,
)
from scoring.model import CompositeRule, Condition, ConditionGroup, QuestionBase, Questionnaire

MAX_LISTED = 50


class BulkAnswerError(ValueError):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


# ---------------------------------------------------------------- cell encoding


def encode_cell(q: QuestionBase, value: Any) -> Any:
    """One answer → one hashable cell (str, number or None); the question's type says how."""
    if is_empty(value):
        return None
    if value == NA:
        return NA
    return q.to_cell(value)


def decode_cell(q: QuestionBase, cell: Any) -> Any:
    """One cell → the answer the engine takes (None when empty); the question's type reads it."""
    if cell is None or (isinstance(cell, float) and math.isnan(cell)) or cell is pd.NA:
        return None
    if isinstance(cell, str):
        cell = cell.strip()
        if cell == "":
            return None
        if cell.lower() == NA:
            return NA
    if isinstance(cell, (np.integer, np.floating)):
        cell = cell.item()
    return q.from_cell(cell)


def answers_to_frame(questionnaire: Questionnaire, answer_sets: list[dict[str, Any]]) -> pd.DataFrame:
    """Answer dicts → the bulk DataFrame (a column per question)."""
    columns = {
        q.id: [encode_cell(q, a.get(q.id)) for a in answer_sets] for _, q in questionnaire.questions()
    }
    return pd.DataFrame(columns, dtype=object)


# ---------------------------------------------------------------- scoring


@dataclass
class _Column:
    codes: np.ndarray  # int, -1 = empty
    values: list[Any]  # decoded distinct values, in code order


def _factorise(q: QuestionBase, series: pd.Series | None, n: int) -> _Column:
    if series is None:
        return _Column(np.full(n, -1, dtype=np.int64), [])
    if isinstance(series.dtype, pd.CategoricalDtype):
        codes = series.cat.codes.to_numpy()
        uniques = list(series.cat.categories)
    else:
        codes, uniq = pd.factorize(series, use_na_sentinel=True)
        uniques = list(uniq)
    return _Column(codes, [decode_cell(q, u) for u in uniques])


class _Visibility:
    """Which rows show each question: its ``show_if`` over the columns factorised so far, the
    engine's ``value_matches`` run once per distinct value (a hidden target never matches)."""

    def __init__(self, n: int):
        self.n = n
        self.columns: dict[str, _Column] = {}
        self.visible: dict[str, np.ndarray] = {}

    def mask(self, cond: Condition | ConditionGroup) -> np.ndarray:
        if isinstance(cond, ConditionGroup):
            parts = [self.mask(c) for c in (cond.all if cond.all is not None else cond.any or ())]
            if not parts:
                return np.full(self.n, cond.all is not None)
            return np.logical_and.reduce(parts) if cond.all is not None else np.logical_or.reduce(parts)
        col = self.columns[cond.question]
        match = _lookup([value_matches(cond, v) for v in col.values], False, col.codes, bool)
        return match & self.visible[cond.question]


def _lookup(per_value: list[Any], missing: Any, codes: np.ndarray, dtype, out: np.ndarray | None = None) -> np.ndarray:
    table = np.array(list(per_value) + [missing], dtype=dtype)
    if out is not None:  # a reused buffer: a million-row score then allocates far less
        return table.take(codes, out=out, mode="wrap")  # codes lie in -1..len-1: wrap = indexing
    return table[codes]  # code -1 picks the last entry: the empty answer


def score_frame(
    questionnaire: Questionnaire,
    frame: pd.DataFrame,
    *,
    validate: bool = True,
    on_problem: Callable[[np.ndarray, str, str], None] | None = None,
) -> pd.DataFrame:
    """Score every row. Returns per pillar ``{id}_points/_max/_percent/_level/_na`` and
    ``total``, ``max_total``, ``percent``, ``overall_level``, indexed like ``frame``.

    With ``validate`` (default) a bad cell or a missing required answer raises
    ``BulkAnswerError`` listing the rows; unknown columns are ignored. With ``on_problem``
    nothing is raised: it is called as ``on_problem(row_positions, question_id, message)``
    for every problem (0-based positions), and the rows it names hold meaningless scores
    that the caller drops; the other rows' scores are the same either way.
    """
    n = len(frame)
    problems: list[str] = []
    n_problems = 0
    shown = _Visibility(n)
    exact = questionnaire.rules.pillar_percent == "points"
    out: dict[str, Any] = {}
    pillar_pts: list[np.ndarray] = []
    pillar_max: list[np.ndarray] = []
    pillar_pct: list[np.ndarray] = []
    pillar_lvl: list[np.ndarray] = []
    everyone = np.ones(n, dtype=bool)
    buf_pts, buf_max = np.empty(n), np.empty(n)  # each question's points and maximum, row by row

    def note(rows: np.ndarray, message: str, question_id: str) -> None:
        nonlocal n_problems
        idx = np.flatnonzero(rows)
        if on_problem is not None:
            if len(idx):
                on_problem(idx, question_id, message)
            return
        n_problems += len(idx)
        for i in idx[: max(0, MAX_LISTED - len(problems))]:
            problems.append(f"row {i + 1}: {message}")

    for pillar in questionnaire.pillars:
        pts = np.zeros(n)
        mx = np.zeros(n)
        ratio_sum = np.zeros(n)
        ratio_n = np.zeros(n, dtype=np.int64)
        na = np.zeros(n, dtype=np.int64)
        for q in pillar.questions:
            col = _factorise(q, frame[q.id] if q.id in frame.columns else None, n)
            shown.columns[q.id] = col
            # None stands for "every row": most questions have no condition and no N/A, and
            # skipping the masks there saves most of the memory traffic (same sums either way:
            # adding 0.0 for a row that does not count leaves its sum unchanged)
            vis = shown.mask(q.show_if) if q.show_if is not None else None
            shown.visible[q.id] = vis if vis is not None else everyone
            outcomes = []
            for code, value in enumerate(col.values):
                if value is not None:
                    bad = check_answer(q, value)
                    if bad:
                        if validate:
                            rows = col.codes == code
                            note(rows if vis is None else vis & rows, "; ".join(bad), q.id)
                        outcomes.append((NOT_APPLICABLE, 0.0, 0.0))  # a bad row: reported, its scores dropped
                        continue
                outcomes.append(question_outcome(q, value))
            empty = question_outcome(q, None)
            if validate and q.required:
                missing = _lookup([o[0] == "unanswered" for o in outcomes], True, col.codes, bool)
                note(missing if vis is None else vis & missing, f"{q.id}: required answer missing", q.id)
            na_flags = [o[0] == NOT_APPLICABLE for o in outcomes]
            status_na = _lookup(na_flags, False, col.codes, bool) if any(na_flags) else None
            if status_na is None:
                counted = vis
            else:
                counted = ~status_na if vis is None else vis & ~status_na
                na += status_na if vis is None else vis & status_na
            q_pts = _lookup([o[1] for o in outcomes], empty[1], col.codes, np.float64, buf_pts)
            pts += q_pts if counted is None else np.where(counted, q_pts, 0.0)
            maxes = {o[2] for o in outcomes} | {empty[2]}
            if counted is None and len(maxes) == 1 and exact:
                mx += maxes.pop()  # the same maximum on every row
                continue
            q_max = _lookup([o[2] for o in outcomes], empty[2], col.codes, np.float64, buf_max)
            mx += q_max if counted is None else np.where(counted, q_max, 0.0)
            if not exact:
                has_max = q_max > 0 if counted is None else counted & (q_max > 0)
                ratio = np.divide(q_pts, q_max, out=np.zeros(n), where=q_max > 0)
                ratio_sum += np.where(has_max, ratio, 0.0)
                ratio_n += has_max
        if exact:
            valid = mx > 0
            pct = np.divide(pts, mx, out=np.full(n, np.nan), where=valid) * 100
        else:
            valid = ratio_n > 0
            pct = np.divide(ratio_sum, ratio_n, out=np.full(n, np.nan), where=valid) * 100
        lvl = np.zeros(n, dtype=np.int64)
        for t in questionnaire.rules.pillar_levels:
            if exact:
                lhs, rhs = pts * 100, t.percent * mx
            else:
                lhs, rhs = pct, t.percent
            reached = lhs > rhs if t.strict else lhs >= rhs
            lvl = np.where(reached, t.level, lvl)
        lvl = np.where(valid, lvl, -1)
        pillar_pts.append(pts)
        pillar_max.append(mx)
        pillar_pct.append(pct)
        pillar_lvl.append(lvl)
        out[f"{pillar.id}_points"] = pts
        out[f"{pillar.id}_max"] = mx
        out[f"{pillar.id}_percent"] = pct
        out[f"{pillar.id}_level"] = pd.arrays.IntegerArray(np.where(valid, lvl, 0).astype(np.int8), ~valid)
        out[f"{pillar.id}_na"] = na

    if validate and problems:
        if n_problems > len(problems):
            problems.append(f"… and {n_problems - len(problems)} more")
        raise BulkAnswerError(problems)

    total = np.zeros(n)
    max_total = np.zeros(n)
    for pts, mx in zip(pillar_pts, pillar_max):
        total += pts
        max_total += mx
    rule = questionnaire.rules.overall
    overall = np.zeros(n, dtype=np.int64)
    if isinstance(rule, CompositeRule):
        for r in rule.requirements:
            ok = np.ones(n, dtype=bool)
            if r.total_above is not None:
                ok &= total > r.total_above
            if r.total_percent_above is not None:
                ok &= total * 100 > r.total_percent_above * max_total
            at_or_above = np.zeros(n, dtype=np.int64)
            for lvl in pillar_lvl:
                at_or_above += lvl >= r.level
            ok &= at_or_above >= r.min_pillars
            overall = np.where(ok, np.maximum(overall, r.level), overall)
        percent = np.divide(total, max_total, out=np.full(n, np.nan), where=max_total > 0) * 100
    else:
        num = np.zeros(n)
        den = np.zeros(n)
        for pillar, pct in zip(questionnaire.pillars, pillar_pct):
            ok = ~np.isnan(pct)
            num += np.where(ok, pillar.weight * np.nan_to_num(pct), 0.0)
            den += np.where(ok, pillar.weight, 0.0)
        percent = np.divide(num, den, out=np.full(n, np.nan), where=den > 0)
        for band in rule.bands:
            reached = percent > band.percent if band.strict else percent >= band.percent
            overall = np.where(reached, band.level, overall)
    out["total"] = total
    out["max_total"] = max_total
    out["percent"] = percent
    out["overall_level"] = overall.astype(np.int8)
    # copy=False: the arrays are ours and fresh; stacking them into blocks costs more than scoring
    return pd.DataFrame(out, index=frame.index, copy=False)


# ---------------------------------------------------------------- capability gaps


@dataclass
class GapTags:
    """Each row's capability-gap tags, as ``score_assessment(...).gaps`` gives them.

    ``tags``: every tag that can appear, in file order; ``first[t]``: per row, the position
    at which tag ``t`` first showed as a gap (question index × 1024 + its place among that
    answer's tags; ``NEVER`` when it did not); ``used[t]``: per row, whether some answer
    shows the firm already has it (a used tag is not a gap, as in the engine).
    """

    tags: list[str]
    first: dict[str, np.ndarray]
    used: dict[str, np.ndarray]
    rows: int = 0

    NEVER = np.iinfo(np.int64).max

    def has(self, tag: str) -> np.ndarray:
        return (self.first[tag] != self.NEVER) & ~self.used[tag]

    def masks(self, slots: dict[str, int]) -> np.ndarray:
        """A bit set per row: bit ``slots[tag] - 1`` for each gap (tags without a slot are left out)."""
        out = np.zeros(self.rows, dtype=np.int64)
        for tag in self.tags:
            slot = slots.get(tag)
            if slot is not None:
                out |= self.has(tag).astype(np.int64) << (slot - 1)
        return out

    def lists(self) -> list[list[str]]:
        """The ordered tag list of every row (a Python loop: for tests and small frames)."""
        present = {t: self.has(t) for t in self.tags}
        out = []
        for i in range(self.rows):
            found = [(int(self.first[t][i]), t) for t in self.tags if present[t][i]]
            out.append([t for _, t in sorted(found)])
        return out


def gap_tags(questionnaire: Questionnaire, frame: pd.DataFrame) -> GapTags:
    """The gap tags of every row of a (valid) bulk frame, vectorised like ``score_frame``:
    each column is factorised, the engine's ``chosen_options`` runs once per distinct value,
    and only the per-row bookkeeping is done in numpy. Rows that ``score_frame`` would
    reject give unspecified tags: score (and so validate) first."""
    n = len(frame)
    shown = _Visibility(n)
    first: dict[str, np.ndarray] = {}
    used: dict[str, np.ndarray] = {}
    tags: list[str] = []
    everyone = np.ones(n, dtype=bool)

    for qi, (_, q) in enumerate(questionnaire.questions()):
        col = _factorise(q, frame[q.id] if q.id in frame.columns else None, n)
        shown.columns[q.id] = col
        vis = shown.mask(q.show_if) if q.show_if is not None else everyone
        shown.visible[q.id] = vis
        # per distinct value: (gap tags in order, use tags); an N/A or invalid answer gives none
        per_value: list[tuple[list[str], set[str]]] = []
        for value in col.values:
            if value is None or value == NA or check_answer(q, value):
                per_value.append(([], set()))
                continue
            gaps: list[str] = []
            uses: set[str] = set()
            for item in chosen_options(q, value):
                gaps += [t for t in item.gaps if t not in gaps]
                uses.update(item.uses)
            per_value.append((gaps, uses))
        for tag in {t for g, _ in per_value for t in g} | {t for _, u in per_value for t in u}:
            if tag not in first:
                tags.append(tag)
                first[tag] = np.full(n, GapTags.NEVER, dtype=np.int64)
                used[tag] = np.zeros(n, dtype=bool)
            positions = [qi * 1024 + g.index(tag) if tag in g else GapTags.NEVER for g, _ in per_value]
            pos = _lookup(positions, GapTags.NEVER, col.codes, np.int64)
            pos = np.where(vis, pos, GapTags.NEVER)
            np.minimum(first[tag], pos, out=first[tag])
            use = _lookup([tag in u for _, u in per_value], False, col.codes, bool)
            used[tag] |= use & vis
    return GapTags(tags, first, used, n)


__all__ = ["ANSWERED", "BulkAnswerError", "GapTags", "answers_to_frame", "decode_cell", "encode_cell", "gap_tags", "score_frame"]
