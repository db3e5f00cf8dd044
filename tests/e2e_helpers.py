"""Helpers shared by the app tests (AppTest) and the browser tests (Playwright).

They read the questionnaire model to decide what to answer, so the same helpers work for
the tiny test questionnaire and for the bundled ones.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from scoring.engine import visible_questions
from scoring.model import (
    MatrixQuestion,
    MultiQuestion,
    NumberQuestion,
    Question,
    Questionnaire,
    ScaleQuestion,
    TextQuestion,
)

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


def choose(q: Question, how: str = "high") -> Any:
    """A valid answer: the best ("high") or the weakest ("low") one the question offers."""
    if isinstance(q, TextQuestion):
        return None
    if isinstance(q, ScaleQuestion):
        return q.max if how == "high" else q.min
    if isinstance(q, NumberQuestion):
        bands = sorted(q.bands, key=lambda b: b.points)
        band = bands[-1] if how == "high" else bands[0]
        value = max(q.min, band.from_)
        return int(value) if float(value).is_integer() else value
    if isinstance(q, MatrixQuestion):
        return {r.id: _pick(q.options, how).id for r in q.rows}
    if isinstance(q, MultiQuestion):
        scoring = [o for o in q.options if not o.exclusive]
        if how == "high":
            return [o.id for o in scoring]
        exclusive = [o for o in q.options if o.exclusive]
        return [exclusive[0].id] if exclusive else [scoring[0].id]
    return _pick(q.options, how).id


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


def app_answer_step(at, q: Questionnaire, step: int, how: str = "high") -> None:
    """Answer the visible questions of the current step through the widgets (AppTest)."""
    answers = dict(at.session_state["answers"])
    for question in q.pillars[step].questions:
        if not visible_questions(q, answers).get(question.id):
            continue
        value = choose(question, how)
        if value is None:
            continue
        qid = question.id
        if isinstance(question, MultiQuestion):
            for o in question.options:
                box = at.checkbox(key=f"q_{qid}__{o.id}")
                if (o.id in value) != bool(box.value):
                    box.set_value(o.id in value).run()
        elif isinstance(question, MatrixQuestion):
            for row, option in value.items():
                at.radio(key=f"q_{qid}__{row}").set_value(option).run()
        elif isinstance(question, NumberQuestion):
            at.number_input(key=f"q_{qid}").set_value(value).run()
        else:
            at.radio(key=f"q_{qid}").set_value(value).run()
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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, env: dict[str, str], log_path: Path) -> subprocess.Popen:
    """``streamlit run app.py`` headless on ``port``; returns once /_stcore/health answers."""
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(APP), "--server.headless", "true", "--server.port", str(port),
        "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
    ]
    log = open(log_path, "wb")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    url = f"http://127.0.0.1:{port}/_stcore/health"
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}: {log_path.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return proc
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise RuntimeError(f"streamlit did not become healthy: {log_path.read_text(errors='replace')}")


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)


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


def option_index(q: Question, value: Any) -> int:
    if isinstance(q, ScaleQuestion):
        return int(value) - q.min
    return [o.id for o in q.options].index(value)


def browser_answer_step(page, q: Questionnaire, step: int, how: str, answers: dict[str, Any]) -> dict[str, Any]:
    """Answer the visible questions of a step through the page; returns the answers given so far."""
    out = dict(answers)
    for question in q.pillars[step].questions:
        if not visible_questions(q, out).get(question.id):
            continue
        value = choose(question, how)
        if value is None:
            continue
        qid = question.id
        if isinstance(question, MultiQuestion):
            for o in question.options:
                set_checkbox(page, f"q_{qid}__{o.id}", o.id in value)
        elif isinstance(question, MatrixQuestion):
            options = [o.id for o in question.options]
            for row, option in value.items():
                pick_radio(page, f"q_{qid}__{row}", options.index(option))
        elif isinstance(question, NumberQuestion):
            type_number(page, f"q_{qid}", value)
        else:
            pick_radio(page, f"q_{qid}", option_index(question, value))
        out[qid] = value
    return out
