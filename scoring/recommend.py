"""Platform recommendations and a phased roadmap, each item with the answers behind it.

Pure and deterministic: the same questionnaire, result, profile, budget, catalogue and roadmap
always give an equal ``Recommendations`` (ties are broken by ids, never by dict or set order).

Categories
    The answers' capability tags say which platform categories the firm needs: an answered
    option (or number band, or matrix cell) with ``gaps: [e_invoice]`` is evidence for
    e_invoice. A category the firm already uses (``uses`` tags, e.g. the "tools you already
    use" question) is recommended in mode ``improve`` (connect it and use it better), never
    ``adopt``. Categories are ranked by

        score = Σ over the category's pillars p (below the top level) of
                weight_p × (gap_p + STEP_BONUS × near_p)

    where ``gap_p = (100 − percent_p) / 100`` (how weak the pillar is) and ``near_p`` in 0..1
    is how far the pillar has come through its current level band (1 = right below the next
    level threshold: the step it would unlock). Ties go to the category id.

Platforms
    Up to three per category that fit the firm's size band, sector (or all sectors) and
    budget (price band ≤ budget; free < low < medium < high), ranked by fit (sector named,
    size named), support (SMEdx, Decree 80/2021), free trial, then id. None fitting: an empty
    list and a reason that says so (nothing is invented).

Roadmap
    From each pillar's level, the roadmap actions of the next two steps that fit the firm's
    size (an action may name the size bands it suits; an unknown size sees all). The first step's
    quick wins (low cost and low effort) go to 0–3 months, weakest pillars first, but at most
    QUICK_WINS_PER_PILLAR per pillar and QUICK_WINS in all: an owner gets a short list to
    start on, not every cheap idea at once. The rest of the first step is 3–12 months, the
    second step 12–24 months. Targets: +1 level at 12 months and +2 at 24, capped at the top.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from scoring.engine import ANSWERED, UNANSWERED, Result, band_for, is_empty
from scoring.model import (
    FirmProfile,
    MatrixQuestion,
    MultiQuestion,
    NumberQuestion,
    Question,
    Questionnaire,
    ScaleQuestion,
    Text,
    TextQuestion,
)
from scoring.roadmap_data import ActionSpec, RoadmapData, load_bundled_roadmap

PHASES = ("0-3", "3-12", "12-24")
BUDGETS = ("free", "low", "medium", "high")
BUDGET_RANK = {b: i for i, b in enumerate(BUDGETS)}
STEP_BONUS = 0.25  # at most worth 25 percentage points of weakness: weakness leads, the step decides near-ties
MAX_PLATFORMS = 3
MAX_NAMED_ANSWERS = 3
QUICK_WINS = 6  # at most this many actions in the first three months
QUICK_WINS_PER_PILLAR = 2
LANGS = ("vi", "en")

SIZE_NAMES = {
    "household": {"vi": "hộ kinh doanh", "en": "household businesses"},
    "micro": {"vi": "doanh nghiệp siêu nhỏ", "en": "micro firms"},
    "small": {"vi": "doanh nghiệp nhỏ", "en": "small firms"},
    "medium": {"vi": "doanh nghiệp vừa", "en": "medium firms"},
    "large": {"vi": "doanh nghiệp lớn", "en": "large firms"},
}
# VSIC 2018 sections, short names for reasons
SECTOR_NAMES = {
    "A": ("nông, lâm nghiệp và thủy sản", "agriculture, forestry and fishing"),
    "B": ("khai khoáng", "mining"),
    "C": ("chế biến, chế tạo", "manufacturing"),
    "D": ("điện, khí đốt", "electricity and gas"),
    "E": ("cấp nước, xử lý rác thải", "water supply and waste"),
    "F": ("xây dựng", "construction"),
    "G": ("bán buôn, bán lẻ", "wholesale and retail"),
    "H": ("vận tải, kho bãi", "transport and storage"),
    "I": ("lưu trú và ăn uống", "accommodation and food"),
    "J": ("thông tin và truyền thông", "information and communication"),
    "K": ("tài chính, bảo hiểm", "finance and insurance"),
    "L": ("bất động sản", "real estate"),
    "M": ("chuyên môn, khoa học và công nghệ", "professional, scientific and technical services"),
    "N": ("hành chính và dịch vụ hỗ trợ", "administrative and support services"),
    "O": ("quản lý nhà nước", "public administration"),
    "P": ("giáo dục và đào tạo", "education"),
    "Q": ("y tế và trợ giúp xã hội", "health and social work"),
    "R": ("nghệ thuật, vui chơi và giải trí", "arts and recreation"),
    "S": ("dịch vụ khác", "other services"),
    "T": ("hộ gia đình", "household activities"),
    "U": ("tổ chức quốc tế", "international organisations"),
}
PRICE_NAMES = {
    "free": {"vi": "miễn phí", "en": "free"},
    "low": {"vi": "thấp", "en": "low"},
    "medium": {"vi": "trung bình", "en": "medium"},
    "high": {"vi": "cao", "en": "high"},
}


# ---------------------------------------------------------------- the contract


@dataclass
class PlatformPick:
    id: str
    name: str
    vendor: str
    website: str
    price_band: str
    free_trial: str  # "yes" | "no" | "unknown"
    smedx: str
    decree80: str
    reason: Text  # why this platform fits (size, sector, budget, support)

    def to_dict(self, lang: str) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "vendor": self.vendor,
            "website": self.website,
            "price_band": self.price_band,
            "free_trial": self.free_trial,
            "smedx": self.smedx,
            "decree80": self.decree80,
            "reason": self.reason.get(lang),
        }


@dataclass
class CategoryRec:
    category: str
    name: Text
    problem: Text
    mode: str  # "adopt" | "improve" (the firm already uses a tool of this kind)
    score: float  # ranking score, higher first
    pillars: list[str]  # pillars it lifts, most lifted first
    questions: list[str]  # the answers that led to it
    reason: Text  # names those answers in words (and, with no platform, says why)
    platforms: list[PlatformPick]  # 0 to 3
    platform_note: Text | None = None  # why the platform list is empty, when it is

    def to_dict(self, lang: str) -> dict[str, Any]:
        return {
            "category": self.category,
            "name": self.name.get(lang),
            "problem": self.problem.get(lang),
            "mode": self.mode,
            "score": self.score,
            "pillars": list(self.pillars),
            "questions": list(self.questions),
            "reason": self.reason.get(lang),
            "platforms": [p.to_dict(lang) for p in self.platforms],
            "platform_note": self.platform_note.get(lang) if self.platform_note else None,
        }


@dataclass
class RoadmapAction:
    id: str
    pillar: str
    from_level: int
    to_level: int
    phase: str  # "0-3" | "3-12" | "12-24" (months)
    text: Text
    category: str | None
    support: Text | None
    reason: Text
    questions: list[str]
    mode: str | None = None  # "adopt" | "improve" for actions with a category, else None
    cost: str = "low"
    effort: str = "low"
    # the reason without the pillar's standing: for a page that names the pillar once above its actions
    evidence: Text | None = None

    def to_dict(self, lang: str) -> dict[str, Any]:
        return {
            "id": self.id,
            "pillar": self.pillar,
            "from_level": self.from_level,
            "to_level": self.to_level,
            "phase": self.phase,
            "text": self.text.get(lang),
            "category": self.category,
            "mode": self.mode,
            "cost": self.cost,
            "effort": self.effort,
            "support": self.support.get(lang) if self.support else None,
            "reason": self.reason.get(lang),
            "evidence": self.evidence.get(lang) if self.evidence else None,
            "questions": list(self.questions),
        }


@dataclass
class Roadmap:
    phases: dict[str, list[RoadmapAction]]  # keys "0-3", "3-12", "12-24"
    targets: dict[str, dict[str, int]]  # pillar -> {"now": l, "12m": l, "24m": l}

    def actions(self) -> list[RoadmapAction]:
        return [a for phase in PHASES for a in self.phases.get(phase, [])]

    def to_dict(self, lang: str) -> dict[str, Any]:
        return {
            "phases": {phase: [a.to_dict(lang) for a in self.phases.get(phase, [])] for phase in PHASES},
            "targets": {p: dict(t) for p, t in self.targets.items()},
        }


@dataclass
class Recommendations:
    categories: list[CategoryRec]
    roadmap: Roadmap
    budget: str | None = None
    profile: dict[str, Any] = field(default_factory=dict)

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        return {
            "language": lang,
            "budget": self.budget,
            "profile": dict(self.profile),
            "categories": [c.to_dict(lang) for c in self.categories],
            "roadmap": self.roadmap.to_dict(lang),
        }


# ---------------------------------------------------------------- small helpers


def _texts(make: Callable[[str], str]) -> Text:
    return Text({lang: make(lang) for lang in LANGS})


def _quote(s: str, lang: str) -> str:
    return f"«{s}»" if lang == "vi" else f"“{s}”"


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _get(obj: Any, name: str, default: Any = None) -> Any:
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


def _as_text(value: Any, fallback: str = "") -> Text:
    if isinstance(value, Text):
        return value
    if isinstance(value, dict):
        return Text({k: str(v) for k, v in value.items()})
    if isinstance(value, str) and value:
        return Text({lang: value for lang in LANGS})
    return Text({lang: fallback for lang in LANGS})


def _flag(value: Any) -> str:
    """A catalogue yes/no/unknown field (a bool, a string, or a {status: ...} object)."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None:
        return "unknown"
    if isinstance(value, str):
        v = value.strip().lower()
        return v if v in ("yes", "no", "unknown") else ("yes" if v in ("true", "listed", "approved") else "unknown")
    for key in ("status", "value", "listed", "eligible"):
        inner = _get(value, key)
        if inner is not None:
            return _flag(inner)
    return "unknown"


