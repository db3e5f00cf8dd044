"""The one loader core every data file uses: questionnaires, the platform catalogue, the
firm-profile reference, the roadmap, and the wording files.

- Safe YAML: ``yaml.SafeLoader`` semantics with YAML 1.2 booleans (only ``true``/``false``;
  ``yes``, ``no``, ``on``, ``off`` stay words), a size limit, a nesting limit, a limit on
  the nodes aliases expand to (no "billion laughs"), optionally no aliases at all; a key
  given twice in one mapping is a problem, not silently the last one.
- A line map: the line of every YAML path, so that each problem reads
  ``file:line: path: message`` (``Problem``), whether it comes from the YAML itself, from
  pydantic's shape checks (``pydantic_problems``) or from a file's own cross checks
  (``DataChecker``).
- Every problem of a file is collected before anything is raised (``DataFileError`` and the
  per-file subclasses), so an author fixes a file in one pass.

Pure: no Streamlit, no database.
"""

from __future__ import annotations

import os
import re
import string
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple, TypeVar
from urllib.parse import urlsplit

import yaml
from pydantic import BaseModel, ValidationError

LANGUAGES = ("vi", "en")  # every bilingual text of every data file carries both
MAX_BYTES = 1_000_000
MAX_NODES = 200_000
MAX_DEPTH = 32  # the bundled questionnaires nest 11 deep

Loc = tuple[str | int, ...]
Path_ = Loc  # the older name, kept for callers

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)


# ---------------------------------------------------------------- problems


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


class DataFileError(Exception):
    """A data file with problems; ``problems`` lists every one (file, YAML path, line)."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def format_path(loc: Iterable[str | int]) -> str:
    """``("pillars", 2, "questions", 4)`` → ``pillars[2].questions[4]``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def line_for(lines: dict[Loc, int], loc: Iterable[str | int]) -> int | None:
    """The line of a YAML path, or of its nearest parent the file has."""
    loc = tuple(loc)
    while loc:
        if loc in lines:
            return lines[loc]
        loc = loc[:-1]
    return lines.get(())


# ---------------------------------------------------------------- safe YAML


class SafeLoader12(yaml.SafeLoader):
    """``yaml.SafeLoader`` with YAML 1.2 booleans: only true/false are booleans.

    YAML 1.1 reads ``no``, ``yes``, ``on`` and ``off`` as booleans, so an option labelled
    ``{en: No}`` or an option id ``no`` would silently become ``False``.

    It also refuses nesting deeper than ``MAX_DEPTH`` while composing: PyYAML composes by
    recursion, so a 1 KB file of 500 nested brackets would otherwise end in a RecursionError;
    and, when ``aliases`` is False, any alias (a file that never needs them).
    """

    aliases = True

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        if not self.aliases and self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise _AliasRefused(event.anchor, event.start_mark.line + 1)
        depth = getattr(self, "_depth", 0) + 1
        if depth > MAX_DEPTH:
            event = self.peek_event()
            raise yaml.composer.ComposerError(None, None, f"nested deeper than {MAX_DEPTH} levels", event.start_mark)
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


class _AliasRefused(Exception):
    def __init__(self, anchor: str, line: int):
        self.anchor = anchor
        self.line = line


def _yaml_problem(exc: BaseException, file: str, text: str = "") -> DataFileError:
    mark = getattr(exc, "problem_mark", None)
    line = mark.line + 1 if mark else None
    if isinstance(exc, yaml.reader.ReaderError):  # a control character: its message spans lines
        message = str(exc).splitlines()[0]
        line = text.count("\n", 0, exc.position) + 1
    else:
        message = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return DataFileError([Problem(file, "", f"not valid YAML: {message}", line)])


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
            raise DataFileError([Problem(file, "", "an alias refers to a node that contains it", node.start_mark.line + 1)])
        open_.add(key)
        stack.append((node, True))
        stack.extend((k, False) for k in _children(node))
    if size[id(root)] > MAX_NODES:
        raise DataFileError([Problem(file, "", f"too many YAML nodes after expanding aliases (limit {MAX_NODES:,})")])
    if depth[id(root)] > MAX_DEPTH:
        raise DataFileError([Problem(file, "", f"nested deeper than {MAX_DEPTH} levels after expanding aliases")])


