"""YAML questionnaire → validated, immutable ``Questionnaire``.

Every problem is collected before anything is raised, so an author fixes a file in one
pass. Each problem names the file, the YAML path (``pillars[2].questions[4].options[1].points``)
and, where the YAML says it, the line.

Safety: ``yaml.safe_load`` semantics only (SafeLoader), files over ``MAX_BYTES`` are refused,
and alias expansion is bounded, so a "billion laughs" file is refused instead of eating memory.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from scoring.engine import question_max
from scoring.model import (
    CompositeRule,
    Condition,
    ConditionGroup,
    MatrixQuestion,
    MultiQuestion,
    NumberQuestion,
    Option,
    Questionnaire,
    ScaleQuestion,
    SingleQuestion,
    Text,
    TextQuestion,
    WeightedMeanRule,
    YesNoQuestion,
)

MAX_BYTES = 1_000_000
MAX_NODES = 200_000
MAX_SCALE_STEPS = 100
MAX_DEPTH = 32  # the bundled questionnaires nest 11 deep
BUNDLED_DIR = Path(__file__).resolve().parent.parent / "questionnaires"

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    file: str
    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}"
        if self.line:
            where += f":{self.line}"
        return f"{where}: {self.path or '(top)'}: {self.message}"


class QuestionnaireError(Exception):
    """Raised with every problem found in one file."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def format_path(loc: Iterable[str | int]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


# ---------------------------------------------------------------- YAML with lines


class SafeLoader12(yaml.SafeLoader):
    """``yaml.SafeLoader`` with YAML 1.2 booleans: only true/false are booleans.

    YAML 1.1 reads ``no``, ``yes``, ``on`` and ``off`` as booleans, so an option labelled
    ``{en: No}`` or an option id ``no`` would silently become ``False``.

    It also refuses nesting deeper than ``MAX_DEPTH`` while composing: PyYAML composes by
    recursion, so a 1 KB file of 500 nested brackets would otherwise end in a RecursionError.
    """

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        depth = getattr(self, "_depth", 0) + 1
        if depth > MAX_DEPTH:
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, f"nested deeper than {MAX_DEPTH} levels", event.start_mark
            )
        self._depth = depth
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth = depth - 1


SafeLoader12.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
SafeLoader12.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _yaml_problem(exc: BaseException, file: str, text: str = "") -> QuestionnaireError:
    mark = getattr(exc, "problem_mark", None)
    line = mark.line + 1 if mark else None
    if isinstance(exc, yaml.reader.ReaderError):  # a control character: its message spans lines
        message = str(exc).splitlines()[0]
        line = text.count("\n", 0, exc.position) + 1
    else:
        message = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return QuestionnaireError([Problem(file, "", f"not valid YAML: {message}", line)])


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _check_graph(root: yaml.Node, file: str) -> None:
    """Refuse what would be too big once aliases are expanded: more than ``MAX_NODES`` nodes,
    nesting deeper than ``MAX_DEPTH`` (aliases can nest anchors far deeper than the text
    does), or an alias inside the node it names. Iterative, so no input can exhaust the stack;
    each node is visited once (sizes and depths memoised)."""
    size: dict[int, int] = {}
    depth: dict[int, int] = {}
    open_: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        key = id(node)
        if finished:
            kids = _children(node)
            size[key] = min(1 + sum(size[id(k)] for k in kids), MAX_NODES + 1)
            depth[key] = 1 + max((depth[id(k)] for k in kids), default=0)
            open_.discard(key)
            continue
        if key in size:
            continue
        if key in open_:  # reached again before it was finished: it contains itself
            raise QuestionnaireError(
                [Problem(file, "", "an alias refers to a node that contains it", node.start_mark.line + 1)]
            )
        open_.add(key)
        stack.append((node, True))
        stack.extend((k, False) for k in _children(node))
    if size[id(root)] > MAX_NODES:
        raise QuestionnaireError(
            [Problem(file, "", f"too many YAML nodes after expanding aliases (limit {MAX_NODES:,})")]
        )
    if depth[id(root)] > MAX_DEPTH:
        raise QuestionnaireError(
            [Problem(file, "", f"nested deeper than {MAX_DEPTH} levels after expanding aliases")]
        )