def _by_id(items: Any) -> dict[str, Any]:
    if items is None:
        return {}
    if isinstance(items, dict):
        return {str(_get(v, "id") or k): v for k, v in items.items()}
    return {str(_get(v, "id")): v for v in items}


# ---------------------------------------------------------------- the catalogue, read loosely


@dataclass(frozen=True)
class _Category:
    id: str
    name: Text
    problem: Text
    pillars: dict[str, float]


@dataclass(frozen=True)
class _Platform:
    id: str
    name: str
    vendor: str
    website: str
    categories: tuple[str, ...]
    sizes: tuple[str, ...]  # () = every size
    sectors: tuple[str, ...]  # () = every sector
    price_band: str
    free_trial: str
    smedx: str
    decree80: str


def _read_catalogue(catalogue: Any) -> tuple[dict[str, _Category], list[_Platform]]:
    categories: dict[str, _Category] = {}
    for cid, c in sorted(_by_id(_get(catalogue, "categories")).items()):
        pillars = _get(c, "pillars") or {}
        if not isinstance(pillars, dict):  # a plain list: equal weights
            pillars = {p: 1.0 for p in pillars}
        name = _as_text(_get(c, "name"), cid)
        problem = _as_text(_get(c, "problem") or _get(c, "description") or _get(c, "why"), "")
        categories[cid] = _Category(cid, name, problem, {str(k): float(v) for k, v in pillars.items()})
    platforms = []
    for pid, p in sorted(_by_id(_get(catalogue, "platforms")).items()):
        cats = _get(p, "categories") or ()
        if isinstance(cats, str):
            cats = (cats,)
        single = _get(p, "category")
        cats = tuple(cats) + ((single,) if single and single not in cats else ())
        sizes = tuple(_get(p, "sizes") or ())
        sectors = tuple(str(s) for s in (_get(p, "sectors") or ()))
        if any(s.lower() in ("all", "*", "any") for s in sectors):
            sectors = ()
        platforms.append(
            _Platform(
                id=pid,
                name=str(_get(p, "name") or pid),
                vendor=str(_get(p, "vendor") or ""),
                website=str(_get(p, "website") or _get(p, "url") or ""),
                categories=cats,
                sizes=tuple(str(s) for s in sizes if str(s).lower() not in ("all", "*", "any")),
                sectors=sectors,
                price_band=str(_get(p, "price_band") or "unknown"),
                free_trial=_flag(_get(p, "free_trial")),
                smedx=_flag(_get(p, "smedx")),
                decree80=_flag(_get(p, "decree80")),
            )
        )
    return categories, platforms


