"""The question types. A type is one class: what a questionnaire file may say about such a
question (its pydantic fields) and everything the rest of the code asks of it:

- scoring: its maximum (``maximum``), the problems of a given answer (``answer_problems``),
  the points of a valid one (``points``), the options or band it picked (``picked``, they carry
  advice and capability tags) and the advice it gives (``advice_texts``);
- words: the answer as given (``answer_words``), what it says about the firm in few words
  (``answer_gist``), and each picked item in words (``picked_words``);
- cells: one answer as one CSV / bulk-frame cell and back (``to_cell``, ``from_cell``), and
  distinct valid cells for a random frame (``sample_cells``);
- storage: its packed bytes (``pack``, ``unpack``; ``scoring.codec`` walks the questionnaire);
- teams: several respondents' answers as one (``combine``), its lowest answer (``lowest``);
- random valid answers (``random_answer``), the problems of its own definition
  (``definition_problems``: the loader adds the path and line), its structure for ``describe``.

``QUESTION_CLASSES`` maps the ``type`` a file writes to its class (as pyxform's registry does);
``Question`` is the tagged union pydantic reads. A new type is a class here, added to the
registry, plus its widget (``ui/questions.py``, ``ui/paper.py``), its PDF drawing
(``report/pdf.py``, ``report/forms.py``) and its tests: see docs/ARCHITECTURE.md.

The methods take answers as the engine does: ``value`` is a given answer, neither empty nor
"na" (the engine deals with those), and, past ``answer_problems``, a valid one.
"""

from __future__ import annotations

import random
from collections import Counter
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal, get_args

import numpy as np
from pydantic import Field, model_validator

from scoring import packing
from scoring.formats import formats, with_unit
from scoring.parts import (
    Band,
    Finite,
    Option,
    Picked,
    Points,
    Row,
    ShowIf,
    Strict,
    Text,
    is_number,
)

if TYPE_CHECKING:
    from scoring.model import TeamRule

Loc = tuple[str | int, ...]
MAX_SCALE_STEPS = 100  # one radio button each
TEXT_SAMPLES = ("", "Ghi chú", "Cần hỗ trợ thêm về phần mềm kế toán", "n/a")


def _median(n: int, rule: str) -> int:
    """The median respondent's place among ``n`` ordered answers (median_low: the lower middle)."""
    return (n - 1) // 2 if rule == "median_low" else n // 2


