"""What every programme-staff page shares: the sign-in check and heading, the filter bar
(kept in the session, so a filter set on one page holds on the next), names for the ids the
store returns (provinces, sectors, pillars, levels, catalogue categories), and figures
written with their n or, for a group under k firms, the note that says why there is none.

The pages never load assessment rows: every figure comes from ``store.staff`` (the summary
tables), which suppresses groups under k and never returns a firm name.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import streamlit as st

from scoring.model import Questionnaire
from store import Filters
from ui import auth, common, reference, resources, state
from ui.i18n import t, text
from ui.safe import callback

ss = st.session_state
FILTER = "staff_filter"  # the filter, kept while widgets come and go between pages
W = "staff_f_"  # widget keys of the filter bar
FIELDS = ("qid", "versions", "period", "month_from", "month_to", "days", "province", "sector", "size", "round",
          "workshop", "association")
LIST_FIELDS = ("versions", "province", "sector", "size", "round", "workshop", "association")
PERIODS = ("all", "months", "days")
ROUNDS = ("baseline", "follow_up")
MONTHS_BACK = 60


# ------------------------------------------------------------------ page frame


def page_head(title_key: str, intro_key: str | None = None) -> bool:
    """The flash messages, the title and the role check: False when the page must stop."""
    common.show_flash()
    st.title(t(title_key), anchor=False)
    if not auth.require(auth.PROGRAMME):
        return False
    if intro_key:
        st.caption(t(intro_key))
    return True


# ------------------------------------------------------------------ numbers in words


def number(value: float | int | None, lang: str | None = None, digits: int = 0) -> str:
    """1234.5 → "1.234,5" (vi) or "1,234.5" (en)."""
    if value is None or value != value:
        return "—"
    lang = lang or state.lang()
    out = f"{value:,.{digits}f}"
    return out.replace(",", "\x00").replace(".", ",").replace("\x00", ".") if lang == "vi" else out


def percent(value: float | None, lang: str | None = None) -> str:
    return "—" if value is None or value != value else f"{number(value, lang, 1)}%"


def points(value: float | None, lang: str | None = None) -> str:
    """A difference in percentage points, with its sign: "+4,2" / "−3,0"."""
    if value is None or value != value:
        return "—"
    sign = "+" if value > 0.05 else ("\u2212" if value < -0.05 else "±")
    return f"{sign}{number(abs(value), lang, 1)}"


def n_is(n: int | None, lang: str | None = None) -> str:
    return t("staff.n_is", n=number(n, lang), lang=lang)


def hidden_note(k: int, lang: str | None = None) -> str:
    return t("staff.hidden", k=k, lang=lang)


# ------------------------------------------------------------------ names for ids


@dataclass
class Names:
    """Words for the ids the store returns, in the session's language."""

    lang: str
    questionnaire: Questionnaire | None = None
    pillars: dict[str, str] = field(default_factory=dict)
    levels: dict[int, str] = field(default_factory=dict)
    workshops: dict[int, str] = field(default_factory=dict)
    # the reference lists, read once while the page runs: a download button's callable
    # (run outside the page's thread) names groups from these
    provinces: dict[str, str] = field(default_factory=dict)
    sectors: dict[str, str] = field(default_factory=dict)
    sizes: dict[str, str] = field(default_factory=dict)
    categories: dict[str, Any] = field(default_factory=dict)

    def pillar(self, pid: str) -> str:
        if pid == "overall":
            return t("staff.overall", lang=self.lang)
        return self.pillars.get(pid, pid)

    def level(self, level: Any) -> str:
        if level is None or level != level:
            return "—"
        level = int(level)
        name = self.levels.get(level)
        return f"{level} · {name}" if name else str(level)

    def province(self, value: Any) -> str:
        return t("staff.not_given", lang=self.lang) if value is None else self.provinces.get(value, str(value))

    def sector(self, value: Any) -> str:
        return t("staff.not_given", lang=self.lang) if value is None else self.sectors.get(value, str(value))

    def size(self, value: Any) -> str:
        return t("staff.not_given", lang=self.lang) if value is None else self.sizes.get(value, str(value))

    def round(self, value: Any) -> str:
        return t(f"staff.round_{value}", lang=self.lang) if value in ROUNDS else str(value)

    def category(self, tag: str) -> str:
        found = self.categories.get(tag)
        return text(found, self.lang) if found is not None else tag

    def group(self, by: str, value: Any) -> str:
        """A breakdown's group: a province, sector, size band, round or period."""
        if by == "province":
            return self.province(value)
        if by == "sector":
            return self.sector(value)
        if by == "size_band":
            return self.size(value)
        if by == "round":
            return self.round(value)
        if by == "workshop_id":
            return self.workshops.get(value, str(value)) if value is not None else t("staff.not_given", lang=self.lang)
        return "—" if value is None else str(value)


