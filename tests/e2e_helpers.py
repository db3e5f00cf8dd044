"""Helpers shared by the app tests (AppTest) and the browser tests (Playwright).

They read the questionnaire model to decide what to answer, so the same helpers work for
the tiny test questionnaire and for the bundled ones.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

from deploy.local_stack import (
    free_port,  # noqa: F401 - where the e2e modules and benchmarks get it
    stop_process,
    streamlit_command,
    wait_http,
)
from scoring.engine import visible_questions
from scoring.model import MultiQuestion, NumberQuestion, QuestionBase, Questionnaire

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run"]
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


# ------------------------------------------------------------------ what to answer


def _pick(options, how: str):
    ranked = sorted(options, key=lambda o: (o.points, o.id))
    return ranked[-1] if how == "high" else ranked[0]


def _number(q: NumberQuestion, how: str) -> Any:
    bands = sorted(q.bands, key=lambda b: b.points)
    band = bands[-1] if how == "high" else bands[0]
    value = max(q.min, band.from_)
    return int(value) if float(value).is_integer() else value


def _multi(q: MultiQuestion, how: str) -> list[str]:
    scoring = [o for o in q.options if not o.exclusive]
    if how == "high":
        return [o.id for o in scoring]
    exclusive = [o for o in q.options if o.exclusive]
    return [exclusive[0].id] if exclusive else [scoring[0].id]


# The answer a test gives to each question type: the best ("high") or the weakest ("low"); ties
# between options of equal points go to the first id in alphabetical order.
CHOOSE = {
    "single": lambda q, how: _pick(q.options, how).id,
    "yesno": lambda q, how: _pick(q.options, how).id,
    "multi": _multi,
    "scale": lambda q, how: q.max if how == "high" else q.min,
    "matrix": lambda q, how: {r.id: _pick(q.options, how).id for r in q.rows},
    "number": _number,
    "text": lambda q, how: None,  # free text is left empty
}


def choose(q: QuestionBase, how: str = "high") -> Any:
    """A valid answer: the best ("high") or the weakest ("low") one the question offers."""
    return CHOOSE[q.type](q, how)


def step_answers(q: Questionnaire, step: int, how: str, answers: dict[str, Any]) -> dict[str, Any]:
    """Answers for every question of a step, in order (conditions follow earlier answers)."""
    out = dict(answers)
    for question in q.pillars[step].questions:
        if visible_questions(q, out).get(question.id):
            value = choose(question, how)
            if value is not None:
                out[question.id] = value
    return out


def all_answers(q: Questionnaire, *hows: str) -> dict[str, Any]:
    """Answers to every step; ``hows`` cycle over the steps ("low", "high" → weak, strong, weak …)."""
    answers: dict[str, Any] = {}
    for step in range(len(q.pillars)):
        answers = step_answers(q, step, hows[step % len(hows)], answers)
    return answers


# ------------------------------------------------------------------ AppTest


def _app_multi(at, question: MultiQuestion, value: list[str]) -> None:
    for o in question.options:
        box = at.checkbox(key=f"q_{question.id}__{o.id}")
        if (o.id in value) != bool(box.value):
            box.set_value(o.id in value).run()


def _app_matrix(at, question, value: dict[str, str]) -> None:
    for row, option in value.items():
        at.radio(key=f"q_{question.id}__{row}").set_value(option).run()


def _app_radio(at, question, value) -> None:
    at.radio(key=f"q_{question.id}").set_value(value).run()


# How a test fills each question type's widgets in AppTest (single, yes/no, scale: one radio).
APP_FILL = {
    "multi": _app_multi,
    "matrix": _app_matrix,
    "number": lambda at, question, value: at.number_input(key=f"q_{question.id}").set_value(value).run(),
}


def app_answer_step(at, q: Questionnaire, step: int, how: str = "high") -> None:
    """Answer the visible questions of the current step through the widgets (AppTest)."""
    answers = dict(at.session_state["answers"])
    for question in q.pillars[step].questions:
        if not visible_questions(q, answers).get(question.id):
            continue
        value = choose(question, how)
        if value is None:
            continue
        APP_FILL.get(question.type, _app_radio)(at, question, value)
        answers = dict(at.session_state["answers"])


def app_complete(at, q: Questionnaire, how: str = "high") -> None:
    """From the current step to the end: answer, next …, submit."""
    while True:
        step = at.session_state["step"]
        app_answer_step(at, q, step, how)
        if step == len(q.pillars) - 1:
            at.button(key="nav_submit").click().run()
            return
        at.button(key="nav_next").click().run()
        assert at.session_state["step"] == step + 1, [e.value for e in at.error]


# ------------------------------------------------------------------ a real server


def require_chromium() -> None:
    """At a browser test module's top: fail under CI when Debian's Chromium is missing (the
    README's test command installs it), skip loudly elsewhere."""
    import pytest

    if Path(CHROMIUM).exists():
        return
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing and CI is set: the browser tests must run", pytrace=False)
    pytest.skip(f"END-TO-END TESTS SKIPPED: {CHROMIUM} is missing (apt-get install chromium); in CI they fail instead",
                allow_module_level=True)


def start_server(port: int, env: dict[str, str], log_path: Path, app: Path = APP) -> subprocess.Popen:
    """``streamlit run app.py`` (or ``app``) headless on ``port``, as every app server runs
    (deploy/local_stack.py); returns once /_stcore/health answers."""
    log = open(log_path, "wb")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen(streamlit_command(port, app=app), cwd=ROOT, env={**os.environ, **env}, stdout=log,
                            stderr=subprocess.STDOUT)
    log.close()
    try:
        wait_http(f"http://127.0.0.1:{port}/_stcore/health", proc, log_path, timeout=60)
    except RuntimeError:
        stop_process(proc)
        raise
    return proc


stop_server = stop_process


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def wait_idle(page, timeout: float = 20_000) -> None:
    """Wait until the script has finished running (after a short settle, so a rerun can start)."""
    page.wait_for_timeout(50)
    page.wait_for_selector(IDLE, timeout=timeout)


def screenshot(page, path: str | Path) -> None:
    """The whole page: Streamlit scrolls inside its main element, so grow the viewport to fit."""
    size = page.viewport_size
    measure = (
        "() => { const m = document.querySelector('[data-testid=\"stMain\"]');"
        " return Math.max(m ? m.scrollHeight : 0, document.body.scrollHeight); }"
    )
    wait_idle(page)
    height, previous = page.evaluate(measure), -1
    for _ in range(20):  # until the page stops growing (charts draw after the script ends)
        if height == previous:
            break
        page.wait_for_timeout(250)
        wait_idle(page)
        previous, height = height, page.evaluate(measure)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], int(height))})
    page.wait_for_timeout(400)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)