class QuestionBase(Strict):
    """What every question says; the methods each type overrides."""

    id: str
    code: str | None = None  # the framework's own number for this criterion, e.g. DBI "3.2.4"
    text: Text
    help: Text | None = None
    required: bool = True
    allow_na: bool = False
    show_if: ShowIf | None = None
    advice: Text | None = None  # question-level advice when the answer is below the top

    type_name: ClassVar[str] = ""
    combines: ClassVar[bool] = True  # a team's answers to it become the firm's (free text: no)
    marks_optional: ClassVar[bool] = True  # an optional one says so (free text is optional by nature)

    # ---------------------------------------------------------------- scoring

    def maximum(self) -> float:
        """The most points the question can give (0: not scored)."""
        return 0.0

    @property
    def scored(self) -> bool:
        """Scorable when its maximum is above 0, whatever gives it."""
        return self.maximum() > 0

    def answer_problems(self, value: Any) -> list[str]:
        """Problems with a given answer; [] when it fits."""
        raise NotImplementedError

    def points(self, value: Any) -> float:
        return 0.0

    def picked(self, value: Any) -> list[Picked]:
        """The options (or number band) the answer picked: they carry advice and capability tags."""
        return []

    def advice_texts(self, value: Any, picked: list[Picked]) -> list[Text]:
        """The advice of an answer below the top (the question's own advice comes after, if none)."""
        texts: list[Text] = []
        for item in picked:
            if item.advice is not None and item.advice not in texts:
                texts.append(item.advice)
        return texts

    def tag_items(self) -> tuple[Picked, ...]:
        """What can carry capability tags (``gaps``, ``uses``): options or bands."""
        return ()

    # ---------------------------------------------------------------- words

    def answer_words(self, value: Any, lang: str) -> str:
        """The answer as given, in words (labels, a scale point, a number with its unit)."""
        return str(value)

    def answer_gist(self, value: Any, lang: str) -> str:
        """What the answer says about the firm, in few words (a reason names it)."""
        return self.answer_words(value, lang)

    def value_label(self, value: Any, lang: str) -> str:
        """One value a condition may name (an option id), in words."""
        return str(value)

    def picked_words(self, value: Any, lang: str) -> list[tuple[Picked, str]]:
        """Each picked option (or band) with its words."""
        return [(item, item.label.get(lang)) for item in self.picked(value) if item.label is not None]

    # ---------------------------------------------------------------- cells

    def to_cell(self, value: Any) -> Any:
        """One answer as one hashable cell (a CSV column, a bulk frame)."""
        return value

    def from_cell(self, cell: Any) -> Any:
        """A cleaned cell (not empty, not "na", numpy scalars made Python's) as the answer."""
        return str(cell)

    def sample_cells(self, rng: random.Random, size: int = 48) -> list[Any]:
        """Distinct valid cells (the categories of a random frame's column)."""
        return [self.to_cell(self.random_answer(rng))]

    # ---------------------------------------------------------------- storage

    def pack(self, value: Any, out: bytearray, index: dict[str, int]) -> bool:
        """Append the packed item (mark and payload) of a present answer; False when the answer
        is not one the packed form holds (it is then kept as given, in the codec's ``extra``).
        ``index``: option id → its position."""
        return False

    def unpack(self, mark: int, data: bytes, pos: int, ids: list[str]) -> tuple[Any, int]:
        """The answer packed at ``pos`` (after its mark), and the position after it."""
        raise packing.CodecError(f"question {self.id!r}: a {self.type_name} answer is never packed")

    # ---------------------------------------------------------------- teams

    def combine(self, values: list[Any], rule: TeamRule) -> Any | None:
        """Several respondents' answers as the firm's (None: nothing to combine)."""
        return None

    def lowest(self) -> Any | None:
        """The answer that claims least (None: a question without one, free text)."""
        return None

    # ---------------------------------------------------------------- random answers

    def random_answer(self, rng: random.Random, skill: float | None = None) -> Any:
        """One valid non-empty answer; ``skill`` in 0..1 leans towards higher points."""
        raise NotImplementedError

    # ---------------------------------------------------------------- its definition

    tag_field: ClassVar[str] = "options"  # where the file writes the items that carry tags

    def definition_problems(self) -> list[tuple[Loc, str]]:
        """Problems of the question as written (path relative to the question, message): its
        type's own (``_shape_problems``) and its capability tags'."""
        out = self._shape_problems()
        for i, item in enumerate(self.tag_items()):
            for key in ("gaps", "uses"):
                for j, tag in enumerate(getattr(item, key)):
                    if not tag or not tag.replace("_", "").isalnum():
                        out.append(((self.tag_field, i, key, j), f"tag '{tag}' must be letters, digits and _"))
        return out

    def _shape_problems(self) -> list[tuple[Loc, str]]:
        return []

    def condition_values(self) -> set[str] | None:
        """The values a ``show_if: {in: …}`` on this question may name (None: not checked)."""
        return None

    def option_ids(self) -> list[str]:
        return []

    def structure(self) -> dict[str, Any]:
        """Its options, rows and bounds (``cli.py describe``)."""
        return {"options": [], "rows": [], "min": None, "max": None}


# ---------------------------------------------------------------- answers from options


def _plain_cell(cell: Any) -> Any:
    """A spreadsheet's reading of an option id: TRUE/FALSE for yes/no, 1.0 for 1."""
    if isinstance(cell, bool):
        return "yes" if cell else "no"
    if isinstance(cell, float) and cell.is_integer():
        return int(cell)
    return cell


def _pick(options: list[Option], rng: random.Random, skill: float | None) -> Option:
    if skill is None:
        return rng.choice(options)
    ranked = sorted(options, key=lambda o: o.points)
    idx = min(len(ranked) - 1, max(0, int(rng.gauss(skill, 0.25) * len(ranked))))
    return ranked[idx]