def _walk_lines(root: yaml.Node, file: str) -> tuple[dict[Loc, int], list[Problem]]:
    """The line of every YAML path, and a problem for every key given twice in one mapping
    (PyYAML would silently keep the last one)."""
    lines: dict[Loc, int] = {}
    duplicates: list[Problem] = []
    checked: set[int] = set()

    def walk(node: yaml.Node, path: Loc) -> None:  # depth is bounded by _check_graph
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


def _unreadable_scalar(root: yaml.Node, error: BaseException) -> int | None:
    """The line of the first scalar Python cannot turn into a value (a date like 2026-13-01, an
    integer of more than 4,300 digits)."""
    constructor = yaml.constructor.SafeConstructor()
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            if node.tag in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:int"):
                try:
                    constructor.construct_object(node)
                except (ValueError, OverflowError):
                    return node.start_mark.line + 1
        else:
            stack.extend(reversed(_children(node)))
    return None


class YamlFile(NamedTuple):
    """A parsed YAML file: its data, the line of every YAML path, and the name problems show."""

    data: Any
    lines: dict[Loc, int]
    name: str


def read_yaml(
    path: str | Path, *, name: str | None = None, max_bytes: int = MAX_BYTES, aliases: bool = True
) -> YamlFile:
    """Read one YAML file safely. Raises ``DataFileError``; ``name`` is the file as problems
    name it (default: the path as given)."""
    p = Path(path)
    name = str(path) if name is None else name
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise DataFileError([Problem(name, "", f"cannot read file: {exc.strerror or exc}")]) from None
    if len(raw) > max_bytes:
        raise DataFileError([Problem(name, "", f"file is {len(raw):,} bytes; the limit is {max_bytes:,}")])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataFileError([Problem(name, "", f"not UTF-8 text ({exc.reason} at byte {exc.start})")]) from None
    return parse_yaml_text(text, name, max_bytes=max_bytes, aliases=aliases)


def parse_yaml_text(text: str, name: str = "<text>", *, max_bytes: int = MAX_BYTES, aliases: bool = True) -> YamlFile:
    """Parse once (compose), check the node graph, then construct from the same nodes."""
    if len(text.encode("utf-8", "surrogatepass")) > max_bytes:
        raise DataFileError([Problem(name, "", f"text is over the {max_bytes:,}-byte limit")])
    try:
        loader = SafeLoader12(text)  # the reader refuses control characters at once
    except yaml.YAMLError as exc:
        raise _yaml_problem(exc, name, text) from None
    loader.aliases = aliases
    try:
        try:
            root = loader.get_single_node()
        except yaml.YAMLError as exc:
            raise _yaml_problem(exc, name, text) from None
        except _AliasRefused as exc:
            raise DataFileError([Problem(name, "", f"YAML aliases (*{exc.anchor}) are not allowed in this file", exc.line)]) from None
        if root is None:
            raise DataFileError([Problem(name, "", "the file is empty")])
        _check_graph(root, name)
        try:
            data = loader.construct_document(root)  # safe_load semantics, with YAML 1.2 booleans
        except yaml.YAMLError as exc:  # e.g. a !!python tag: refused, never constructed
            raise _yaml_problem(exc, name) from None
        except (ValueError, OverflowError) as exc:  # a date like 2026-13-01; Python refuses ints over 4,300 digits
            message = "a number has too many digits" if "digits" in str(exc) else f"a value cannot be read ({exc})"
            raise DataFileError([Problem(name, "", f"not valid YAML: {message}", _unreadable_scalar(root, exc))]) from None
    finally:
        loader.dispose()
    lines, duplicates = _walk_lines(root, name)
    if duplicates:
        raise DataFileError(duplicates)
    return YamlFile(data, lines, name)


# ---------------------------------------------------------------- shape problems (pydantic)


# pydantic's error locations name the member of a tagged union ("single", "composite"); a YAML
# path does not: these are dropped (once per item: a text question's field ``text`` stays), and
# the Python names of aliased fields become the file's
_UNION_FIELDS = {"overall"}  # fields holding a tagged union directly (a list item may hold one too)
_FIELD_NAMES = {"in_": "in", "from_": "from"}
_CLASS_NAME = re.compile(r"[A-Z][a-z][A-Za-z0-9]*")  # Condition, not a sector letter or a key like G