def _walk_lines(root: yaml.Node, file: str) -> tuple[dict[Path_, int], list[Problem]]:
    """The line of every YAML path, and a problem for every key given twice in one mapping
    (PyYAML would silently keep the last one)."""
    lines: dict[Path_, int] = {}
    duplicates: list[Problem] = []
    checked: set[int] = set()

    def walk(node: yaml.Node, path: Path_) -> None:  # depth is bounded by _check_graph
        lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            first_seen: dict[tuple[str, str], int] = {}
            report = id(node) not in checked  # a node reached again through an alias: once
            checked.add(id(node))
            for k, v in node.value:
                key = k.value if isinstance(k, yaml.ScalarNode) else str(k)
                line = k.start_mark.line + 1
                if isinstance(k, yaml.ScalarNode) and key != "<<":
                    seen_at = first_seen.setdefault((k.tag, key), line)
                    if seen_at != line and report:
                        duplicates.append(
                            Problem(file, format_path(path + (key,)), f"key '{key}' given twice (first at line {seen_at})", line)
                        )
                lines.setdefault(path + (key,), line)
                walk(v, path + (key,))
        elif isinstance(node, yaml.SequenceNode):
            for i, v in enumerate(node.value):
                walk(v, path + (i,))

    walk(root, ())
    return lines, duplicates


def _line_for(lines: dict[Path_, int], loc: Path_) -> int | None:
    loc = tuple(loc)
    while loc:
        if loc in lines:
            return lines[loc]
        loc = loc[:-1]
    return lines.get(())