class _OptionsQuestion(QuestionBase):
    """A question answered by choosing among options (single, yes/no, multi, matrix)."""

    options: tuple[Option, ...]

    def by_id(self) -> dict[str, Option]:
        return {o.id: o for o in self.options}

    def option_ids(self) -> list[str]:
        return [o.id for o in self.options]

    def value_label(self, option_id: Any, lang: str) -> str:
        """An option's label; an id the question does not offer, as it is."""
        found = self.by_id().get(option_id) if isinstance(option_id, str) else None
        return found.label.get(lang) if found is not None else str(option_id)

    def tag_items(self) -> tuple[Picked, ...]:
        return self.options

    def _order(self, option_id: Any) -> tuple[float, int]:
        """Options ordered by points, then by their place (a stable tie-break)."""
        ids = self.option_ids()
        points = {o.id: o.points for o in self.options}
        return float(points.get(option_id, 0.0)), ids.index(option_id) if option_id in ids else 0

    def sample_cells(self, rng: random.Random, size: int = 48) -> list[Any]:
        pool: list[Any] = []
        for _ in range(size * 4):
            cell = self.to_cell(self.random_answer(rng))
            if cell not in pool:
                pool.append(cell)
            if len(pool) >= size:
                break
        return pool

    def _lowest_option(self) -> Option:
        return min(self.options, key=lambda o: self._order(o.id))

    def _shape_problems(self) -> list[tuple[Loc, str]]:
        out: list[tuple[Loc, str]] = []
        if len(self.options) < 2:
            out.append((("options",), "needs at least two options"))
        seen: set[str] = set()
        for i, o in enumerate(self.options):
            if o.id in seen:
                out.append((("options", i, "id"), f"duplicate option id '{o.id}'"))
            if o.id == "na":
                out.append((("options", i, "id"), "'na' is reserved for 'not applicable' (use allow_na)"))
            seen.add(o.id)
            if o.exclusive and self.type_name != "multi":
                out.append((("options", i, "exclusive"), "only a multi question has exclusive options"))
        return out

    def structure(self) -> dict[str, Any]:
        options = [{"id": o.id, "points": o.points, "exclusive": o.exclusive} for o in self.options]
        return {"options": options, "rows": [], "min": None, "max": None}


class SingleQuestion(_OptionsQuestion):
    """One option of several: its points."""

    type: Literal["single"]

    def maximum(self) -> float:
        return float(max((o.points for o in self.options), default=0.0))

    def answer_problems(self, value: Any) -> list[str]:
        if not isinstance(value, str) or value not in self.by_id():
            return [f"{self.id}: option {value!r} is not offered"]
        return []

    def points(self, value: Any) -> float:
        return float(self.by_id()[value].points)

    def picked(self, value: Any) -> list[Picked]:
        found = self.by_id().get(value) if isinstance(value, str) else None
        return [found] if found is not None else []

    def answer_words(self, value: Any, lang: str) -> str:
        return self.value_label(value, lang)

    def pack(self, value: Any, out: bytearray, index: dict[str, int]) -> bool:
        if isinstance(value, str) and value in index:
            out.append(packing.VALUE)
            packing.put(out, index[value])
            return True
        return False

    def unpack(self, mark: int, data: bytes, pos: int, ids: list[str]) -> tuple[Any, int]:
        packing.expect_value(mark, self.id)
        i, pos = packing.get(data, pos)
        return packing.option_at(self.id, ids, i), pos

    def from_cell(self, cell: Any) -> Any:
        return str(_plain_cell(cell))

    def sample_cells(self, rng: random.Random, size: int = 48) -> list[Any]:
        return self.option_ids()

    def combine(self, values: list[Any], rule: TeamRule) -> Any | None:
        ordered = sorted(values, key=self._order)
        return ordered[_median(len(ordered), rule.ordinal)]

    def lowest(self) -> Any:
        return self._lowest_option().id

    def random_answer(self, rng: random.Random, skill: float | None = None) -> Any:
        return _pick(list(self.options), rng, skill).id

    def condition_values(self) -> set[str] | None:
        return set(self.option_ids()) | {"na"}


YES_NO_LABELS = {"yes": Text({"vi": "Có", "en": "Yes"}), "no": Text({"vi": "Không", "en": "No"})}
YES_NO_POINTS = {"yes": 5, "no": 0}