# ---------------------------------------------------------------- answers in words


def _option_label(item: Any, lang: str) -> str:
    label = getattr(item, "label", None)
    if label is not None:
        return label.get(lang)
    return str(getattr(item, "id", "") or "")


def _number(value: Any) -> str:
    return f"{value:g}" if isinstance(value, (int, float)) else str(value)


def answer_words(q: Question, value: Any, lang: str) -> str:
    """The firm's answer to ``q`` in words (option labels, a scale point, a number)."""
    if is_empty(value):
        return "chưa trả lời" if lang == "vi" else "not answered"
    if value == "na":
        return "không áp dụng" if lang == "vi" else "not applicable"
    if isinstance(q, TextQuestion):
        return str(value)
    if isinstance(q, ScaleQuestion):
        anchor = q.anchors.get(int(value))
        return f"{_number(value)}/{q.max}" + (f" ({anchor.get(lang)})" if anchor else "")
    if isinstance(q, NumberQuestion):
        band = band_for(q, value)
        if band.label is not None:
            return band.label.get(lang)
        unit = f" {q.unit.get(lang)}" if q.unit else ""
        return f"{_number(value)}{unit}"
    by_id = {o.id: o for o in q.options}
    if isinstance(q, MultiQuestion):
        return ", ".join(_option_label(by_id[v], lang) for v in value if v in by_id)
    if isinstance(q, MatrixQuestion):
        top = max(o.points for o in q.options)
        rows = [r for r in q.rows if r.id in value and value[r.id] in by_id and by_id[value[r.id]].points < top]
        rows = rows or [r for r in q.rows if r.id in value and value[r.id] in by_id]
        return "; ".join(f"{r.label.get(lang)}: {_option_label(by_id[value[r.id]], lang)}" for r in rows[:3])
    return _option_label(by_id[value], lang) if value in by_id else str(value)