def pydantic_problems(exc: ValidationError, name: str, lines: dict[Loc, int], tags: Iterable[str] = ()) -> list[Problem]:
    """A data file's shape problems (pydantic's) as ``Problem`` lines with the YAML path and line.

    ``tags``: the discriminator values of the file's tagged unions (question types, rule
    methods), left out of the path as the YAML does not write them."""
    tags = set(tags)
    out = []
    for err in exc.errors():
        loc: Loc = ()
        tag_dropped_at = -1
        for part in err["loc"]:
            if isinstance(part, str):
                in_union = bool(loc) and (isinstance(loc[-1], int) or loc[-1] in _UNION_FIELDS)
                if part in tags and in_union and tag_dropped_at != len(loc):
                    tag_dropped_at = len(loc)
                    continue
                if _CLASS_NAME.fullmatch(part) or "[" in part:
                    continue  # a union member's class name or a validator's, not a YAML key
            loc += (part,)
        loc = tuple(_FIELD_NAMES.get(p, p) if isinstance(p, str) else p for p in loc)
        out.append(Problem(name, format_path(loc), _message(err, loc), line_for(lines, loc)))
    return out


def _message(err: Any, loc: Loc) -> str:
    kind, msg = err["type"], err["msg"]
    if kind == "extra_forbidden":
        return "unknown field"
    if kind == "missing":
        return "required field is missing"
    if kind == "string_type" and isinstance(err.get("input"), int | float) and not isinstance(err["input"], bool):
        key = loc[-1] if loc else "value"
        return f'expected a string: quote it, e.g. {key}: "{err["input"]}"'
    if msg.startswith("Value error, "):
        return msg[len("Value error, ") :]
    return msg


def validated(model: type[M], data: Any, lines: dict[Loc, int], name: str, error: type[DataFileError], keys: str,
              tags: Iterable[str] = ()) -> M:
    """``data`` as ``model``, or ``error`` with every shape problem (path and line)."""
    if not isinstance(data, dict):
        raise error([Problem(name, "", f"the top level must be a mapping ({keys})")])
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise error(pydantic_problems(exc, name, lines, tags)) from None


# ---------------------------------------------------------------- cross checks


class DataChecker:
    """What every data file's own checks share: problems with file, path and line, translations
    present (and in no other language), ids unique and well formed, URLs usable."""

    def __init__(self, name: str, lines: dict[Loc, int], languages: tuple[str, ...] = LANGUAGES):
        self.name = name
        self.lines = lines
        self.languages = tuple(languages)
        self.problems: list[Problem] = []

    def add(self, loc: Loc, message: str) -> None:
        self.problems.append(Problem(self.name, format_path(loc), message, line_for(self.lines, loc)))

    def text(self, text: Any, loc: Loc, *, other_languages: bool = True) -> None:
        """A bilingual text (a ``Text``, or a raw mapping) carries every language, non-empty;
        with ``other_languages``, no language the file does not use."""
        if text is None:
            return
        root = getattr(text, "root", text)
        if not isinstance(root, dict):
            return  # not a mapping: the shape check reports it
        for lang in self.languages:
            value = root.get(lang)
            if value is None or (isinstance(value, str) and not value.strip()):
                self.add(loc, f"missing '{lang}' translation")
        if other_languages:
            for lang in root:
                if lang not in self.languages:
                    self.add(loc + (lang,), f"unknown language '{lang}' (expected {', '.join(self.languages)})")

    def unique_ids(self, items: Iterable[Any], section: Loc | str, kind: str, pattern: str | None = None,
                   hint: str = "") -> None:
        """Each item's ``id`` (an attribute, or a raw mapping's key) once, matching ``pattern``."""
        section = (section,) if isinstance(section, str) else tuple(section)
        seen: dict[str, int] = {}
        for i, item in enumerate(items):
            value = item.get("id") if isinstance(item, dict) else getattr(item, "id", None)
            if not isinstance(value, str):
                continue
            if pattern is not None and not re.fullmatch(pattern, value):
                self.add(section + (i, "id"), f"id {value!r} must be {hint}")
            if value in seen:
                self.add(section + (i, "id"), f"duplicate {kind} id '{value}' (first at {format_path(section)}[{seen[value]}])")
            else:
                seen[value] = i

    def known(self, values: Iterable[str] | None, loc: Loc, known: Iterable[str], what: str) -> None:
        """An optional filter (sizes, sectors): None = every one; else one or more known ids."""
        if values is None:
            return
        values, known = list(values), tuple(known)
        if not values:
            self.add(loc, f"name at least one {what}, or leave {loc[-1]} out (every {what})")
        for i, value in enumerate(values):
            if value not in known:
                self.add(loc + (i,), f"unknown {what} '{value}' (expected one of {', '.join(known)})")

    def url(self, value: Any, loc: Loc, schemes: tuple[str, ...] = ("https", "http")) -> None:
        if isinstance(value, str):
            problem = url_problem(value.strip(), schemes)
            if problem:
                self.add(loc, problem)