def read_yaml(path: str | Path) -> tuple[Any, dict[Path_, int], str]:
    """Read one YAML file safely: (data, line map, display name). Raises QuestionnaireError."""
    p = Path(path)
    name = str(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise QuestionnaireError([Problem(name, "", f"cannot read file: {exc.strerror}")]) from None
    if len(raw) > MAX_BYTES:
        raise QuestionnaireError(
            [Problem(name, "", f"file is {len(raw):,} bytes; the limit is {MAX_BYTES:,}")]
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise QuestionnaireError([Problem(name, "", f"not UTF-8 text ({exc.reason} at byte {exc.start})")]) from None
    return parse_yaml_text(text, name)


def parse_yaml_text(text: str, name: str = "<text>") -> tuple[Any, dict[Path_, int], str]:
    """Parse once (compose), check the node graph, then construct from the same nodes."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise QuestionnaireError([Problem(name, "", f"text is over the {MAX_BYTES:,}-byte limit")])
    try:
        loader = SafeLoader12(text)  # the reader refuses control characters at once
    except yaml.YAMLError as exc:
        raise _yaml_problem(exc, name, text) from None
    try:
        try:
            root = loader.get_single_node()
        except yaml.YAMLError as exc:
            raise _yaml_problem(exc, name, text) from None
        if root is None:
            raise QuestionnaireError([Problem(name, "", "the file is empty")])
        _check_graph(root, name)
        try:
            data = loader.construct_document(root)  # safe_load semantics, with YAML 1.2 booleans
        except yaml.YAMLError as exc:  # e.g. a !!python tag: refused, never constructed
            raise _yaml_problem(exc, name) from None
        except (ValueError, OverflowError) as exc:  # Python refuses integers of more than 4,300 digits
            message = "a number has too many digits" if "digits" in str(exc) else f"a value cannot be read: {exc}"
            raise QuestionnaireError([Problem(name, "", message)]) from None
    finally:
        loader.dispose()
    lines, duplicates = _walk_lines(root, name)
    if duplicates:
        raise QuestionnaireError(duplicates)
    return data, lines, name


# ---------------------------------------------------------------- validation


def _pydantic_problems(exc: ValidationError, name: str, lines: dict[Path_, int]) -> list[Problem]:
    out = []
    for err in exc.errors():
        # drop pydantic's union/discriminator tags ("single", "Condition", ...) from the path
        loc: Path_ = ()
        for part in err["loc"]:
            if isinstance(part, str):
                tag = part in _TAGS and loc and (isinstance(loc[-1], int) or loc[-1] == "overall")
                if tag or part[:1].isupper() or "[" in part:
                    continue
            loc += (part,)
        loc = tuple("in" if p == "in_" else "from" if p == "from_" else p for p in loc)
        msg = err["msg"]
        if err["type"] == "extra_forbidden":
            msg = "unknown field"
        elif err["type"] == "missing":
            msg = "required field is missing"
        out.append(Problem(name, format_path(loc), msg, _line_for(lines, loc)))
    return out


_TAGS = {"single", "yesno", "multi", "scale", "matrix", "number", "text", "composite", "weighted_mean"}


class _Checker:
    def __init__(self, q: Questionnaire, name: str, lines: dict[Path_, int]):
        self.q = q
        self.name = name
        self.lines = lines
        self.problems: list[Problem] = []

    def add(self, loc: Path_, message: str) -> None:
        self.problems.append(Problem(self.name, format_path(loc), message, _line_for(self.lines, loc)))

    # every Text anywhere must carry every language
    def check_texts(self, obj: Any, loc: Path_) -> None:
        if isinstance(obj, Text):
            for lang in self.q.languages:
                if not (obj.root.get(lang) or "").strip():
                    self.add(loc, f"missing '{lang}' translation")
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
        seen_questions: dict[str, Path_] = {}
        order: dict[str, int] = {}
        kinds: dict[str, Any] = {}
        for pi, pillar in enumerate(q.pillars):
            ploc: Path_ = ("pillars", pi)
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
            loc: Path_ = ("levels", wrong, "level") if wrong < len(numbers) else ("levels",)
            self.add(loc, f"levels must be listed as 0, 1, 2, … in order, each once; found {numbers}")
        known = set(numbers)

        def increasing(items, loc: Path_, value_name: str, key) -> None:
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
            loc: Path_ = ("rules", "overall", "requirements")
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

    def _check_thresholds(self, bands, loc: Path_) -> None:
        """Each band gives exactly one of min_percent ("at least") and above_percent ("strictly above")."""
        for i, t in enumerate(bands):
            if (t.min_percent is None) == (t.above_percent is None):
                self.add(loc + (i,), "give exactly one of min_percent (at least) and above_percent (strictly above)")
            elif t.min_percent is not None and not 0 < t.min_percent <= 100:
                self.add(loc + (i, "min_percent"), "must be above 0 and at most 100")
            elif t.above_percent is not None and not 0 <= t.above_percent < 100:
                self.add(loc + (i, "above_percent"), "must be at least 0 and below 100")

    def _check_show_if(self, cond, loc: Path_, order: dict[str, int], kinds: dict[str, Any]) -> None:
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
        target = kinds[cond.question]
        if cond.in_ is not None and hasattr(target, "options") and not isinstance(target, MatrixQuestion):
            valid = {o.id for o in _options(target)} | {"na"}
            for i, v in enumerate(cond.in_):
                if str(v) not in valid:
                    self.add(loc + ("in", i), f"'{v}' is not an option of '{cond.question}'")

    def _check_question(self, question, loc: Path_) -> bool:
        """Check one question; return True when it can score points."""
        if isinstance(question, TextQuestion):
            return False
        if isinstance(question, NumberQuestion):
            if question.min >= question.max:
                self.add(loc + ("max",), "max must be greater than min")
            if not question.bands:
                self.add(loc + ("bands",), "a number question needs at least one band")
                return False
            if question.bands[0].from_ != question.min:
                self.add(loc + ("bands", 0, "from"), f"the first band must start at min ({question.min:g})")
            for i in range(1, len(question.bands)):
                if question.bands[i].from_ <= question.bands[i - 1].from_:
                    self.add(loc + ("bands", i, "from"), "bands must start at increasing values")
                if question.bands[i].from_ > question.max:
                    self.add(loc + ("bands", i, "from"), "band starts above max")
            self._check_tags(question.bands, loc + ("bands",))
            return question_max(question) > 0
        if isinstance(question, ScaleQuestion):
            if question.min >= question.max:
                self.add(loc + ("max",), "max must be greater than min")
            elif question.max - question.min > MAX_SCALE_STEPS:
                self.add(loc + ("max",), f"a scale has at most {MAX_SCALE_STEPS} steps (one radio button each)")
            for k in question.anchors:
                if not question.min <= k <= question.max:
                    self.add(loc + ("anchors", k), f"anchor {k} is outside {question.min}..{question.max}")
            return question_max(question) > 0
        options = _options(question)
        if isinstance(question, YesNoQuestion):
            given = [o.id for o in question.options]  # not the filled-in pair: 'maybe' must not vanish
            for i, oid in enumerate(given):
                if oid not in ("yes", "no"):
                    self.add(loc + ("options", i, "id"), f"a yesno question offers only yes and no, not '{oid}'")
            if question.options and sorted(set(given) & {"yes", "no"}) != ["no", "yes"]:
                self.add(loc + ("options",), f"a yesno question's options must be exactly yes and no; found {given}")
        elif len(options) < 2:
            self.add(loc + ("options",), "needs at least two options")
        seen: set[str] = set()
        for i, o in enumerate(options):
            if o.id in seen:
                self.add(loc + ("options", i, "id"), f"duplicate option id '{o.id}'")
            if o.id == "na":
                self.add(loc + ("options", i, "id"), "'na' is reserved for 'not applicable' (use allow_na)")
            seen.add(o.id)
            if o.label is None and not isinstance(question, YesNoQuestion):
                self.add(loc + ("options", i, "label"), "required field is missing")
            if o.exclusive and not isinstance(question, MultiQuestion):
                self.add(loc + ("options", i, "exclusive"), "only a multi question has exclusive options")
        if question.options:
            self._check_tags(question.options, loc + ("options",))
        if isinstance(question, MatrixQuestion):
            rids = [r.id for r in question.rows]
            if not rids:
                self.add(loc + ("rows",), "a matrix needs at least one row")
            for i, rid in enumerate(rids):
                if rid in rids[:i]:
                    self.add(loc + ("rows", i, "id"), f"duplicate row id '{rid}'")
        if isinstance(question, MultiQuestion):
            if question.scoring == "share" and not question.max_points:
                self.add(loc + ("max_points",), "scoring: share needs max_points")
        if not options or (isinstance(question, MatrixQuestion) and not question.rows):
            return False
        # scorable when its maximum is above 0, whatever gives it (option points, a share's
        # max_points, a cap): the engine's own maximum decides
        filled = question.model_copy(update={"options": options}) if isinstance(question, YesNoQuestion) else question
        return question_max(filled) > 0

    def _check_tags(self, items, loc: Path_) -> None:
        for i, item in enumerate(items):
            for key in ("gaps", "uses"):
                for j, tag in enumerate(getattr(item, key)):
                    if not tag or not tag.replace("_", "").isalnum():
                        self.add(loc + (i, key, j), f"tag '{tag}' must be letters, digits and _")


def _options(question) -> tuple[Option, ...]:
    if isinstance(question, YesNoQuestion):
        return yesno_options(question)
    return getattr(question, "options", ())


_YES = Text({"vi": "Có", "en": "Yes"})
_NO = Text({"vi": "Không", "en": "No"})


def yesno_options(question: YesNoQuestion) -> tuple[Option, ...]:
    given = {o.id: o for o in question.options}
    yes = given.get("yes") or Option(id="yes", points=5)
    no = given.get("no") or Option(id="no", points=0)
    return (
        yes if yes.label else yes.model_copy(update={"label": _YES}),
        no if no.label else no.model_copy(update={"label": _NO}),
    )


def content_hash(data: Any) -> str:
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def build_questionnaire(data: Any, lines: dict[Path_, int], name: str) -> Questionnaire:
    if not isinstance(data, dict):
        raise QuestionnaireError([Problem(name, "", "the top level must be a mapping (id, version, pillars, …)")])
    data = dict(data)
    data.pop("content_hash", None)
    try:
        q = Questionnaire.model_validate(data)
    except ValidationError as exc:
        raise QuestionnaireError(_pydantic_problems(exc, name, lines)) from None
    problems = _Checker(q, name, lines).run()
    if problems:
        raise QuestionnaireError(problems)
    # fill in yesno default labels so the rest of the code sees one shape of question
    pillars = []
    for p in q.pillars:
        qs = [
            qq.model_copy(update={"options": yesno_options(qq)}) if isinstance(qq, YesNoQuestion) else qq
            for qq in p.questions
        ]
        pillars.append(p.model_copy(update={"questions": tuple(qs)}))
    return q.model_copy(update={"pillars": tuple(pillars), "content_hash": content_hash(data)})


def load_questionnaire(path: str | Path) -> Questionnaire:
    """Load and validate one questionnaire file. Raises ``QuestionnaireError`` listing every problem."""
    data, lines, name = read_yaml(path)
    return build_questionnaire(data, lines, name)


def load_questionnaire_text(text: str, name: str = "<text>") -> Questionnaire:
    data, lines, name = parse_yaml_text(text, name)
    return build_questionnaire(data, lines, name)


@lru_cache(maxsize=32)
def _cached(path: str, mtime: float) -> Questionnaire:
    return load_questionnaire(path)


def load_cached(path: str | Path) -> Questionnaire:
    p = Path(path).resolve()
    return _cached(str(p), p.stat().st_mtime)


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
    "SingleQuestion",
    "bundled_paths",
    "content_hash",
    "load_bundled",
    "load_cached",
    "load_questionnaire",
    "load_questionnaire_text",
]