# ------------------------------------------------------------------ Playwright


def key_locator(page, key: str):
    """The element Streamlit renders for a widget or container with ``key`` (class st-key-<key>)."""
    return page.locator(f".st-key-{key}")


def click_button(page, key: str) -> None:
    key_locator(page, key).locator("button").first.click()
    wait_idle(page)


def pick_radio(page, key: str, index: int) -> None:
    key_locator(page, key).locator("label").filter(has=page.locator("input[type=radio]")).nth(index).click()
    wait_idle(page)


def set_checkbox(page, key: str, on: bool) -> None:
    box = key_locator(page, key).locator("input[type=checkbox]")
    if box.is_checked() != on:
        key_locator(page, key).locator("label").first.click()
        wait_idle(page)


def choose_option(page, key: str, typed: str) -> None:
    """A selectbox: type to filter, Enter to take the first match."""
    field = key_locator(page, key).locator("input").first
    field.click()
    field.fill(typed)
    page.keyboard.press("Enter")
    wait_idle(page)


def type_number(page, key: str, value) -> None:
    field = key_locator(page, key).locator("input").first
    field.fill(str(value))
    field.press("Enter")
    wait_idle(page)


def option_index(q: QuestionBase, value: Any) -> int:
    """The radio button of a one-choice answer: a scale's step, or an option's place."""
    steps = q.steps() if q.type == "scale" else q.option_ids()
    return steps.index(value)


def _browser_multi(page, question: MultiQuestion, value: list[str]) -> None:
    for o in question.options:
        set_checkbox(page, f"q_{question.id}__{o.id}", o.id in value)


def _browser_matrix(page, question, value: dict[str, str]) -> None:
    options = question.option_ids()
    for row, option in value.items():
        pick_radio(page, f"q_{question.id}__{row}", options.index(option))


def _browser_radio(page, question, value) -> None:
    pick_radio(page, f"q_{question.id}", option_index(question, value))


# How a test fills each question type's widgets in the browser (single, yes/no, scale: one radio).
BROWSER_FILL = {
    "multi": _browser_multi,
    "matrix": _browser_matrix,
    "number": lambda page, question, value: type_number(page, f"q_{question.id}", value),
}


def browser_answer_step(page, q: Questionnaire, step: int, how: str, answers: dict[str, Any]) -> dict[str, Any]:
    """Answer the visible questions of a step through the page; returns the answers given so far."""
    out = dict(answers)
    for question in q.pillars[step].questions:
        if not visible_questions(q, out).get(question.id):
            continue
        value = choose(question, how)
        if value is None:
            continue
        BROWSER_FILL.get(question.type, _browser_radio)(page, question, value)
        out[question.id] = value
    return out