def _categories() -> dict[str, Any]:
    try:
        return {c.id: c.name for c in resources.catalogue().categories}
    except Exception:  # a broken catalogue: the ids still say something
        return {}


# ------------------------------------------------------------------ questionnaires in the store


def questionnaires() -> dict[str, Questionnaire]:
    """Every questionnaire the app offers or the store holds results of (newest stored
    version when its file is gone), by id."""
    out: dict[str, Questionnaire] = {q.id: q for q in resources.available().questionnaires}
    store = resources.get_store()
    for lay in sorted(store.layouts(), key=lambda x: -x.id):
        if lay.questionnaire_id not in out:
            found = store.questionnaire_for(lay.id)
            if found is not None:
                out[lay.questionnaire_id] = found
    return out


def versions_of(qid: str | None) -> list[str]:
    if not qid:
        return []
    return list(dict.fromkeys(lay.version for lay in sorted(resources.get_store().layouts(), key=lambda x: x.id)
                              if lay.questionnaire_id == qid))


def _pillar_names(qid: str | None, current: Questionnaire | None, lang: str) -> dict[str, str]:
    """Pillar names of every stored version of ``qid`` (the newest wins), then the file's."""
    names: dict[str, str] = {}
    if qid:
        store = resources.get_store()
        for lay in sorted(store.layouts(), key=lambda x: x.id):
            if lay.questionnaire_id == qid:
                found = store.questionnaire_for(lay.id)
                if found is not None:
                    names.update({p.id: text(p.name, lang) for p in found.pillars})
    if current is not None:
        names.update({p.id: text(p.name, lang) for p in current.pillars})
    return names


def _default_qid(known: dict[str, Questionnaire]) -> str | None:
    """The questionnaire with the most pooled firms (the first one offered when none has any)."""
    if not known:
        return None
    staff = resources.get_store().staff
    counts = {qid: staff.overview(Filters(questionnaire_id=qid), k=1).n or 0 for qid in known}
    return max(known, key=lambda qid: (counts[qid], -list(known).index(qid)))


# ------------------------------------------------------------------ the filter bar


def _months(today: date) -> list[str]:
    out, year, month = [], today.year, today.month
    for _ in range(MONTHS_BACK):
        out.append(f"{year:04d}-{month:02d}")
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return out  # newest first


def _month_label(value: str) -> str:
    year, month = value.split("-")
    return f"{month}/{year}" if state.lang() == "vi" else date(int(year), int(month), 1).strftime("%b %Y")


def stored() -> dict[str, Any]:
    return ss.setdefault(FILTER, {})


@callback
def _changed(name: str) -> None:
    value = ss.get(W + name)
    stored()[name] = list(value) if isinstance(value, (list, tuple)) and name != "days" else value
    if name == "qid":
        stored()["versions"] = []
        ss[W + "versions"] = []


@callback
def _clear() -> None:
    keep = stored().get("qid")
    ss[FILTER] = {"qid": keep}
    for name in FIELDS:
        if name != "qid":
            ss.pop(W + name, None)


def _seed(name: str, options: Sequence[Any] | None, default: Any) -> None:
    """The widget's value from the kept filter (dropping values no longer offered)."""
    value = stored().get(name, default)
    if name in LIST_FIELDS:
        value = [v for v in (value or []) if options is None or v in options]
    elif options is not None and value not in options:
        value = default
    if ss.get(W + name) != value:
        ss[W + name] = value


@dataclass
class Scope:
    """The filter bar's result: what every page asks the store and shows."""

    filters: Filters
    qid: str | None
    questionnaire: Questionnaire | None
    k: int
    names: Names
    words: list[tuple[str, str]]  # the filter in words: (label, value), plain text

    def without_groups(self) -> Filters:
        """The whole pool of the same questionnaire, versions and period."""
        f = self.filters
        return Filters(questionnaire_id=f.questionnaire_id, questionnaire_version=f.questionnaire_version,
                       date_from=f.date_from, date_to=f.date_to)


