"""YAML questionnaire → validated, immutable ``Questionnaire``.

Read with the data files' one loader core (``scoring.datafile``: safe YAML with YAML 1.2
booleans, size, depth and alias limits, a line for every YAML path). Every problem is
collected before anything is raised, so an author fixes a file in one pass. Each problem
names the file, the YAML path (``pillars[2].questions[4].options[1].points``) and, where
the YAML says it, the line. What a question of each type must say is its class's
(``scoring.questions``: ``definition_problems``); the cross-entry checks (ids, conditions,
translations, level rules) are here.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from scoring.datafile import (  # noqa: F401 - the core's names, re-exported for older callers
    MAX_BYTES,
    MAX_DEPTH,
    MAX_NODES,
    DataChecker,
    DataFileError,
    Loc,
    Problem,
    SafeLoader12,
    cached_by_mtime,
    format_path,
    parse_checked,
    parse_yaml_text,
    read_checked,
    read_yaml,
    validated,
)
from scoring.model import (
    QUESTION_CLASSES,
    CompositeRule,
    Condition,
    ConditionGroup,
    QuestionBase,
    Questionnaire,
    Text,
    WeightedMeanRule,
)

BUNDLED_DIR = Path(__file__).resolve().parent.parent / "questionnaires"

# the discriminator values a questionnaire's tagged unions use (left out of error paths)
_TAGS = frozenset(QUESTION_CLASSES) | {"composite", "weighted_mean"}


class QuestionnaireError(DataFileError):
    """Raised with every problem found in one questionnaire file."""


# ---------------------------------------------------------------- validation


class _Checker(DataChecker):
    def __init__(self, q: Questionnaire, name: str, lines: dict[Loc, int]):
        super().__init__(name, lines, q.languages)
        self.q = q

    # every Text anywhere must carry every language
    def check_texts(self, obj: Any, loc: Loc) -> None:
        if isinstance(obj, Text):
            self.text(obj, loc, other_languages=False)
            return
        if isinstance(obj, BaseModel):
            for field, info in type(obj).model_fields.items():
                key = info.alias or field
                self.check_texts(getattr(obj, field), loc + (key,))
        elif isinstance(obj, (tuple, list)):
            for i, item in enumerate(obj):
                self.check_texts(item, loc + (i,))
        elif isinstance(obj, dict):
            for k, v in obj.items():
                self.check_texts(v, loc + (k,))

    def run(self) -> list[Problem]:
        q = self.q
        if q.default_language not in q.languages:
            self.add(("default_language",), f"'{q.default_language}' is not one of languages {list(q.languages)}")
        self.check_texts(q, ())
        self._check_levels()
        seen_pillars: set[str] = set()
        seen_questions: dict[str, Loc] = {}
        order: dict[str, int] = {}
        kinds: dict[str, Any] = {}
        for pi, pillar in enumerate(q.pillars):
            ploc: Loc = ("pillars", pi)
            if pillar.id in seen_pillars:
                self.add(ploc + ("id",), f"duplicate pillar id '{pillar.id}'")
            seen_pillars.add(pillar.id)
            if not pillar.questions:
                self.add(ploc + ("questions",), f"pillar '{pillar.id}' has no questions")
            scorable = False
            for qi, question in enumerate(pillar.questions):
                qloc = ploc + ("questions", qi)
                if question.id in seen_questions:
                    self.add(qloc + ("id",), f"duplicate question id '{question.id}' (first at {format_path(seen_questions[question.id])})")
                else:
                    seen_questions[question.id] = qloc
                if question.show_if is not None:
                    self._check_show_if(question.show_if, qloc + ("show_if",), order, kinds)
                if self._check_question(question, qloc):
                    scorable = True
                order[question.id] = len(order)
                kinds[question.id] = question
            if pillar.questions and not scorable:
                self.add(ploc, f"pillar '{pillar.id}' has nothing to score (no question with points)")
        if not q.pillars:
            self.add(("pillars",), "a questionnaire needs at least one pillar")
        if q.rules.overall.method == "weighted_mean" and not any(p.weight > 0 for p in q.pillars):
            self.add(("pillars",), "every pillar weight is 0: the weighted mean is undefined")
        return self.problems

    def _check_levels(self) -> None:
        q = self.q
        numbers = [lv.level for lv in q.levels]
        if numbers != list(range(len(numbers))):
            # listed out of order, a number missing or twice: the page and the PDF list levels
            # in file order, and the rules look them up by number, so both must agree
            wrong = next(i for i, n in enumerate(numbers + [None]) if n != i)
            loc: Loc = ("levels", wrong, "level") if wrong < len(numbers) else ("levels",)
            self.add(loc, f"levels must be listed as 0, 1, 2, … in order, each once; found {numbers}")
        known = set(numbers)

        def increasing(items, loc: Loc, value_name: str, key) -> None:
            prev_level, prev_value = None, None
            for i, item in enumerate(items):
                if item.level not in known:
                    self.add(loc + (i, "level"), f"level {item.level} is not defined in levels")
                if prev_level is not None and item.level <= prev_level:
                    self.add(loc + (i, "level"), f"levels must increase (level {item.level} after {prev_level})")
                value = key(item)
                if value is not None and prev_value is not None and value <= prev_value:
                    name = value_name
                    if name == "percent":  # a level band: name the field the file gives
                        name = "above_percent" if item.above_percent is not None else "min_percent"
                    self.add(loc + (i, name), f"thresholds must increase ({value:g} after {prev_value:g})")
                prev_level = item.level
                if value is not None:
                    prev_value = value

        rules = q.rules
        self._check_thresholds(rules.pillar_levels, ("rules", "pillar_levels"))
        increasing(rules.pillar_levels, ("rules", "pillar_levels"), "percent", lambda t: t.percent)
        overall = rules.overall
        if isinstance(overall, CompositeRule):
            loc: Loc = ("rules", "overall", "requirements")
            for i, r in enumerate(overall.requirements):
                if (r.total_above is None) == (r.total_percent_above is None):
                    self.add(loc + (i,), "give exactly one of total_above and total_percent_above")
                if r.min_pillars > len(q.pillars):
                    self.add(loc + (i, "min_pillars"), f"{r.min_pillars} pillars required but the questionnaire has {len(q.pillars)}")
            increasing(overall.requirements, loc, "total_above", lambda r: r.total_above)
            increasing(overall.requirements, loc, "total_percent_above", lambda r: r.total_percent_above)
        elif isinstance(overall, WeightedMeanRule):
            self._check_thresholds(overall.bands, ("rules", "overall", "bands"))
            increasing(overall.bands, ("rules", "overall", "bands"), "percent", lambda t: t.percent)

    def _check_thresholds(self, bands, loc: Loc) -> None:
        """Each band gives exactly one of min_percent ("at least") and above_percent ("strictly above")."""
        for i, t in enumerate(bands):
            if (t.min_percent is None) == (t.above_percent is None):
                self.add(loc + (i,), "give exactly one of min_percent (at least) and above_percent (strictly above)")
            elif t.min_percent is not None and not 0 < t.min_percent <= 100:
                self.add(loc + (i, "min_percent"), "must be above 0 and at most 100")
            elif t.above_percent is not None and not 0 <= t.above_percent < 100:
                self.add(loc + (i, "above_percent"), "must be at least 0 and below 100")

    def _check_show_if(self, cond, loc: Loc, order: dict[str, int], kinds: dict[str, Any]) -> None:
        if isinstance(cond, ConditionGroup):
            if (cond.all is None) == (cond.any is None):
                self.add(loc, "give exactly one of 'all' and 'any'")
            for key in ("all", "any"):
                for i, c in enumerate(getattr(cond, key) or ()):
                    self._check_show_if(c, loc + (key, i), order, kinds)
            return
        assert isinstance(cond, Condition)
        if cond.question not in order:
            if any(cond.question == q.id for _, q in self.q.questions()):
                self.add(loc + ("question",), f"'{cond.question}' comes later; show_if may only look at earlier questions")
            else:
                self.add(loc + ("question",), f"unknown question '{cond.question}'")
            return
        if cond.in_ is None and cond.at_least is None and cond.at_most is None:
            self.add(loc, "a condition needs 'in', 'at_least' or 'at_most'")
        valid = kinds[cond.question].condition_values()
        if cond.in_ is not None and valid is not None:
            for i, v in enumerate(cond.in_):
                if str(v) not in valid:
                    self.add(loc + ("in", i), f"'{v}' is not an option of '{cond.question}'")

    def _check_question(self, question: QuestionBase, loc: Loc) -> bool:
        """Check one question (its type says what it must say); True when it can score points."""
        for where, message in question.definition_problems():
            self.add(loc + where, message)
        # scorable when its maximum is above 0, whatever gives it (option points, a share's
        # max_points, a cap): the question's own maximum decides
        return question.maximum() > 0


def content_hash(data: Any) -> str:
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def build_questionnaire(data: Any, lines: dict[Loc, int], name: str) -> Questionnaire:
    if isinstance(data, dict):
        data = {k: v for k, v in data.items() if k != "content_hash"}
    q = validated(Questionnaire, data, lines, name, QuestionnaireError, "id, version, pillars, …", _TAGS)
    problems = _Checker(q, name, lines).run()
    if problems:
        raise QuestionnaireError(problems)
    return q.model_copy(update={"content_hash": content_hash(data)})


def load_questionnaire(path: str | Path) -> Questionnaire:
    """Load and validate one questionnaire file. Raises ``QuestionnaireError`` listing every problem."""
    return read_checked(path, build_questionnaire, QuestionnaireError)


def load_questionnaire_text(text: str, name: str = "<text>") -> Questionnaire:
    return parse_checked(text, name, build_questionnaire, QuestionnaireError)


load_cached = cached_by_mtime(load_questionnaire, maxsize=32)


def bundled_paths(directory: str | Path | None = None) -> list[Path]:
    """The questionnaire files of a folder (top level only; catalogue/ and reference/ are not questionnaires)."""
    return sorted(Path(directory or BUNDLED_DIR).glob("*.yaml"))


def load_bundled(questionnaire_id: str, directory: str | Path | None = None) -> Questionnaire:
    for path in bundled_paths(directory):
        if path.stem == questionnaire_id:
            return load_cached(path)
    raise KeyError(questionnaire_id)


__all__ = [
    "Problem",
    "QuestionnaireError",
    "bundled_paths",
    "content_hash",
    "load_bundled",
    "load_cached",
    "load_questionnaire",
    "load_questionnaire_text",
]