@dataclass
class _Evidence:
    """An answer that carries a capability tag: which question, which labels."""

    question: str
    pillar: str
    labels: dict[str, list[str]]  # lang -> labels of the options that carry the tag


def _tag_evidence(questionnaire: Questionnaire, result: Result) -> tuple[dict[str, list[_Evidence]], dict[str, list[_Evidence]]]:
    """Per tag, the answered questions whose chosen options reveal it missing (gaps) or in use (uses)."""
    gaps: dict[str, list[_Evidence]] = {}
    uses: dict[str, list[_Evidence]] = {}
    for pillar, q in questionnaire.questions():
        qr = result.questions.get(q.id)
        if qr is None or qr.status != ANSWERED or isinstance(q, (TextQuestion, ScaleQuestion)):
            continue
        value = qr.answer
        picked: list[tuple[Any, dict[str, str]]] = []  # (item with tags, lang -> words)
        if isinstance(q, NumberQuestion):
            band = band_for(q, value)
            picked.append((band, {lang: answer_words(q, value, lang) for lang in LANGS}))
        elif isinstance(q, MatrixQuestion):
            by_id = {o.id: o for o in q.options}
            for r in q.rows:
                o = by_id.get(value.get(r.id)) if isinstance(value, dict) else None
                if o is not None:
                    picked.append((o, {lang: f"{r.label.get(lang)}: {_option_label(o, lang)}" for lang in LANGS}))
        else:
            by_id = {o.id: o for o in q.options}
            chosen = value if isinstance(q, MultiQuestion) else [value]
            for v in chosen:
                if v in by_id:
                    picked.append((by_id[v], {lang: _option_label(by_id[v], lang) for lang in LANGS}))
        for kind, store in (("gaps", gaps), ("uses", uses)):
            for item, words in picked:
                for tag in getattr(item, kind, ()):
                    found = next((e for e in store.setdefault(tag, []) if e.question == q.id), None)
                    if found is None:
                        found = _Evidence(q.id, pillar.id, {lang: [] for lang in LANGS})
                        store[tag].append(found)
                    for lang in LANGS:
                        if words[lang] not in found.labels[lang]:
                            found.labels[lang].append(words[lang])
    return gaps, uses


def _named_answers(questionnaire: Questionnaire, evidence: list[_Evidence], lang: str) -> str:
    parts = []
    for e in evidence[:MAX_NAMED_ANSWERS]:
        text = questionnaire.question(e.question).text.get(lang)
        labels = ", ".join(e.labels[lang])
        if lang == "vi":
            parts.append(f"{_quote(labels, lang)} cho câu {_quote(text, lang)}")
        else:
            parts.append(f"{_quote(labels, lang)} to {_quote(text, lang)}")
    more = len(evidence) - MAX_NAMED_ANSWERS
    if more > 0:
        parts.append(f"và {more} câu khác" if lang == "vi" else f"and {more} more")
    return "; ".join(parts)


# ---------------------------------------------------------------- pillars


