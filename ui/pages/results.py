"""Results: the level overall and per pillar, charts, what works and what to do next, the
platforms and the roadmap (each with its reason), the peer benchmark, the PDF and the
answers to take away, a follow-up, and "delete my data"."""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

import streamlit as st

from report.text import format_condition
from scoring.bands import indicative_band
from scoring.engine import Result, score_assessment
from scoring.formats import formats
from scoring.model import FirmProfile, Questionnaire
from scoring.next_level import next_level
from scoring.recommend import PHASES
from ui import charts, common, questions, resources, state
from ui.i18n import t, t_or, text
from ui.safe import callback, section

if TYPE_CHECKING:
    from scoring.recommend import CategoryRec, PlatformPick, Recommendations
    from store import AssessmentRecord, PeerBenchmark

log = logging.getLogger(__name__)
ss = st.session_state

PEER_K = int(os.environ.get("PEER_MIN_FIRMS", "5"))
CONFIRM_DELETE = "confirm_delete"
RECS_CACHE = "recs_cache"
BUDGET = "budget"
TOP_CATEGORIES = 3
BUDGETS = ("free", "low", "medium", "high")


# ------------------------------------------------------------------ data


def _result(q: Questionnaire, rec: AssessmentRecord) -> Result:
    """The Result of a submitted record: from this session's submit, else scored again from
    the stored answers (the engine is deterministic; the stored figures are the same)."""
    cache = ss.setdefault(state.RESULT_CACHE, {})
    if rec.id not in cache:
        cache[rec.id] = score_assessment(q, dict(rec.answers))
    return cache[rec.id]


def _recommendations(q: Questionnaire, result: Result, rec: AssessmentRecord, budget: str | None) -> Recommendations:
    cache = ss.setdefault(RECS_CACHE, {})
    if (rec.id, budget) not in cache:
        from scoring.recommend import recommend

        cache[(rec.id, budget)] = recommend(q, result, rec.profile, budget=budget, catalogue=resources.catalogue())
    return cache[(rec.id, budget)]


def _level_name(q: Questionnaire, level: int | None, lang: str) -> str:
    if level is None:
        return t("results.no_level")
    try:
        return text(q.level(level).name, lang)
    except KeyError:
        return str(level)


def _pct(value: float | None) -> str:
    """A share as the pages and the PDF write it (``scoring.formats``): 45%."""
    return formats(state.lang()).percent(value)


# ------------------------------------------------------------------ actions


@callback
def _start_follow_up(q: Questionnaire, rec: AssessmentRecord) -> None:
    """A follow-up of this assessment on the current questionnaire, prefilled with the answers
    that still fit it: the owner changes only what changed."""
    previous_code = state.code()
    state.start(q, rec.profile, consent=rec.consent, round="follow_up", previous_code=previous_code,
                prefill=state.answers_that_fit(q, rec.answers))
    state.goto("questionnaire")


@callback
def _start_full(full: Questionnaire, rec: AssessmentRecord) -> None:
    """From a quick check to the full assessment: the same firm profile and consent, a new code."""
    state.start(full, rec.profile, consent=rec.consent)
    state.goto("questionnaire")


def _full_assessment(q: Questionnaire) -> Questionnaire | None:
    """The shortest questionnaire that is not indicative and covers the same pillars."""
    pillars = {p.id for p in q.pillars}
    full = [x for x in resources.available().questionnaires
            if not x.indicative and x.id != q.id and {p.id for p in x.pillars} == pillars]
    return full[0] if full else None


@callback
def _ask_delete() -> None:
    ss[CONFIRM_DELETE] = True


@callback
def _cancel_delete() -> None:
    ss[CONFIRM_DELETE] = False


