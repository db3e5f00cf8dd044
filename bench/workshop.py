"""Workshop benchmark: ``python -m bench.workshop --n 50``.

N real Chromium pages join one workshop on one ``streamlit run app.py`` (SQLite, or
``DATABASE_URL``) and each finishes the quick check, ``--concurrency`` at a time (staggered:
2 cores also drive the browsers). Prints joined, finished, lost (joined but not finished:
must be 0), p50/p95 from pressing "next" to the next step shown (its progress text on
screen), and the projector's refresh: the server-side cost of one refresh of the counts and
of the room picture with all N in the room, and, on the facilitator's projector page kept
open through the run, the delay from each submission to the count on screen (bounded by the
fragment's interval, 3 s).

The last line is JSON with ``joined``, ``finished``, ``lost``, ``step_p50_ms``,
``step_p95_ms``, ``projector_counts_ms``, ``projector_picture_ms``, ``projector_lag_p50_s`` and
``projector_lag_p95_s``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

from scoring.engine import visible_questions
from scoring.loader import load_bundled
from scoring.model import MatrixQuestion, MultiQuestion, NumberQuestion, ScaleQuestion, TextQuestion

IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
PASSWORD = "bench password 1"


async def _idle(page) -> None:
    await page.wait_for_timeout(50)
    await page.wait_for_selector(IDLE, timeout=120_000)


async def _radio(page, key: str, index: int) -> None:
    await page.locator(f".st-key-{key} label").filter(has=page.locator("input[type=radio]")).nth(index).click()
    await _idle(page)


async def _answer_step(page, q, step: int, answers: dict) -> dict:
    for question in q.pillars[step].questions:
        if not visible_questions(q, answers).get(question.id) or isinstance(question, TextQuestion):
            continue
        qid = question.id
        if isinstance(question, MultiQuestion):
            first = question.options[0]
            await page.locator(f".st-key-q_{qid}__{first.id} label").first.click()
            await _idle(page)
            answers[qid] = [first.id]
        elif isinstance(question, MatrixQuestion):
            for row in question.rows:
                await _radio(page, f"q_{qid}__{row.id}", 0)
            answers[qid] = {r.id: question.options[0].id for r in question.rows}
        elif isinstance(question, NumberQuestion):
            field = page.locator(f".st-key-q_{qid} input").first
            await field.fill(str(int(question.min)))
            await field.press("Enter")
            await _idle(page)
            answers[qid] = question.min
        else:
            index = 1 if len(getattr(question, "options", ())) > 1 else 0
            await _radio(page, f"q_{qid}", index)
            answers[qid] = question.min + index if isinstance(question, ScaleQuestion) else question.options[index].id
    return answers


async def participant(browser, base: str, code: str, q, steps_ms: list[float], outcome: dict) -> None:
    context = await browser.new_context(viewport={"width": 375, "height": 800})
    page = await context.new_page()
    try:
        await page.goto(f"{base}/?join={code}")
        await _idle(page)
        field = page.locator(".st-key-start_sector input").first
        await field.click()
        await field.fill("G ·")
        await page.keyboard.press("Enter")
        await _idle(page)
        await _radio(page, "start_size", 1)
        await page.locator(".st-key-start_begin button").click()
        await _idle(page)
        await page.locator(".st-key-nav_next, .st-key-nav_submit").first.wait_for(timeout=120_000)
        outcome["joined"] += 1
        answers: dict = {}
        total = len(q.pillars)
        for step in range(total):
            answers = await _answer_step(page, q, step, answers)
            last = step == total - 1
            t0 = time.perf_counter()
            await page.locator(f".st-key-{'nav_submit' if last else 'nav_next'} button").click()
            if last:
                await page.locator(".st-key-overall_level").wait_for(timeout=120_000)
            else:
                await page.get_by_text(f"Bước {step + 2}/{total}").first.wait_for(timeout=120_000)
                steps_ms.append((time.perf_counter() - t0) * 1000)
            await _idle(page)
        outcome["finished"] += 1
        outcome["done_at"].append(time.perf_counter())
    except Exception as exc:  # a lost participant: counted, and the reason kept
        outcome["errors"].append(f"{type(exc).__name__}: {str(exc)[:200]}")
    finally:
        await context.close()


async def _projector(browser, base: str):
    """The facilitator's projector page, signed in, on the workshop's room."""
    page = await browser.new_page(viewport={"width": 1280, "height": 900})
    await page.goto(f"{base}/login")
    await _idle(page)
    await page.locator(".st-key-login_user input").fill("lan")
    await page.locator(".st-key-login_password input").fill(PASSWORD)
    await page.locator(".st-key-login_go button").click()
    await _idle(page)
    await page.locator(".st-key-ws_open_1 button").click()
    await _idle(page)
    return page


async def run(n: int, concurrency: int, base: str, code: str, q) -> dict:
    from playwright.async_api import async_playwright

    from tests.e2e_helpers import CHROMIUM, CHROMIUM_ARGS

    steps: list[float] = []
    outcome = {"joined": 0, "finished": 0, "errors": [], "done_at": [], "shown_at": {}}
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        projector = await _projector(browser, base)
        metric = projector.locator(".st-key-ws_counts [data-testid='stMetric']").nth(2)
        stop = asyncio.Event()

        async def watch() -> None:  # when the projector first shows each count
            while not stop.is_set():
                try:
                    shown = int((await metric.inner_text()).split()[-1])
                    outcome["shown_at"].setdefault(shown, time.perf_counter())
                except Exception:
                    pass
                await asyncio.sleep(0.1)

        gate = asyncio.Semaphore(concurrency)

        async def one(i: int) -> None:
            await asyncio.sleep(i * 0.3)  # staggered arrivals, as a room fills
            async with gate:
                await participant(browser, base, code, q, steps, outcome)

        watcher = asyncio.create_task(watch())
        t0 = time.perf_counter()
        await asyncio.gather(*(one(i) for i in range(n)))
        outcome["wall_s"] = time.perf_counter() - t0
        deadline = time.perf_counter() + 30
        while outcome["finished"] not in outcome["shown_at"] and time.perf_counter() < deadline:
            await asyncio.sleep(0.2)
        stop.set()
        await watcher
        await browser.close()
    # the k-th finish is on the projector when it first shows a count of k or more
    lags = []
    for k, done in enumerate(sorted(outcome["done_at"]), start=1):
        seen = [t for shown, t in outcome["shown_at"].items() if shown >= k]
        if seen:
            lags.append(max(0.0, min(seen) - done))
    outcome["lags"] = lags
    outcome["steps"] = steps
    return outcome


def server_side(store, workshop_id: int, q, runs: int = 5) -> tuple[list[float], list[float]]:
    """One refresh of the projector's counts and of its room picture, timed in-process."""
    from scoring.engine import score_assessment
    from scoring.room import room_picture

    counts, picture = [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        store.workshop_counts([workshop_id])
        counts.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        people = store.workshop_participants(workshop_id)
        room_picture(q, [score_assessment(q, dict(p.record.answers)) for p in people])
        picture.append((time.perf_counter() - t0) * 1000)
    return counts, picture


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=50, help="participants (default 50)")
    parser.add_argument("--concurrency", type=int, default=4,
                        help="participants answering at once (default 4: on 2 cores the browsers compete with the server)")
    args = parser.parse_args(argv)

    from store import close_stores, open_store
    from tests.e2e_helpers import free_port, start_server, stop_server

    tmp = Path(tempfile.mkdtemp(prefix="bench-workshop-"))
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp / 'bench.db'}"
    q = load_bundled("quick_check")
    store = open_store(url)
    if store.get_user("lan") is None:
        store.add_user("lan", PASSWORD, "facilitator")
    workshop = store.create_workshop("Bench", "Bench association", "lan", q.id)
    close_stores()
    port = free_port()
    proc = start_server(port, {"DATABASE_URL": url}, tmp / "streamlit.log")
    try:
        outcome = asyncio.run(run(args.n, args.concurrency, f"http://127.0.0.1:{port}", workshop.join_code, q))
    finally:
        stop_server(proc)
    store = open_store(url)
    counts_ms, picture_ms = server_side(store, workshop.id, q)
    stored = store.workshop_counts([workshop.id])[workshop.id]
    close_stores()
    steps = outcome["steps"]
    lost = outcome["joined"] - outcome["finished"]
    print(f"participants {args.n}, {args.concurrency} at a time; wall {outcome['wall_s']:.1f} s; load: {os.getloadavg()}")
    print(f"joined {outcome['joined']} (store: {stored.joined}), finished {outcome['finished']} "
          f"(store: {stored.finished}), lost {lost}")
    for error in outcome["errors"][:5]:
        print("  lost:", error)
    print(f"next → next step: n={len(steps)}, p50 {pct(steps, 50):.0f} ms, p95 {pct(steps, 95):.0f} ms, "
          f"max {max(steps or [0]):.0f} ms")
    print(f"projector refresh (server, {len(counts_ms)} runs): counts median {statistics.median(counts_ms):.1f} ms, "
          f"room picture median {statistics.median(picture_ms):.1f} ms (min {min(picture_ms):.1f})")
    lags = outcome["lags"]
    print(f"projector (open during the run, refreshing every few seconds): from a submission to the count on "
          f"screen n={len(lags)}, p50 {pct(lags, 50):.1f} s, p95 {pct(lags, 95):.1f} s")
    print(json.dumps({
        "n": args.n, "joined": outcome["joined"], "finished": outcome["finished"], "lost": lost,
        "step_p50_ms": round(pct(steps, 50)), "step_p95_ms": round(pct(steps, 95)),
        "projector_counts_ms": round(statistics.median(counts_ms), 1),
        "projector_picture_ms": round(statistics.median(picture_ms), 1),
        "projector_lag_p50_s": round(pct(outcome["lags"], 50), 2),
        "projector_lag_p95_s": round(pct(outcome["lags"], 95), 2),
    }))
    return 0 if lost == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