class _Pillars:
    """Levels, thresholds and weakness of the questionnaire's pillars for one result."""

    def __init__(self, questionnaire: Questionnaire, result: Result):
        self.q = questionnaire
        self.result = result
        self.top = max(lv.level for lv in questionnaire.levels)
        self.thresholds = {0: 0.0} | {t.level: t.percent for t in questionnaire.rules.pillar_levels}
        self.order = {p.id: i for i, p in enumerate(questionnaire.pillars)}

    def level(self, pid: str) -> int | None:
        pr = self.result.pillars.get(pid)
        return None if pr is None else pr.level

    def percent(self, pid: str) -> float | None:
        pr = self.result.pillars.get(pid)
        return None if pr is None else pr.percent

    def next_threshold(self, pid: str) -> float | None:
        level = self.level(pid)
        if level is None or level >= self.top:
            return None
        return self.thresholds.get(level + 1)

    def lift(self, pid: str) -> float:
        """gap to 100 % plus a bonus for being close to the next level; 0 at the top or unscored."""
        level, pct = self.level(pid), self.percent(pid)
        if level is None or pct is None or level >= self.top:
            return 0.0
        gap = max(0.0, (100.0 - pct) / 100.0)
        lo = self.thresholds.get(level, 0.0)
        hi = self.thresholds.get(level + 1, 100.0)
        near = 1.0 - (hi - pct) / (hi - lo) if hi > lo else 0.0
        return gap + STEP_BONUS * min(1.0, max(0.0, near))

    def sort_key(self, pid: str) -> tuple[float, int]:
        pct = self.percent(pid)
        return (100.0 if pct is None else pct, self.order.get(pid, len(self.order)))

    def name(self, pid: str, lang: str) -> str:
        try:
            return self.q.pillar(pid).name.get(lang)
        except KeyError:
            return pid

    def level_name(self, level: int, lang: str) -> str:
        try:
            return self.q.level(level).name.get(lang)
        except KeyError:
            return str(level)

    def below_top(self, pid: str) -> list[str]:
        """The pillar's answers below their maximum, the furthest below first (then unanswered)."""
        rows = []
        for i, (pillar, q) in enumerate(self.q.questions()):
            if pillar.id != pid:
                continue
            qr = self.result.questions.get(q.id)
            if qr is None or qr.max <= 0 or qr.points >= qr.max or qr.status not in (ANSWERED, UNANSWERED):
                continue
            rows.append((qr.status != ANSWERED, qr.points / qr.max, i, q.id))
        return [qid for *_, qid in sorted(rows)]


# ---------------------------------------------------------------- platforms


def _fits(p: _Platform, profile: FirmProfile, budget: str | None, category: str) -> bool:
    if category not in p.categories:
        return False
    if profile.size_band and p.sizes and profile.size_band not in p.sizes:
        return False
    if profile.sector and p.sectors and profile.sector not in p.sectors:
        return False
    return not (budget is not None and BUDGET_RANK.get(p.price_band, 99) > BUDGET_RANK[budget])


def _platform_key(p: _Platform, profile: FirmProfile) -> tuple:
    fit = 0
    if profile.sector and profile.sector in p.sectors:
        fit += 2  # made for the firm's sector
    if profile.size_band and profile.size_band in p.sizes:
        fit += 1
    support = (p.smedx == "yes") + (p.decree80 == "yes")
    return (-fit, -support, -(p.free_trial == "yes"), p.id)


def _platform_reason(p: _Platform, profile: FirmProfile, budget: str | None) -> Text:
    def make(lang: str) -> str:
        vi = lang == "vi"
        parts = []
        size = SIZE_NAMES[profile.size_band][lang] if profile.size_band in SIZE_NAMES else None
        sector = SECTOR_NAMES.get(profile.sector, (profile.sector, profile.sector))[0 if vi else 1] if profile.sector else None
        specific = bool(profile.sector and profile.sector in p.sectors)
        if size and specific:
            parts.append(f"phù hợp {size} ngành {sector}" if vi else f"fits {size} in {sector}")
        elif size:
            parts.append(f"phù hợp {size}" if vi else f"fits {size}")
        elif specific:
            parts.append(f"dành cho ngành {sector}" if vi else f"made for {sector}")
        if sector and not specific:
            parts.append("dùng cho mọi ngành" if vi else "for every sector")
        price = PRICE_NAMES.get(p.price_band, {"vi": p.price_band, "en": p.price_band})[lang]
        if p.price_band == "free":
            price = "miễn phí" if vi else "free"
        else:
            price = f"giá {price}" if vi else f"{price} price"
        if budget is not None:
            limit = PRICE_NAMES[budget][lang]
            parts.append(f"{price}, trong ngân sách ({limit})" if vi else f"{price}, within your budget ({limit})")
        else:
            parts.append(price)
        if p.free_trial == "yes":
            parts.append("có dùng thử miễn phí" if vi else "free trial")
        if p.smedx == "yes":
            parts.append("có trên SMEdx" if vi else "listed on SMEdx")
        if p.decree80 == "yes":
            parts.append("được hỗ trợ chi phí theo Nghị định 80/2021" if vi else "cost support under Decree 80/2021")
        return _cap("; ".join(parts))

    return _texts(make)