@callback
def _delete() -> None:
    code = state.code()
    typed = ss.get("delete_code") or ""
    if not code or state.canonical(typed) != code:  # deleting asks for the code again
        ss["delete_error"] = t("results.delete_code_wrong")
        return
    ss[CONFIRM_DELETE] = False
    ss["delete_error"] = None
    ss["delete_code"] = ""
    store = resources.get_store()
    store.close_tab(ss.get(state.TAB))
    store.delete_team(code)  # an owner's team and its combined result go with the owner's data
    done = store.delete(code)
    state.forget()
    ss.pop(RECS_CACHE, None)
    state.flash("success" if done else "info", t("results.deleted" if done else "results.nothing_to_delete"))
    state.goto("start")


def _pdf_builder(q: Questionnaire, rec: AssessmentRecord, result: Result, recs: Recommendations | None, lang: str,
                 bench: PeerBenchmark | None) -> Callable[[], bytes]:
    """The PDF is built when the button is clicked (st.download_button(data=callable)): the
    resume code on its first page, and for a follow-up the change since the assessment it
    follows (scored again on that one's own version)."""
    code = state.code()

    def build() -> bytes:
        try:
            from report import render_pdf

            store = resources.get_store()
            before = store.previous(rec) if rec.round == "follow_up" else None
            previous = store.result(before) if before is not None and before.submitted else None
            return render_pdf(
                q, result, recs, rec.profile, lang=lang, benchmark=bench, answers=dict(rec.answers),
                when=rec.submitted_at, code=code, previous=previous,
                previous_when=before.submitted_at if before is not None else None,
            )
        except Exception:
            log.exception("building the PDF failed")
            raise RuntimeError(t("error.pdf", lang=lang)) from None

    return build


def _ids(q: Questionnaire) -> set[str]:
    return {question.id for _, question in q.questions()}