def group_pickers(prefix: str, seed: Callable[[str, list, Any], None], changed: Callable[[str], None], *,
                  provinces: dict, sectors: dict, sizes: dict) -> None:
    """Province and size, sector and round, in two columns: the group a view is about (the
    filter bar and the compare page's second group draw the same four, each with its own
    widget keys ``prefix + name`` and its own kept values through ``seed`` and ``changed``)."""
    rounds = {r: t(f"staff.round_{r}") for r in ROUNDS}
    columns = (
        (("province", provinces, "staff.all_provinces"), ("size", sizes, "staff.all_sizes")),
        (("sector", sectors, "staff.all_sectors"), ("round", rounds, "staff.all_rounds")),
    )
    for column, fields in zip(st.columns(2), columns, strict=True):
        with column:
            for name, options, everything in fields:
                seed(name, list(options), [])
                st.multiselect(t(f"staff.f_{name}"), list(options), key=prefix + name, on_change=changed,
                               args=(name,), format_func=options.get, placeholder=t(everything))


def filter_bar(*, key: str = "staff_filters") -> Scope:
    """The filter bar at the top of a staff page; returns the scope the page shows."""
    lang = state.lang()
    store = resources.get_store()
    known = questionnaires()
    if stored().get("qid") not in known:
        stored()["qid"] = _default_qid(known)
    qid = stored().get("qid")
    listed = store.list_workshops()
    workshops = {w.id: f"{w.name} · {w.join_code}" for w in listed}
    associations = sorted({w.association for w in listed if w.association})
    months = _months(common.vn_today())
    provinces = dict(reference.provinces(lang))
    sectors = dict(reference.sectors(lang))
    sizes = dict(reference.size_bands(lang))
    versions = versions_of(qid)
    scope = _scope(qid, known, versions, workshops, lang, provinces, sectors, sizes)
    label = t("staff.filter_label", summary=" · ".join(common.plain(v) for _, v in scope.words[1:]) or t("staff.filter_none"))
    with st.expander(label, icon=":material/filter_alt:", key=key, expanded=False):
        if not known:
            st.info(t("staff.no_questionnaire"))
            return scope
        _seed("qid", list(known), qid)
        st.selectbox(t("staff.f_questionnaire"), list(known), key=W + "qid", on_change=_changed, args=("qid",),
                     format_func=lambda x: text(known[x].title, lang) if x in known else x)
        left, right = st.columns(2)
        with left:
            _seed("versions", versions, [])
            st.multiselect(t("staff.f_versions"), versions, key=W + "versions", on_change=_changed, args=("versions",),
                           placeholder=t("staff.all_versions"))
        with right:
            _seed("period", PERIODS, "all")
            st.segmented_control(t("staff.f_period"), PERIODS, key=W + "period", on_change=_changed, args=("period",),
                                 format_func=lambda p: t(f"staff.period_{p}"), required=True)
        period = stored().get("period", "all")
        if period == "months":
            one, two = st.columns(2)
            with one:
                _seed("month_from", months, months[11])
                st.selectbox(t("staff.f_month_from"), months, key=W + "month_from", on_change=_changed,
                             args=("month_from",), format_func=_month_label)
            with two:
                _seed("month_to", months, months[0])
                st.selectbox(t("staff.f_month_to"), months, key=W + "month_to", on_change=_changed,
                             args=("month_to",), format_func=_month_label)
        elif period == "days":
            today = common.vn_today()
            days = stored().get("days")
            if not (isinstance(days, (list, tuple)) and 1 <= len(days) <= 2):  # one day while a range is picked
                days = stored()["days"] = (today.replace(day=1), today)
            # a range picker takes its value from ``value`` (a pair): no session-state seeding
            st.date_input(t("staff.f_days"), value=tuple(days), key=W + "days", on_change=_changed, args=("days",),
                          format="DD/MM/YYYY", max_value=today)
        group_pickers(W, _seed, _changed, provinces=provinces, sectors=sectors, sizes=sizes)
        one, two = st.columns(2)
        with one:
            _seed("association", associations, [])
            st.multiselect(t("staff.f_association"), associations, key=W + "association", on_change=_changed,
                           args=("association",), placeholder=t("staff.all_associations"))
        with two:
            _seed("workshop", list(workshops), [])
            st.multiselect(t("staff.f_workshop"), list(workshops), key=W + "workshop", on_change=_changed,
                           args=("workshop",), format_func=lambda w: workshops.get(w, str(w)),
                           placeholder=t("staff.all_workshops"))
        st.button(t("staff.clear"), key="staff_clear", on_click=_clear, icon=":material/filter_alt_off:",
                  type="tertiary")
    k_line = t("staff.k_line", k=scope.k)
    st.caption(f"{k_line} {t('staff.no_names')}")
    return scope