def _pick_platforms(
    cid: str, platforms: list[_Platform], profile: FirmProfile, budget: str | None
) -> tuple[list[PlatformPick], Text | None]:
    fitting = sorted((p for p in platforms if _fits(p, profile, budget, cid)), key=lambda p: _platform_key(p, profile))
    picks = [
        PlatformPick(
            id=p.id,
            name=p.name,
            vendor=p.vendor,
            website=p.website,
            price_band=p.price_band,
            free_trial=p.free_trial,
            smedx=p.smedx,
            decree80=p.decree80,
            reason=_platform_reason(p, profile, budget),
        )
        for p in fitting[:MAX_PLATFORMS]
    ]
    if picks:
        return picks, None
    in_category = [p for p in platforms if cid in p.categories]
    over_budget = [p for p in in_category if _fits(p, profile, None, cid)]
    if over_budget and budget is not None:
        cheapest = min((BUDGET_RANK.get(p.price_band, 99), p.price_band) for p in over_budget)[1]

        def make(lang: str) -> str:
            names = PRICE_NAMES.get(cheapest, {"vi": cheapest, "en": cheapest})
            if lang == "vi":
                return (
                    f"Không nền tảng nào trong danh mục vừa ngân sách ({PRICE_NAMES[budget]['vi']}); "
                    f"nền tảng phù hợp rẻ nhất ở mức giá {names['vi']}."
                )
            return f"No platform in the catalogue fits the budget ({PRICE_NAMES[budget]['en']}); the cheapest that fits is in the {names['en']} band."

        return [], _texts(make)

    def make_none(lang: str) -> str:
        who = []
        if profile.size_band in SIZE_NAMES:
            who.append(SIZE_NAMES[profile.size_band][lang])
        if profile.sector:
            sector = SECTOR_NAMES.get(profile.sector, (profile.sector, profile.sector))[0 if lang == "vi" else 1]
            who.append(f"ngành {sector}" if lang == "vi" else f"in {sector}")
        if not in_category:
            return "Danh mục chưa có nền tảng nào cho loại này." if lang == "vi" else "The catalogue has no platform of this kind yet."
        if lang == "vi":
            return f"Chưa có nền tảng nào trong danh mục phù hợp với {', '.join(who)}{' trong ngân sách' if budget else ''}."
        return f"No platform in the catalogue fits {' '.join(who)}{' within the budget' if budget else ''} yet."

    return [], _texts(make_none)


# ---------------------------------------------------------------- categories


def _category_reason(
    questionnaire: Questionnaire,
    pillars: _Pillars,
    mode: str,
    gap_ev: list[_Evidence],
    use_ev: list[_Evidence],
    lifted: list[str],
    note: Text | None,
) -> Text:
    def make(lang: str) -> str:
        vi = lang == "vi"
        answers = _named_answers(questionnaire, gap_ev, lang)
        text = f"Vì bạn trả lời {answers}." if vi else f"Because you answered {answers}."
        if mode == "improve":
            used = _named_answers(questionnaire, use_ev, lang) if use_ev else ""
            if vi:
                text += (f" Bạn đã dùng công cụ loại này ({used})" if used else " Bạn đã dùng công cụ loại này")
                text += ": hãy kết nối nó với các phần mềm khác và dùng tốt hơn, không cần mua thêm."
                if note is None:
                    text += " Các nền tảng bên dưới chỉ là lựa chọn thay thế nếu công cụ hiện tại không kết nối được."
            else:
                text += (f" You already use a tool of this kind ({used})" if used else " You already use a tool of this kind")
                text += ": connect it to your other software and use it better rather than buying another."
                if note is None:
                    text += " The platforms below are only alternatives in case the current tool cannot connect."
        if lifted:
            named = []
            for pid in lifted[:2]:
                lv = pillars.level(pid)
                pct = pillars.percent(pid)
                words = pillars.name(pid, lang)
                if lv is not None and pct is not None:
                    words += f" ({'mức' if vi else 'level'} {lv}, {pct:.0f}%)"
                named.append(words)
            text += (" Giúp nâng trụ cột " if vi else " It lifts ") + ", ".join(named) + "."
        if note is not None:
            text += " " + note.get(lang)
        return text

    return _texts(make)


