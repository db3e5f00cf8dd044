"""Random *valid* answers for a questionnaire: demo data, property tests and benchmarks.

Everything is seeded; nothing here knows a question id — it reads the questionnaire.
"""

from __future__ import annotations

import random
from typing import Any

import numpy as np
import pandas as pd

from scoring.bulk import encode_cell
from scoring.engine import NA, condition_holds
from scoring.model import (
    MatrixQuestion,
    MultiQuestion,
    NumberQuestion,
    Question,
    Questionnaire,
    ScaleQuestion,
    TextQuestion,
)


def random_value(q: Question, rng: random.Random, skill: float | None = None) -> Any:
    """One valid non-empty answer. ``skill`` in 0..1 leans choices towards higher points."""

    def pick(options):
        if skill is None:
            return rng.choice(options)
        ranked = sorted(options, key=lambda o: o.points)
        idx = min(len(ranked) - 1, max(0, int(rng.gauss(skill, 0.25) * len(ranked))))
        return ranked[idx]

    if isinstance(q, TextQuestion):
        return rng.choice(["", "Ghi chú", "Cần hỗ trợ thêm về phần mềm kế toán", "n/a"]) or "—"
    if isinstance(q, ScaleQuestion):
        if skill is None:
            return rng.randint(q.min, q.max)
        return min(q.max, max(q.min, round(q.min + rng.gauss(skill, 0.25) * (q.max - q.min))))
    if isinstance(q, NumberQuestion):
        if skill is None:
            return round(rng.uniform(q.min, q.max), rng.choice([0, 0, 1]))
        return round(min(q.max, max(q.min, q.min + rng.gauss(skill, 0.25) * (q.max - q.min))))
    if isinstance(q, MatrixQuestion):
        return {r.id: pick(list(q.options)).id for r in q.rows}
    if isinstance(q, MultiQuestion):
        exclusive = [o for o in q.options if o.exclusive]
        others = [o for o in q.options if not o.exclusive]
        if exclusive and rng.random() < (0.15 if skill is None else max(0.0, 0.4 - skill)):
            return [rng.choice(exclusive).id]
        share = rng.random() if skill is None else min(1.0, max(0.0, rng.gauss(skill, 0.2)))
        k = max(1, round(share * len(others)))
        chosen = rng.sample(others, k)
        return [o.id for o in others if o in chosen]  # option order, like a form would give
    return pick(list(q.options)).id


def random_answers(
    questionnaire: Questionnaire,
    rng: random.Random,
    *,
    na_rate: float = 0.1,
    skip_rate: float = 0.3,
    stale_rate: float = 0.2,
    skill: float | None = None,
) -> dict[str, Any]:
    """A random valid answer set: conditions respected, N/A where allowed, optional questions
    sometimes skipped, and sometimes a stale answer left on a hidden question (it must be ignored)."""
    answers: dict[str, Any] = {}
    visible: dict[str, bool] = {}
    for _, q in questionnaire.questions():
        shown = q.show_if is None or condition_holds(q.show_if, answers, visible)
        visible[q.id] = shown
        if not shown:
            if rng.random() < stale_rate:
                answers[q.id] = random_value(q, rng, skill)
            continue
        if not q.required and rng.random() < skip_rate:
            continue
        if q.allow_na and rng.random() < na_rate:
            answers[q.id] = NA
            continue
        value = random_value(q, rng, skill)
        if value == "" and q.required:
            value = "—"
        answers[q.id] = value
    return answers


def _pool(q: Question, rng: random.Random, size: int = 48) -> list[Any]:
    """Distinct valid cells for a question (its categories in a random frame)."""
    if isinstance(q, ScaleQuestion):
        pool: list[Any] = list(range(q.min, q.max + 1))
    elif isinstance(q, NumberQuestion):
        pool = sorted({float(round(v)) for v in np.linspace(q.min, q.max, 101)})
    elif isinstance(q, (MultiQuestion, MatrixQuestion)):
        pool = []
        for _ in range(size * 4):
            cell = encode_cell(q, random_value(q, rng))
            if cell not in pool:
                pool.append(cell)
            if len(pool) >= size:
                break
    elif isinstance(q, TextQuestion):
        pool = ["Ghi chú", "Cần hỗ trợ"]
    else:
        pool = [o.id for o in q.options]
    if q.allow_na:
        pool.append(NA)
    return pool


def random_frame(questionnaire: Questionnaire, n: int, seed: int = 0) -> pd.DataFrame:
    """``n`` random valid assessments as categorical columns (the bulk path's fast input).

    Every question gets a valid value in every row, so every row is valid whatever the
    conditions say (answers to hidden questions are ignored by both paths).
    """
    rng = random.Random(seed)
    gen = np.random.default_rng(seed)
    columns = {}
    for _, q in questionnaire.questions():
        pool = _pool(q, rng)
        codes = gen.integers(0, len(pool), size=n, dtype=np.int16 if len(pool) < 30000 else np.int32)
        columns[q.id] = pd.Categorical.from_codes(codes, categories=pd.Index(pool, dtype=object))
    return pd.DataFrame(columns)