class YesNoQuestion(SingleQuestion):
    """Yes or no: options ``yes`` and ``no``; the file may leave out their labels (Có / Không,
    Yes / No), or both options (5 points for yes)."""

    type: Literal["yesno"]
    options: tuple[Option, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _yes_and_no(cls, data: Any) -> Any:
        """Fill in what the file may leave out, so that every later reader sees one shape:
        both options (when none is given), their labels, yes first. An option other than yes
        and no keeps its id as a label so that the check names it (``definition_problems``)."""
        if not isinstance(data, dict):
            return data
        given = data.get("options")
        if not given:
            given = [{"id": oid, "points": points} for oid, points in YES_NO_POINTS.items()]
        if not isinstance(given, list | tuple):
            return data
        filled = []
        for option in given:
            if isinstance(option, dict) and option.get("label") is None and isinstance(option.get("id"), str):
                label = YES_NO_LABELS.get(option["id"]) or Text({"vi": option["id"], "en": option["id"]})
                option = {**option, "label": label}
            filled.append(option)
        ids = [o.get("id") if isinstance(o, dict) else getattr(o, "id", None) for o in filled]
        if sorted(ids, key=str) == ["no", "yes"] and ids[0] != "yes":
            filled.reverse()  # yes first
        return {**data, "options": filled}

    def _shape_problems(self) -> list[tuple[Loc, str]]:
        out: list[tuple[Loc, str]] = []
        ids = self.option_ids()
        for i, oid in enumerate(ids):
            if oid not in ("yes", "no"):
                out.append((("options", i, "id"), f"a yesno question offers only yes and no, not '{oid}'"))
        if sorted(set(ids) & {"yes", "no"}) != ["no", "yes"]:
            out.append((("options",), f"a yesno question's options must be exactly yes and no; found {ids}"))
        return out + [p for p in super()._shape_problems() if p[0] != ("options",)]


class MultiQuestion(_OptionsQuestion):
    """Tick all that apply: ``scoring: sum`` (with an optional ``cap``), ``share`` (``max_points``
    when every scoring option is ticked) or ``none``; an ``exclusive`` option ("none of these")
    stands alone."""

    type: Literal["multi"]
    scoring: Literal["sum", "share", "none"] = "sum"
    cap: Points | None = None  # sum: at most this many points
    max_points: Points | None = None  # share: points when every scoring option is ticked

    def maximum(self) -> float:
        if self.scoring == "none":
            return 0.0
        if self.scoring == "share":
            return float(self.max_points or 0)
        total = float(sum(o.points for o in self.options if o.points > 0))
        return min(total, float(self.cap)) if self.cap is not None else total

    def answer_problems(self, value: Any) -> list[str]:
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            return [f"{self.id}: expected a list of option ids"]
        ids = set(self.option_ids())
        problems = [f"{self.id}: option '{v}' is not offered" for v in value if v not in ids]
        if len(set(value)) != len(value):
            problems.append(f"{self.id}: an option is ticked twice")
        exclusive = [o.id for o in self.options if o.exclusive and o.id in value]
        if exclusive and len(set(value)) > 1:
            problems.append(f"{self.id}: '{exclusive[0]}' cannot be ticked together with other options")
        return problems

    def points(self, value: Any) -> float:
        if self.scoring == "none":
            return 0.0
        by_id = self.by_id()
        if self.scoring == "share":
            if any(by_id[v].exclusive for v in value):
                return 0.0
            scoring = [o for o in self.options if not o.exclusive]
            return float(self.max_points or 0) * len(value) / len(scoring)
        total = float(sum(by_id[v].points for v in value))
        return min(total, float(self.cap)) if self.cap is not None else total

    def picked(self, value: Any) -> list[Picked]:
        by_id = self.by_id()
        return [by_id[v] for v in value if v in by_id]

    def advice_texts(self, value: Any, picked: list[Picked]) -> list[Text]:
        """"None of these" speaks first (its advice is the place to start), then the advice of
        each option not ticked."""
        ticked = set(value)
        texts = [o.advice for o in self.options if o.id in ticked and o.exclusive and o.advice is not None]
        texts += [o.advice for o in self.options if o.id not in ticked and not o.exclusive and o.advice is not None]
        return texts

    def answer_words(self, value: Any, lang: str) -> str:
        return ", ".join(self.value_label(v, lang) for v in value)

    def to_cell(self, value: Any) -> Any:
        return "|".join(value) if isinstance(value, (list, tuple)) else value

    def from_cell(self, cell: Any) -> Any:
        if isinstance(cell, (list, tuple)):
            return list(cell)
        return [part.strip() for part in str(_plain_cell(cell)).split("|") if part.strip()]

    def pack(self, value: Any, out: bytearray, index: dict[str, int]) -> bool:
        if not isinstance(value, list) or not all(isinstance(v, str) and v in index for v in value):
            return False
        positions = [index[v] for v in value]
        if positions != sorted(set(positions)):  # duplicates or not in option order: keep as given
            return False
        mask = 0
        for p in positions:
            mask |= 1 << p
        out.append(packing.VALUE)
        packing.put(out, mask)
        return True

    def unpack(self, mark: int, data: bytes, pos: int, ids: list[str]) -> tuple[Any, int]:
        packing.expect_value(mark, self.id)
        n, pos = packing.get(data, pos)
        if n >> len(ids):
            raise packing.CodecError(f"question {self.id!r}: bit set names an option past the last")
        return [ids[i] for i in range(len(ids)) if n >> i & 1], pos

    def combine(self, values: list[Any], rule: TeamRule) -> Any | None:
        """An option counts when ticked by more than half the respondents (``majority``), by
        anyone (``any``) or by all (``all``); "none of these" only alone."""
        values = [v for v in values if isinstance(v, list)]
        counts = Counter(opt for value in values for opt in set(value))
        n = len(values)
        if rule.multi == "any":
            picked = [o.id for o in self.options if counts[o.id] > 0]
        elif rule.multi == "all":
            picked = [o.id for o in self.options if counts[o.id] == n]
        else:
            picked = [o.id for o in self.options if counts[o.id] * 2 > n]
        exclusive = {o.id for o in self.options if o.exclusive}
        if len(picked) > 1:
            picked = [p for p in picked if p not in exclusive] or picked[:1]
        if not picked:
            # nothing reached the rule: "none of these" when it is offered, else the most ticked
            if exclusive:
                picked = [next(o.id for o in self.options if o.exclusive)]
            else:
                top = max(counts.values(), default=0)
                picked = [o.id for o in self.options if top and counts[o.id] == top and o.id not in exclusive]
        return picked

    def lowest(self) -> Any:
        exclusive = [o.id for o in self.options if o.exclusive]
        return exclusive[:1] or [min(self.options, key=lambda o: o.points).id]

    def random_answer(self, rng: random.Random, skill: float | None = None) -> Any:
        exclusive = [o for o in self.options if o.exclusive]
        others = [o for o in self.options if not o.exclusive]
        if exclusive and rng.random() < (0.15 if skill is None else max(0.0, 0.4 - skill)):
            return [rng.choice(exclusive).id]
        share = rng.random() if skill is None else min(1.0, max(0.0, rng.gauss(skill, 0.2)))
        k = max(1, round(share * len(others)))
        chosen = rng.sample(others, k)
        return [o.id for o in others if o in chosen]  # option order, like a form would give

    def _shape_problems(self) -> list[tuple[Loc, str]]:
        out = super()._shape_problems()
        if self.scoring == "share" and not self.max_points:
            out.append((("max_points",), "scoring: share needs max_points"))
        return out

    def condition_values(self) -> set[str] | None:
        return set(self.option_ids()) | {"na"}

    def structure(self) -> dict[str, Any]:
        return {**super().structure(), "scoring": self.scoring}


class MatrixQuestion(_OptionsQuestion):
    """Rows answered on one scale of options; the question's points are the rows' ``mean`` or
    ``sum``."""

    type: Literal["matrix"]
    rows: tuple[Row, ...]
    aggregate: Literal["mean", "sum"] = "mean"

    def row_ids(self) -> list[str]:
        return [r.id for r in self.rows]

    def maximum(self) -> float:
        if not self.rows or not self.options:
            return 0.0
        top = float(max(o.points for o in self.options))
        return top * len(self.rows) if self.aggregate == "sum" else top

    def answer_problems(self, value: Any) -> list[str]:
        if not isinstance(value, dict):
            return [f"{self.id}: expected {{row: option}} for each row"]
        rows, ids = set(self.row_ids()), set(self.option_ids())
        problems = [f"{self.id}: unknown row '{r}'" for r in value if r not in rows]
        problems += [f"{self.id}.{r}: option '{v}' is not offered" for r, v in value.items() if r in rows and v not in ids]
        problems += [f"{self.id}.{r.id}: row not answered" for r in self.rows if r.id not in value]
        return problems

    def points(self, value: Any) -> float:
        by_id = self.by_id()
        total = float(sum(by_id[value[r.id]].points for r in self.rows))
        return total / len(self.rows) if self.aggregate == "mean" else total

    def picked(self, value: Any) -> list[Picked]:
        by_id = self.by_id()
        return [by_id[v] for v in value.values() if v in by_id]

    def _rows_given(self, value: Any) -> list[Row]:
        by_id = self.by_id()
        return [r for r in self.rows if isinstance(value, dict) and value.get(r.id) in by_id]

    def _row_words(self, row: Row, value: Any, lang: str) -> str:
        return f"{row.label.get(lang)}: {self.value_label(value[row.id], lang)}"

    def answer_words(self, value: Any, lang: str) -> str:
        labels = {r.id: r.label.get(lang) for r in self.rows}
        return "; ".join(f"{labels.get(r, r)}: {self.value_label(v, lang)}" for r, v in value.items())

    def answer_gist(self, value: Any, lang: str) -> str:
        """The rows below the top (at most three), or the rows given when all are at the top."""
        by_id = self.by_id()
        top = max(o.points for o in self.options)
        given = self._rows_given(value)
        rows = [r for r in given if by_id[value[r.id]].points < top] or given
        return "; ".join(self._row_words(r, value, lang) for r in rows[:3])

    def picked_words(self, value: Any, lang: str) -> list[tuple[Picked, str]]:
        by_id = self.by_id()
        return [(by_id[value[r.id]], self._row_words(r, value, lang)) for r in self._rows_given(value)]

    def to_cell(self, value: Any) -> Any:
        return ";".join(f"{r}={v}" for r, v in value.items()) if isinstance(value, dict) else value

    def from_cell(self, cell: Any) -> Any:
        if isinstance(cell, dict):
            return cell
        pairs = {}
        for part in str(_plain_cell(cell)).split(";"):
            if "=" in part:
                row, _, opt = part.partition("=")
                pairs[row.strip()] = opt.strip()
            elif part.strip():
                pairs[part.strip()] = ""
        return pairs

    def pack(self, value: Any, out: bytearray, index: dict[str, int]) -> bool:
        rows = self.row_ids()
        if (
            not isinstance(value, dict)
            or list(value) != rows
            or not all(isinstance(v, str) and v in index for v in value.values())
        ):
            return False
        out.append(packing.VALUE)
        for row in rows:
            packing.put(out, index[value[row]])
        return True

    def unpack(self, mark: int, data: bytes, pos: int, ids: list[str]) -> tuple[Any, int]:
        packing.expect_value(mark, self.id)
        value = {}
        for row in self.row_ids():
            i, pos = packing.get(data, pos)
            value[row] = packing.option_at(self.id, ids, i)
        return value, pos

    def combine(self, values: list[Any], rule: TeamRule) -> Any | None:
        """Each row on its own: the median respondent's answer."""
        out = {}
        for row in self.rows:
            given = [v[row.id] for v in values if isinstance(v, dict) and v.get(row.id) is not None]
            if given:
                ordered = sorted(given, key=self._order)
                out[row.id] = ordered[_median(len(ordered), rule.ordinal)]
        return out or None

    def lowest(self) -> Any:
        low = self._lowest_option()
        return {r.id: low.id for r in self.rows}

    def random_answer(self, rng: random.Random, skill: float | None = None) -> Any:
        return {r.id: _pick(list(self.options), rng, skill).id for r in self.rows}

    def _shape_problems(self) -> list[tuple[Loc, str]]:
        out = super()._shape_problems()
        rids = self.row_ids()
        if not rids:
            out.append((("rows",), "a matrix needs at least one row"))
        for i, rid in enumerate(rids):
            if rid in rids[:i]:
                out.append((("rows", i, "id"), f"duplicate row id '{rid}'"))
        return out

    def structure(self) -> dict[str, Any]:
        return {**super().structure(), "rows": self.row_ids()}


# ---------------------------------------------------------------- answers as numbers


class _NumericQuestion(QuestionBase):
    """A number between ``min`` and ``max`` (a scale's steps, or a figure)."""

    min: float
    max: float

    def answer_problems(self, value: Any) -> list[str]:
        if not is_number(value):
            return [f"{self.id}: expected a number, got {value!r}"]
        if not self.min <= value <= self.max:
            return [f"{self.id}: {value:g} is outside {self.min:g}–{self.max:g}"]
        return []

    def from_cell(self, cell: Any) -> Any:
        if isinstance(cell, str):
            try:
                return float(cell.replace(",", "."))
            except ValueError:
                return cell  # reported by answer_problems
        return cell

    def pack(self, value: Any, out: bytearray, index: dict[str, int]) -> bool:
        if packing.is_int(value):
            out.append(packing.VALUE)
            packing.put(out, packing.zigzag(value))
            return True
        return False

    def unpack(self, mark: int, data: bytes, pos: int, ids: list[str]) -> tuple[Any, int]:
        packing.expect_value(mark, self.id)
        z, pos = packing.get(data, pos)
        return packing.unzigzag(z), pos

    def combine(self, values: list[Any], rule: TeamRule) -> Any | None:
        ordered = sorted(values, key=float)
        return ordered[_median(len(ordered), rule.ordinal)]

    def lowest(self) -> Any:
        return self.min

    def _shape_problems(self) -> list[tuple[Loc, str]]:
        return [(("max",), "max must be greater than min")] if self.min >= self.max else []

    def structure(self) -> dict[str, Any]:
        return {"options": [], "rows": [], "min": self.min, "max": self.max}


class ScaleQuestion(_NumericQuestion):
    """A whole step from ``min`` to ``max``, some with words (``anchors``); points in proportion
    (``max_points``, default max − min)."""

    type: Literal["scale"]
    min: int = Field(default=0, ge=-1000, le=1000)
    max: int = Field(default=5, ge=-1000, le=1000)
    max_points: Points | None = None  # default: max - min
    anchors: dict[int, Text] = Field(default_factory=dict)

    def maximum(self) -> float:
        return float(self.max_points if self.max_points is not None else self.max - self.min)

    def answer_problems(self, value: Any) -> list[str]:
        problems = super().answer_problems(value)
        if not problems and value != int(value):
            return [f"{self.id}: {value:g} is not a whole step of the scale"]
        return problems

    def points(self, value: Any) -> float:
        return (value - self.min) / (self.max - self.min) * self.maximum()

    def steps(self) -> list[int]:
        return list(range(self.min, self.max + 1))

    def answer_words(self, value: Any, lang: str) -> str:
        anchor = self.anchors.get(int(value)) if is_number(value) and float(value).is_integer() else None
        words = f"{formats(lang).number(value)}/{self.max}" if is_number(value) else str(value)
        return words + (f" ({anchor.get(lang)})" if anchor is not None else "")

    def from_cell(self, cell: Any) -> Any:
        cell = super().from_cell(cell)
        return int(cell) if isinstance(cell, float) and cell.is_integer() else cell

    def sample_cells(self, rng: random.Random, size: int = 48) -> list[Any]:
        return self.steps()

    def random_answer(self, rng: random.Random, skill: float | None = None) -> Any:
        if skill is None:
            return rng.randint(self.min, self.max)
        return min(self.max, max(self.min, round(self.min + rng.gauss(skill, 0.25) * (self.max - self.min))))

    def _shape_problems(self) -> list[tuple[Loc, str]]:
        out = super()._shape_problems()
        if not out and self.max - self.min > MAX_SCALE_STEPS:
            out.append((("max",), f"a scale has at most {MAX_SCALE_STEPS} steps (one radio button each)"))
        for k in self.anchors:
            if not self.min <= k <= self.max:
                out.append((("anchors", k), f"anchor {k} is outside {self.min}..{self.max}"))
        return out


class NumberQuestion(_NumericQuestion):
    """A figure (a share in %, a head count) scored by ``bands``: each covers ``[from, next
    band's from)``, the last one up to ``max``."""

    type: Literal["number"]
    tag_field: ClassVar[str] = "bands"
    min: Finite
    max: Finite
    unit: Text | None = None
    bands: tuple[Band, ...]

    def maximum(self) -> float:
        return float(max((b.points for b in self.bands), default=0.0))

    def band_for(self, value: float) -> Band:
        chosen = self.bands[0]
        for band in self.bands:
            if value >= band.from_:
                chosen = band
        return chosen

    def points(self, value: Any) -> float:
        return float(self.band_for(value).points)

    def picked(self, value: Any) -> list[Picked]:
        return [self.band_for(value)]

    def tag_items(self) -> tuple[Picked, ...]:
        return self.bands

    def whole(self) -> bool:
        """Asked in whole numbers (its bounds and bands are whole)."""
        return all(float(v).is_integer() for v in (self.min, self.max, *(b.from_ for b in self.bands)))

    def answer_words(self, value: Any, lang: str) -> str:
        number = formats(lang).number(value) if is_number(value) else str(value)
        return with_unit(number, self.unit.get(lang) if self.unit is not None else "")

    def answer_gist(self, value: Any, lang: str) -> str:
        """Its band's words where the band has them ("20% to under 40%"), else the figure."""
        band = self.band_for(value)
        return band.label.get(lang) if band.label is not None else self.answer_words(value, lang)

    def picked_words(self, value: Any, lang: str) -> list[tuple[Picked, str]]:
        return [(item, self.answer_gist(value, lang)) for item in self.picked(value)]

    def pack(self, value: Any, out: bytearray, index: dict[str, int]) -> bool:
        if isinstance(value, float):
            out.append(packing.FLOAT)
            out += packing.DOUBLE.pack(value)
            return True
        return super().pack(value, out, index)

    def unpack(self, mark: int, data: bytes, pos: int, ids: list[str]) -> tuple[Any, int]:
        if mark == packing.FLOAT:
            if pos + 8 > len(data):
                raise packing.CodecError(f"packed answers end inside the number of {self.id!r}")
            return packing.DOUBLE.unpack_from(data, pos)[0], pos + 8
        return super().unpack(mark, data, pos, ids)

    def sample_cells(self, rng: random.Random, size: int = 48) -> list[Any]:
        return sorted({float(round(v)) for v in np.linspace(self.min, self.max, 101)})

    def random_answer(self, rng: random.Random, skill: float | None = None) -> Any:
        if skill is None:
            return round(rng.uniform(self.min, self.max), rng.choice([0, 0, 1]))
        return round(min(self.max, max(self.min, self.min + rng.gauss(skill, 0.25) * (self.max - self.min))))

    def _shape_problems(self) -> list[tuple[Loc, str]]:
        out = super()._shape_problems()
        if not self.bands:
            return out + [(("bands",), "a number question needs at least one band")]
        if self.bands[0].from_ != self.min:
            out.append((("bands", 0, "from"), f"the first band must start at min ({self.min:g})"))
        for i in range(1, len(self.bands)):
            if self.bands[i].from_ <= self.bands[i - 1].from_:
                out.append((("bands", i, "from"), "bands must start at increasing values"))
            if self.bands[i].from_ > self.max:
                out.append((("bands", i, "from"), "band starts above max"))
        return out


class TextQuestion(QuestionBase):
    """Free text: never scored, never combined, kept apart in storage (it may name people)."""

    type: Literal["text"]
    combines: ClassVar[bool] = False
    marks_optional: ClassVar[bool] = False
    required: bool = False
    max_length: int = Field(default=2000, ge=1, le=100_000)

    def answer_problems(self, value: Any) -> list[str]:
        if not isinstance(value, str):
            return [f"{self.id}: expected text"]
        if len(value) > self.max_length:
            return [f"{self.id}: text is {len(value)} characters; the limit is {self.max_length}"]
        return []

    def sample_cells(self, rng: random.Random, size: int = 48) -> list[Any]:
        return ["Ghi chú", "Cần hỗ trợ"]

    def random_answer(self, rng: random.Random, skill: float | None = None) -> Any:
        return rng.choice(TEXT_SAMPLES) or "—"


# ---------------------------------------------------------------- the registry

_TYPES: tuple[type[QuestionBase], ...] = (
    SingleQuestion,
    YesNoQuestion,
    MultiQuestion,
    ScaleQuestion,
    MatrixQuestion,
    NumberQuestion,
    TextQuestion,
)
for _cls in _TYPES:
    _cls.type_name = get_args(_cls.model_fields["type"].annotation)[0]

QUESTION_CLASSES: dict[str, type[QuestionBase]] = {cls.type_name: cls for cls in _TYPES}

# The union pydantic reads a question with, told apart by its ``type``.
Question = Annotated[reduce(or_, _TYPES), Field(discriminator="type")]  # type: ignore[valid-type]

__all__ = [
    "MAX_SCALE_STEPS",
    "QUESTION_CLASSES",
    "MatrixQuestion",
    "MultiQuestion",
    "NumberQuestion",
    "Question",
    "QuestionBase",
    "ScaleQuestion",
    "SingleQuestion",
    "TextQuestion",
    "YesNoQuestion",
]