def _rank_categories(
    questionnaire: Questionnaire,
    result: Result,
    profile: FirmProfile,
    budget: str | None,
    categories: dict[str, _Category],
    platforms: list[_Platform],
    pillars: _Pillars,
    gaps: dict[str, list[_Evidence]],
    uses: dict[str, list[_Evidence]],
) -> list[CategoryRec]:
    used = set(result.uses) | set(uses)
    recs = []
    for cid in sorted(gaps):
        if cid not in categories or not gaps[cid]:
            continue
        cat = categories[cid]
        contributions = {
            pid: w * pillars.lift(pid) for pid, w in cat.pillars.items() if w > 0 and pid in result.pillars
        }
        score = round(sum(contributions.values()), 4)
        lifted = sorted((pid for pid, c in contributions.items() if c > 0), key=lambda pid: (-contributions[pid], pillars.sort_key(pid)))
        mode = "improve" if cid in used else "adopt"
        gap_ev = gaps[cid]
        use_ev = uses.get(cid, [])[:1] if mode == "improve" else []  # one answer is proof enough
        picks, note = _pick_platforms(cid, platforms, profile, budget)
        questions = []
        for e in gap_ev + use_ev:
            if e.question not in questions:
                questions.append(e.question)
        recs.append(
            CategoryRec(
                category=cid,
                name=cat.name,
                problem=cat.problem,
                mode=mode,
                score=score,
                pillars=lifted,
                questions=questions,
                reason=_category_reason(questionnaire, pillars, mode, gap_ev, use_ev, lifted, note),
                platforms=picks,
                platform_note=note,
            )
        )
    recs.sort(key=lambda r: (-r.score, r.category))
    return recs


# ---------------------------------------------------------------- roadmap


def _assign_phases(candidates: list[tuple[tuple, int, bool, RoadmapAction]]) -> dict[str, list[RoadmapAction]]:
    """(sort key, step, quick win, action) → phases. Sort keys put the weakest pillars first."""
    phases: dict[str, list[RoadmapAction]] = {phase: [] for phase in PHASES}
    quick: dict[str, int] = {}
    taken = 0
    for _, step, quick_win, action in sorted(candidates, key=lambda c: c[0]):
        if step > 0:
            phase = "12-24"
        elif quick_win and taken < QUICK_WINS and quick.get(action.pillar, 0) < QUICK_WINS_PER_PILLAR:
            phase = "0-3"
            taken += 1
            quick[action.pillar] = quick.get(action.pillar, 0) + 1
        else:
            phase = "3-12"
        action.phase = phase
        phases[phase].append(action)
    return phases


def _action_reason(
    questionnaire: Questionnaire,
    result: Result,
    pillars: _Pillars,
    pid: str,
    action: ActionSpec,
    mode: str | None,
    questions: list[str],
    recommended: dict[str, CategoryRec],
    categories: dict[str, _Category],
) -> tuple[Text, Text]:
    """(the whole reason, the reason without the pillar's standing)."""
    level = pillars.level(pid)
    pct = pillars.percent(pid)
    nxt = pillars.next_threshold(pid)

    def standing(lang: str) -> str:
        vi = lang == "vi"
        name = _quote(pillars.name(pid, lang), lang)
        lvname = pillars.level_name(level, lang)
        if vi:
            text = f"Trụ cột {name} đang ở mức {level} ({lvname}, {pct:.0f}%)"
            if nxt is not None:
                text += f"; cần {nxt:g}% để lên mức {level + 1}"
        else:
            text = f"The {name} pillar is at level {level} ({lvname}, {pct:.0f}%)"
            if nxt is not None:
                text += f"; it reaches level {level + 1} at {nxt:g}%"
        if action.from_ > level:
            text += (
                f"; bước này tiếp nối bước lên mức {action.from_}" if vi else f"; this step follows the step to level {action.from_}"
            )
        return text

    def evidence(lang: str) -> str:
        vi = lang == "vi"
        text = ""
        parts = []
        for qid in questions:
            q = questionnaire.question(qid)
            qr = result.questions[qid]
            words = answer_words(q, qr.answer if qr.status == ANSWERED else None, lang)
            parts.append(f"{_quote(words, lang)} {'cho câu' if vi else 'to'} {_quote(q.text.get(lang), lang)}")
        if parts:
            text += ("Câu trả lời làm giảm điểm trụ cột: " if vi else "Answers holding it back: ") + "; ".join(parts) + "."
        cat = action.category
        if cat is not None:
            cname = _quote(categories[cat].name.get(lang) if cat in categories else cat, lang)
            if mode == "improve":
                text += f" Bạn đã dùng công cụ {cname}." if vi else f" You already use a {cname} tool."
            elif cat in recommended:
                text += (
                    f" Xem nền tảng gợi ý ở mục {cname}." if vi else f" See the platforms suggested under {cname}."
                )
            else:
                text += f" Loại công cụ: {cname}." if vi else f" Kind of tool: {cname}."
        return text.strip()

    def whole(lang: str) -> str:
        rest = evidence(lang)
        return f"{standing(lang)}. {rest}" if rest else f"{standing(lang)}."

    return _texts(whole), _texts(evidence)