def _answers_json(q: Questionnaire, rec: AssessmentRecord, result: Result) -> str:
    data = {
        "questionnaire": {"id": q.id, "version": rec.questionnaire_version, "hash": rec.questionnaire_hash},
        "round": rec.round,
        "submitted_at": rec.submitted_at.isoformat() if rec.submitted_at else None,
        "profile": rec.profile.model_dump(),
        "answers": rec.answers,
        "codes": {qid: q.question(qid).code for qid in rec.answers if qid in _ids(q) and q.question(qid).code},
        "result": result.to_dict(),
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


# ------------------------------------------------------------------ page


def render() -> None:
    lang = state.lang()
    common.show_flash()
    code = state.code()
    if not code:
        st.title(t("results.title"))
        st.info(t("results.none"))
        common.nav_button(t("nav.start"), "start", "r_go_start", primary=True)
        common.nav_button(t("nav.resume"), "resume", "r_go_resume")
        return
    store = resources.get_store()
    rec = store.load(code)
    if rec is None:
        state.forget()
        st.error(t("error.code_gone"))
        return
    ss[state.RECORD] = rec
    if not rec.submitted:
        st.title(t("results.title"))
        st.info(t("results.not_submitted"))
        common.nav_button(t("results.continue"), "questionnaire", "r_go_questionnaire", primary=True)
        return
    q = resources.questionnaire_for(rec)  # the version it was answered on, even after the file changed
    if q is None:
        st.error(t("error.questionnaire_load"), icon=":material/error:")
        return
    result = _result(q, rec)
    profile = rec.profile

    st.title(t("results.title"))
    if profile.name:
        st.caption(common.plain(profile.name))  # typed by the visitor: never Markdown
    if q.content_hash != rec.questionnaire_hash:
        st.caption(t("results.version_changed"))

    overall_box(q, result, lang)

    recs = None
    try:
        recs = _recommendations(q, result, rec, ss.get(BUDGET))
    except Exception:  # the page says the suggestions are unavailable; the rest still shows
        log.exception("recommendations failed for assessment %s", rec.id)
    bench = None
    bench_failed = False
    try:
        if profile.sector and profile.size_band:
            bench = store.peer_benchmark(q.id, profile.sector, profile.size_band, k=PEER_K, exclude_id=rec.id)
    except Exception:
        log.exception("peer benchmark failed for assessment %s", rec.id)
        bench_failed = True

    with section("results.downloads"):
        _downloads(q, rec, result, recs, bench, lang)

    previous = None
    with section("results.previous"):
        previous = store.previous(rec) if rec.round == "follow_up" else None
        if previous is not None and previous.result:
            _progress(q, result, previous, lang)

    with section("results.charts"):
        pillar_charts(q, result, lang, previous)
    with section("results.pillars"):
        _pillars(q, result, lang)
    with section("results.recommendations"):
        platforms_section(recs, lang)
    with section("results.roadmap"):
        roadmap_section(q, result, recs, lang)
    with section("results.benchmark"):
        _benchmark(q, result, profile, bench, lang, bench_failed)
    with section("results.next"):
        _follow_up_and_delete(q, rec)


def overall_box(q: Questionnaire, result: Result, lang: str) -> None:
    level = result.overall_level
    top = max(lv.level for lv in q.levels)
    with st.container(border=True, key="overall_level"):
        st.caption(t("results.overall"))
        st.markdown(f"## {t('results.level_line', level=level, top=top, name=_level_name(q, level, lang))}")
        try:
            st.write(text(q.level(level).meaning, lang))
        except KeyError:
            pass
        st.caption(t("results.points", percent=_pct(result.percent)))
        _next_level(q, result, lang)
        if result.indicative:
            note = text(q.indicative_note, lang) if q.indicative_note is not None else t("results.indicative")
            st.info(note, icon=":material/info:")


def _next_level(q: Questionnaire, result: Result, lang: str) -> None:
    """The next level's conditions, each met or not: why many points can still mean a low level."""
    step = next_level(q, result)
    if step is None:
        return
    names = {p.id: text(p.name, lang) for p in q.pillars}
    lines = []
    for cond in step.conditions:
        kind, needed, now = format_condition(cond, lang)
        line = t(f"results.cond_{kind}", needed=needed, now=now, level=step.level)
        mark = ":green[:material/check: " + t("results.cond_met") + "]" if cond.met else (
            ":orange[:material/close: " + t("results.cond_missing") + "]")
        line += f" — {mark}"
        if cond.lift:
            line += " · " + t("results.cond_lift", names=", ".join(names.get(pid, pid) for pid in cond.lift))
        lines.append(f"- {line}")
    with st.container(key="next_level"):
        st.markdown(t("results.next_level", level=step.level, name=_level_name(q, step.level, lang)) + "\n" +
                    "\n".join(lines))


def _downloads(q: Questionnaire, rec: AssessmentRecord, result: Result, recs: Recommendations | None,
               bench: PeerBenchmark | None, lang: str) -> None:
    with st.container(horizontal=True, key="downloads"):
        if recs is not None:
            st.download_button(
                t("results.download_pdf"),
                data=_pdf_builder(q, rec, result, recs, lang, bench),
                file_name=t("results.pdf_name", day=common.vn_today().isoformat()),
                mime="application/pdf", key="dl_pdf", type="primary", on_click="ignore",
                icon=":material/picture_as_pdf:",
            )
        st.download_button(
            t("results.download_json"), data=_answers_json(q, rec, result),
            file_name=t("results.json_name", day=common.vn_today().isoformat()), mime="application/json",
            key="dl_json", on_click="ignore", icon=":material/download:",
        )


def pillar_charts(q: Questionnaire, result: Result, lang: str, previous: AssessmentRecord | None = None) -> None:
    names = [text(p.name, lang) for p in q.pillars]
    values = [result.pillars[p.id].percent for p in q.pillars]
    series = [(t("results.you"), values)]
    if previous is not None and previous.result:
        before = previous.result.get("pillars", {})
        series.append((t("results.before"), [before.get(p.id, {}).get("percent") for p in q.pillars]))
    st.subheader(t("results.by_pillar"), anchor=False)
    with st.container(horizontal=True, horizontal_alignment="center", key="radar"):
        st.altair_chart(charts.radar(names, series), width="content")
    rows = []
    top = max(lv.level for lv in q.levels)
    for p in q.pillars:
        pr = result.pillars[p.id]
        if q.indicative:  # a sign from two questions, not a level
            band = indicative_band(pr.percent)
            label = t("results.band_label", band=t(f"results.band_{band}"), percent=_pct(pr.percent)) if band else "—"
            shade = None if band is None else {"low": 1, "medium": 3, "high": 5}[band] * top // 5
            rows.append({"pillar": text(p.name, lang), "percent": pr.percent, "level": shade, "label": label})
            continue
        label = t("results.bar_label", level=pr.level, percent=_pct(pr.percent)) if pr.level is not None else "—"
        rows.append({"pillar": text(p.name, lang), "percent": pr.percent, "level": pr.level, "label": label})
    if q.indicative:
        legend = [(t(f"results.band_{band}"), {"low": 1, "medium": 3, "high": 5}[band] * top // 5)
                  for band in ("low", "medium", "high")]
    else:
        legend = [(f"{lv.level} · {text(lv.name, lang)}", lv.level) for lv in q.levels]
    st.altair_chart(charts.pillar_bars(rows, top, legend), width="stretch")
    if q.indicative:
        st.caption(t("results.indicative_pillars"))


def _pillars(q: Questionnaire, result: Result, lang: str) -> None:
    st.subheader(t("results.per_pillar"), anchor=False)
    for p in q.pillars:
        pr = result.pillars[p.id]
        if q.indicative:
            band = indicative_band(pr.percent)
            title = t("results.pillar_band_title", name=text(p.name, lang),
                      band=t(f"results.band_{band}") if band else "—", percent=_pct(pr.percent))
        else:
            title = t("results.pillar_title", name=text(p.name, lang), level=pr.level if pr.level is not None else "—",
                      level_name=_level_name(q, pr.level, lang), percent=_pct(pr.percent))
        with st.container(border=True, key=f"pillar_{p.id}"):
            lines = [f"**{title}**"]
            strengths = result.strengths(p.id)
            if strengths:
                lines.append(t("results.working"))
                lines += [
                    f"- ✓ {_code(q, qid)}{text(q.question(qid).text, lang)} — "
                    f"**{questions.answer_text(q.question(qid), result.questions[qid].answer, lang)}**"
                    for qid in strengths[:4]
                ]
            advice = [a for a in result.advice if a.pillar == p.id][:3]
            if advice:
                lines.append(t("results.next_steps"))
                lines += [f"- {text(a.text, lang)}{_code_after(q, a.question)}" for a in advice]
            if not strengths and not advice:
                lines.append(f"_{t('results.nothing_to_say')}_")
            st.markdown("\n\n".join(_join_lists(lines)))


def _code(q: Questionnaire, qid: str) -> str:
    """The framework's number of a criterion (DBI "3.2.4"), as a prefix; "" when it has none."""
    code = q.question(qid).code
    return f"`{code}` " if code else ""


def _code_after(q: Questionnaire, qid: str) -> str:
    code = q.question(qid).code
    return f" _({t('results.criterion', code=code)})_" if code else ""


def _join_lists(lines: list[str]) -> list[str]:
    """Consecutive "- " lines form one list (one markdown block, tight spacing)."""
    out: list[str] = []
    for line in lines:
        if line.startswith("- ") and out and out[-1].startswith("- "):
            out[-1] += "\n" + line
        else:
            out.append(line)
    return out


def _platform_line(pick: PlatformPick, lang: str) -> str:
    facts = [pick.vendor, t_or(f"price.{pick.price_band}", pick.price_band) if pick.price_band else None]
    if pick.free_trial == "yes":
        facts.append(t("platform.free_trial_yes"))
    if pick.smedx == "yes":
        facts.append(t("platform.smedx"))
    if pick.decree80 == "yes":
        facts.append(t("platform.decree80"))
    name = f"[{pick.name}]({pick.website})" if pick.website else pick.name
    return f"**{name}** — " + " · ".join(f for f in facts if f)


def platforms_section(recs: Recommendations | None, lang: str) -> None:
    st.subheader(t("results.platforms"), anchor=False)
    if recs is None:
        st.info(t("results.recs_unavailable"))
        return
    st.caption(t("results.platforms_hint"))
    st.selectbox(
        t("results.budget"), BUDGETS, index=None, key=BUDGET, format_func=lambda b: t(f"budget.{b}"),
        placeholder=t("budget.any"),
    )
    if not recs.categories:
        st.caption(t("results.no_platforms"))
        return
    shown, more = recs.categories[:TOP_CATEGORIES], recs.categories[TOP_CATEGORIES:]
    for cat in shown:
        _category(cat, lang)
    if more:
        with st.expander(t("results.more_platforms", n=len(more))):
            for cat in more:
                _category(cat, lang)


def _category(cat: CategoryRec, lang: str) -> None:
    with st.container(border=True, key=f"cat_{cat.category}"):
        mode = t("results.mode_improve") if cat.mode == "improve" else t("results.mode_adopt")
        st.markdown(f"**{text(cat.name, lang)}** · {mode}  \n{text(cat.problem, lang)}")
        st.caption(text(cat.reason, lang))
        lines = [f"- {_platform_line(pick, lang)}  \n  {text(pick.reason, lang)}" for pick in cat.platforms]
        if lines:
            st.markdown("\n".join(lines))
        if not cat.platforms and cat.platform_note is not None:
            st.caption(text(cat.platform_note, lang))


def roadmap_section(q: Questionnaire, result: Result, recs: Recommendations | None, lang: str) -> None:
    st.subheader(t("results.roadmap"), anchor=False)
    if recs is None:
        st.info(t("results.recs_unavailable"))
        return
    pillar_names = {p.id: text(p.name, lang) for p in q.pillars}
    if not any(recs.roadmap.phases.get(phase) for phase in PHASES):
        top = max(lv.level for lv in q.levels)
        at_top = all(pr.level is None or pr.level >= top for pr in result.pillars.values())
        st.info(t("results.roadmap_top" if at_top else "results.roadmap_empty"))
        return
    for phase in PHASES:
        actions = recs.roadmap.phases.get(phase) or []
        title = t("results.phase", phase=phase) + f" ({len(actions)})"
        with st.expander(title, expanded=phase == "0-3", key=f"phase_{phase.replace('-', '_')}"):
            if not actions:
                st.caption(t("results.phase_empty"))
            supports: list[str] = []
            heading = None
            for action in actions:  # grouped under their pillar and step (the roadmap keeps them together)
                this = (action.pillar, action.from_level, action.to_level)
                if this != heading:
                    heading = this
                    standing = result.pillars.get(action.pillar)
                    st.markdown(t("results.action_group", pillar=pillar_names.get(action.pillar, action.pillar),
                                  from_level=action.from_level, to_level=action.to_level,
                                  percent=formats(lang).whole(standing.percent) if standing and standing.percent is not None
                                  else "–"))
                st.markdown(f"- {text(action.text, lang)}")
                why = action.evidence if action.evidence is not None and text(action.evidence, lang) else action.reason
                st.caption(t("results.why", reason=text(why, lang)))
                if action.support is not None:  # several actions name the same programmes: each once
                    for sentence in re.split(r"(?<=[.!?])\s+", text(action.support, lang).strip()):
                        if sentence and sentence not in supports:
                            supports.append(sentence)
            if supports:
                st.info("  \n".join(supports), icon=":material/volunteer_activism:")


def _benchmark(q: Questionnaire, result: Result, profile: FirmProfile, bench: PeerBenchmark | None, lang: str,
               failed: bool = False) -> None:
    st.subheader(t("results.peers"), anchor=False)
    if failed:
        st.info(t("results.peers_unavailable"))
        return
    if not (profile.sector and profile.size_band):
        st.caption(t("results.peers_need_profile"))
        return
    if bench is None:
        st.info(t("results.peers_too_few", k=PEER_K))
        return
    st.caption(t("results.peers_info", n=bench.n))
    names = [text(p.name, lang) for p in q.pillars]
    mine = [result.pillars[p.id].percent for p in q.pillars]
    peers = [bench.pillars.get(p.id) for p in q.pillars]
    with st.container(horizontal=True, horizontal_alignment="center", key="peer_radar"):
        st.altair_chart(charts.radar(names, [(t("results.you"), mine), (t("results.peer_mean"), peers)]),
                        width="content")
    rows = [
        {t("results.col_pillar"): n, t("results.you"): _pct(m), t("results.peer_mean"): _pct(pv)}
        for n, m, pv in zip(names, mine, peers)
    ]
    st.dataframe(rows, hide_index=True, width="stretch")


def _progress(q: Questionnaire, result: Result, previous: AssessmentRecord, lang: str) -> None:
    """The change per pillar against the assessment this one follows."""
    st.subheader(t("results.progress"), anchor=False)
    before = t("results.before")
    now = t("results.now")
    prev_pillars = (previous.result or {}).get("pillars", {})
    when = common.vn_date(previous.submitted_at, lang) if previous.submitted_at else ""
    old_level = previous.result.get("overall_level")
    st.caption(t("results.progress_since", when=when, level=old_level, name=_level_name(q, old_level, lang)))
    table = []
    chart_rows = []
    for p in q.pillars:
        old = prev_pillars.get(p.id, {})
        old_pct = old.get("percent")
        new_pct = result.pillars[p.id].percent
        delta = None if old_pct is None or new_pct is None else new_pct - old_pct
        name = text(p.name, lang)
        table.append({
            t("results.col_pillar"): name,
            before: f"{_pct(old_pct)} (L{old.get('level', '—')})",
            now: f"{_pct(new_pct)} (L{result.pillars[p.id].level if result.pillars[p.id].level is not None else '—'})",
            t("results.col_change"): formats(lang).change(delta),
        })
        chart_rows += [{"pillar": name, "when": before, "percent": old_pct or 0.0},
                       {"pillar": name, "when": now, "percent": new_pct or 0.0}]
    with st.container(key="progress_table"):
        st.dataframe(table, hide_index=True, width="stretch")
    st.altair_chart(charts.change_bars(chart_rows, before, now), width="stretch")


def _team_section(rec: AssessmentRecord) -> None:
    """Invite colleagues (a team assessment), or, in a team, the way to its page."""
    if resources.get_store().team_of(rec.id) is not None:
        common.team_box("r_team")
        return
    with st.container(border=True, key="team_offer"):
        st.markdown(t("team.offer"))
        common.nav_button(t("team.offer_button"), "team", "r_team_offer")


def _follow_up_and_delete(q: Questionnaire, rec: AssessmentRecord) -> None:
    st.subheader(t("results.what_next"), anchor=False)
    _team_section(rec)
    full = _full_assessment(q) if q.indicative else None
    if full is not None:
        with st.container(border=True, key="go_full"):
            st.markdown(t("results.full_explain", title=text(full.title, state.lang()),
                          minutes=full.estimated_minutes or "–", questions=len(full.questions())))
            st.button(t("results.full_start"), key="start_full", type="primary", on_click=_start_full,
                      args=(full, rec), icon=":material/checklist:")
    with st.container(border=True, key="follow_up"):
        st.markdown(t("results.follow_up_explain"))
        st.button(t("results.follow_up"), key="start_follow_up", on_click=_start_follow_up, args=(q, rec),
                  icon=":material/replay:")
    with st.container(border=True, key="delete_box"):
        st.markdown(t("results.delete_explain"))
        if not ss.get(CONFIRM_DELETE):
            st.button(t("results.delete"), key="delete_data", on_click=_ask_delete, icon=":material/delete:")
        else:
            st.warning(t("results.delete_confirm"))
            st.text_input(t("results.delete_code"), key="delete_code", max_chars=40, placeholder="ABCD-EFGH-JKMN")
            if ss.get("delete_error"):
                st.error(ss["delete_error"], icon=":material/error:")
            with st.container(horizontal=True):
                st.button(t("results.delete_yes"), key="delete_yes", type="primary", on_click=_delete)
                st.button(t("results.delete_no"), key="delete_no", on_click=_cancel_delete)
