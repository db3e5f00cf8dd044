"""Random *valid* answers for a questionnaire: demo data, property tests and benchmarks.

Everything is seeded; nothing here knows a question id — it reads the questionnaire.
"""

from __future__ import annotations

import random
from typing import Any

import numpy as np
import pandas as pd

from scoring.engine import NA, condition_holds
from scoring.model import QuestionBase, Questionnaire


def random_value(q: QuestionBase, rng: random.Random, skill: float | None = None) -> Any:
    """One valid non-empty answer (the question's type draws it). ``skill`` in 0..1 leans
    choices towards higher points."""
    return q.random_answer(rng, skill)


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


def _pool(q: QuestionBase, rng: random.Random, size: int = 48) -> list[Any]:
    """Distinct valid cells for a question (its categories in a random frame)."""
    pool = q.sample_cells(rng, size)
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