def _build_roadmap(
    questionnaire: Questionnaire,
    result: Result,
    profile: FirmProfile,
    data: RoadmapData,
    pillars: _Pillars,
    gaps: dict[str, list[_Evidence]],
    uses: dict[str, list[_Evidence]],
    recommended: dict[str, CategoryRec],
    categories: dict[str, _Category],
) -> Roadmap:
    used = set(result.uses) | set(uses)
    order = {a.id: i for i, a in enumerate(data.actions)}
    candidates: list[tuple[tuple, int, bool, RoadmapAction]] = []
    targets: dict[str, dict[str, int]] = {}
    for pillar in questionnaire.pillars:
        pid = pillar.id
        level = pillars.level(pid)
        if level is None or pillars.percent(pid) is None:
            continue  # nothing scored in this pillar (all not applicable)
        top = pillars.top
        t12, t24 = min(level + 1, top), min(level + 2, top)
        targets[pid] = {"now": level, "12m": t12, "24m": t24}
        below = pillars.below_top(pid)
        for step, from_level in enumerate(range(level, t24)):
            for spec in data.for_step(pid, from_level, profile):  # only actions that fit the firm's size
                mode = None
                text = spec.text
                if spec.category is not None:
                    if spec.category in used:
                        if spec.improve is None:
                            continue  # never tell a firm to adopt what it already uses
                        mode, text = "improve", spec.improve
                    else:
                        mode = "adopt"
                questions: list[str] = []
                if spec.category is not None:
                    questions += [e.question for e in gaps.get(spec.category, []) if e.pillar == pid]
                questions += below
                questions = list(dict.fromkeys(questions))[:MAX_NAMED_ANSWERS]
                reason, evidence = _action_reason(
                    questionnaire, result, pillars, pid, spec, mode, questions, recommended, categories
                )
                action = RoadmapAction(
                    id=spec.id,
                    pillar=pid,
                    from_level=spec.from_,
                    to_level=spec.to,
                    phase="",  # set by _assign_phases
                    text=text,
                    category=spec.category,
                    support=data.support_text(spec, profile),
                    reason=reason,
                    evidence=evidence,
                    questions=questions,
                    mode=mode,
                    cost=spec.cost,
                    effort=spec.effort,
                )
                key = (pillars.sort_key(pid), spec.from_, order[spec.id], spec.id)
                candidates.append((key, step, spec.quick_win, action))
    return Roadmap(phases=_assign_phases(candidates), targets=targets)


# ---------------------------------------------------------------- entry point


def _roadmap_data(actions: RoadmapData | Iterable[ActionSpec] | None) -> RoadmapData:
    if actions is None:
        return load_bundled_roadmap()
    if isinstance(actions, RoadmapData):
        return actions
    return RoadmapData(version="custom", actions=tuple(actions))


def recommend(
    questionnaire: Questionnaire,
    result: Result,
    profile: FirmProfile | None = None,
    budget: str | None = None,
    catalogue: Any = None,
    actions: RoadmapData | Iterable[ActionSpec] | None = None,
) -> Recommendations:
    """Ranked platform categories with fitting platforms, and a phased roadmap; each with its reason.

    ``budget``: the highest price band the firm will pay (free | low | medium | high; None = any).
    ``catalogue``: a ``scoring.catalogue.Catalogue`` (default: the bundled one, cached);
    ``actions``: a ``RoadmapData`` or a list of ``ActionSpec`` (default: the bundled roadmap,
    ``scoring.roadmap_data.load_bundled_roadmap()``).
    """
    if budget is not None and budget not in BUDGET_RANK:
        raise ValueError(f"budget must be one of {', '.join(BUDGETS)} (or None), got {budget!r}")
    profile = profile or FirmProfile()
    if catalogue is None:
        from scoring.catalogue import load_bundled_catalogue

        catalogue = load_bundled_catalogue()
    categories, platforms = _read_catalogue(catalogue)
    data = _roadmap_data(actions)
    pillars = _Pillars(questionnaire, result)
    gaps, uses = _tag_evidence(questionnaire, result)
    recs = _rank_categories(questionnaire, result, profile, budget, categories, platforms, pillars, gaps, uses)
    roadmap = _build_roadmap(
        questionnaire, result, profile, data, pillars, gaps, uses, {r.category: r for r in recs}, categories
    )
    return Recommendations(
        categories=recs,
        roadmap=roadmap,
        budget=budget,
        profile=profile.model_dump(exclude_none=True),
    )


__all__ = [
    "BUDGETS",
    "PHASES",
    "CategoryRec",
    "PlatformPick",
    "Recommendations",
    "Roadmap",
    "RoadmapAction",
    "answer_words",
    "recommend",
]