def _month_span(start: str | None, end: str | None) -> tuple[date | None, date | None]:
    if not start or not end:
        return None, None
    if start > end:
        start, end = end, start
    y1, m1 = (int(x) for x in start.split("-"))
    y2, m2 = (int(x) for x in end.split("-"))
    return date(y1, m1, 1), date(y2, m2, calendar.monthrange(y2, m2)[1])


def _scope(qid, known, versions, workshops, lang, provinces, sectors, sizes) -> Scope:
    f = stored()
    store = resources.get_store()
    k = store.min_group_size()
    words: list[tuple[str, str]] = []
    current = known.get(qid) if qid else None
    if current is not None:
        words.append((t("staff.f_questionnaire"), text(current.title, lang)))
    wanted_versions = [v for v in f.get("versions") or [] if v in versions]
    if wanted_versions:
        words.append((t("staff.f_versions"), ", ".join(wanted_versions)))
    date_from = date_to = None
    period = f.get("period", "all")
    months = _months(common.vn_today())
    if period == "months":
        date_from, date_to = _month_span(f.get("month_from") or months[11], f.get("month_to") or months[0])
    elif period == "days":
        days = f.get("days") or ()
        if isinstance(days, (list, tuple)) and 1 <= len(days) <= 2 and all(days):
            date_from, date_to = min(days), max(days)
    if date_from and date_to:
        words.append((t("staff.f_period"), f"{common.vn_date(date_from, lang)} – {common.vn_date(date_to, lang)}"))

    def chosen(name: str, options: dict[Any, str]) -> list[Any]:
        picked = [v for v in f.get(name) or [] if v in options]
        if picked:
            words.append((t(f"staff.f_{name}"), ", ".join(options[v] for v in picked)))
        return picked

    province = chosen("province", provinces)
    sector = chosen("sector", sectors)
    size = chosen("size", sizes)
    rounds = chosen("round", {r: t(f"staff.round_{r}") for r in ROUNDS})
    associations = [a for a in f.get("association") or [] if a]
    if associations:
        words.append((t("staff.f_association"), ", ".join(associations)))
    workshop = chosen("workshop", workshops)
    filters = Filters(
        questionnaire_id=qid or None,
        questionnaire_version=tuple(wanted_versions) or None,
        province=tuple(province) or None,
        sector=tuple(sector) or None,
        size_band=tuple(size) or None,
        round=tuple(rounds) or None,
        workshop_id=tuple(workshop) or None,
        association=tuple(associations) or None,
        date_from=date_from,
        date_to=date_to,
    )
    names = Names(lang, current, _pillar_names(qid, current, lang),
                  {lv.level: text(lv.name, lang) for lv in current.levels} if current else {}, workshops,
                  provinces, sectors, sizes, _categories())
    return Scope(filters, qid, current, k, names, words)


# ------------------------------------------------------------------ small pieces


def metric(label: str, value: str, n: int | None, key: str, *, note: str | None = None) -> None:
    """A figure in a box: its label, the figure, and its n (or a note) below."""
    with st.container(border=True, key=key):
        st.caption(label)
        st.subheader(value, anchor=False)
        if n is not None:
            st.caption(n_is(n))
        elif note:
            st.caption(note)


def empty_or_hidden(n: int | None, suppressed: bool, k: int) -> bool:
    """Says so and returns True when there is nothing to show (no firm, or fewer than k)."""
    if suppressed:
        st.warning(t("staff.group_hidden", k=k), icon=":material/visibility_off:")
        return True
    if not n:
        st.info(t("staff.no_firms"), icon=":material/search_off:")
        return True
    return False


def chart(spec: Any, key: str) -> None:
    st.altair_chart(spec, width="stretch", key=key)