_HOST = re.compile(r"(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,63}")


def url_problem(value: str, schemes: tuple[str, ...] = ("https", "http")) -> str | None:
    """Why ``value`` is not a usable URL with one of ``schemes`` (None: it is)."""
    want = " or ".join(f"{s}://" for s in schemes)
    if not value or any(ch.isspace() for ch in value):
        return f"bad URL {value!r}: it must not be empty or contain spaces"
    try:
        parts = urlsplit(value)
        host = parts.hostname
    except ValueError:
        return f"bad URL {value!r}"
    if parts.scheme not in schemes:
        return f"bad URL {value!r}: it must start with {want}"
    if not host or not _HOST.fullmatch(host) or parts.username or parts.password:
        return f"bad URL {value!r}: no valid host name"
    return None


def template_fields(template: str) -> tuple[set[str], str | None]:
    """The value names a template (``"{answer} cho câu {question}"``) uses, or why it cannot be
    used: only plain names, never ``{x.attr}``, ``{x[0]}``, ``{x!r}`` or ``{x:>9}``."""
    names: set[str] = set()
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:
        return names, f"not a valid template ({exc}); write a literal brace as {{{{ or }}}}"
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        if not name.isidentifier() or spec or conversion:
            shown = "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
            return names, f"{shown}: only plain names like {{answer}} are allowed"
        names.add(name)
    return names, None


def as_date(value: Any) -> date:
    """A YAML date (``2026-11-23``, unquoted or quoted), for a pydantic ``BeforeValidator``."""
    if isinstance(value, date) and not hasattr(value, "hour"):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"expected a date like 2026-11-23, got {value!r}")


# ---------------------------------------------------------------- loading


Build = Callable[[Any, dict[Loc, int], str], T]


def read_checked(path: str | Path, build: Build[T], error: type[DataFileError], **read: Any) -> T:
    """Read a data file with this core (safe YAML, lines) and ``build`` it; a read problem is
    raised as ``error`` (QuestionnaireError, RoadmapError, WordingError …) with its problems.
    ``read``: ``name``, ``max_bytes``, ``aliases`` (see ``read_yaml``)."""
    try:
        data, lines, name = read_yaml(path, **read)
    except DataFileError as exc:
        raise error(exc.problems) from None
    return build(data, lines, name)


def parse_checked(text: str, name: str, build: Build[T], error: type[DataFileError], **read: Any) -> T:
    """As ``read_checked``, for text in memory."""
    try:
        data, lines, name = parse_yaml_text(text, name, **read)
    except DataFileError as exc:
        raise error(exc.problems) from None
    return build(data, lines, name)


def cached_by_mtime(load: Callable[[str], T], maxsize: int = 8) -> Callable[[str | Path], T]:
    """``load(path)`` cached until the file changes (its modification time)."""

    @lru_cache(maxsize=maxsize)
    def cached(path: str, mtime: float) -> T:
        return load(path)

    resolved: dict[str | Path, str] = {}

    def get(path: str | Path) -> T:
        where = resolved.get(path)
        if where is None:
            where = resolved.setdefault(path, str(Path(path).resolve()))
        return cached(where, os.stat(where).st_mtime)

    get.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
    return get


__all__ = [
    "LANGUAGES",
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_NODES",
    "DataChecker",
    "DataFileError",
    "Loc",
    "Problem",
    "SafeLoader12",
    "YamlFile",
    "as_date",
    "cached_by_mtime",
    "format_path",
    "line_for",
    "parse_checked",
    "parse_yaml_text",
    "pydantic_problems",
    "read_checked",
    "read_yaml",
    "template_fields",
    "url_problem",
    "validated",
]
