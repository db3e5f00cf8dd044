"""UI benchmark: ``python -m bench.ui [--network none|3g] [--direct]``.

1. Server side: one questionnaire step rerun (an answer changed: its on_change copies and
   saves it, then the step is drawn again), timed with streamlit.testing's AppTest; the
   median of several runs. Target ≤ 30 ms.
2. In real headless Chromium at 375 px, through the deployment's shape (nginx from
   deploy/local_stack.py in front of ``streamlit run app.py``; ``--direct`` skips the proxy,
   as a plain ``streamlit run`` is seen):
   - the first usable Start page (its "begin" button drawn and the script idle), from the
     navigation's start: cold (an empty browser cache) and warm (the same browser again), and
     the bytes each moved (HTTP bodies and headers as received, and websocket frames);
   - from pressing "next" to the next step shown (its progress text on screen and the script
     idle), p95 over ~20 presses of the quick check.
   - the floor (skip with ``--no-floor``): the same two loads of a bare Streamlit page with
     nothing but a "begin" button, served and timed the same way: what Streamlit itself costs
     on that phone, below which no page of this app can come.
   ``--network 3g`` emulates a rural phone (Chrome DevTools: 1.6 Mbit/s down, 750 kbit/s up,
   300 ms latency, 4× CPU slowdown); ``--network none`` is this machine as it is.
   Targets (issue 18, 3g): cold ≤ 6 s, warm ≤ 2 s, ≤ 1 MB, step p95 ≤ 1.5 s.

The last line is JSON: ``{"rerun_ms", "step_p95_ms", "first_usable_s", "warm_first_usable_s",
"transfer_mb", "warm_transfer_mb", "floor_first_usable_s", "floor_warm_first_usable_s", …}``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

from scoring.engine import visible_questions
from scoring.loader import bundled_paths, load_questionnaire
from scoring.model import FirmProfile, MultiQuestion, NumberQuestion, ScaleQuestion, TextQuestion


def _offered() -> list:
    """The questionnaires in the Start page's order: shortest first."""
    qs = [load_questionnaire(p) for p in bundled_paths(os.environ.get("QUESTIONNAIRE_DIR") or None)]
    return sorted(qs, key=lambda q: (len(q.questions()), q.id))


def _questionnaire(name: str | None):
    qs = _offered()
    if name:
        for q in qs:
            if q.id == name:
                return q
        raise SystemExit(f"no questionnaire {name!r}; have {[q.id for q in qs]}")
    return qs[0]


def _radio_question(q, step: int):
    """A question of the step answered with a radio (single, yesno or scale), always shown."""
    visible = visible_questions(q, {})
    for question in q.pillars[step].questions:
        if visible[question.id] and not isinstance(question, (MultiQuestion, NumberQuestion, TextQuestion)):
            return question
    raise SystemExit("the first step has no radio question to time")


def rerun_ms(q, runs: int) -> list[float]:
    from streamlit.testing.v1 import AppTest

    from store import close_stores, open_store
    from tests.e2e_helpers import APP

    _, code = open_store().create_draft(q, FirmProfile(sector="G", size_band="micro"))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params["code"] = code
    at.session_state["goto"] = "questionnaire"
    at.run()
    at.run()  # warm: imports, caches, the store's prepared statements
    question = _radio_question(q, 0)
    if isinstance(question, ScaleQuestion):
        values = [question.min, question.max]
    else:
        values = [question.options[0].id, question.options[-1].id]
    radio = f"q_{question.id}"
    times = []
    for i in range(runs + 2):
        widget = at.radio(key=radio).set_value(values[i % 2])
        t0 = time.perf_counter()
        widget.run()
        elapsed = (time.perf_counter() - t0) * 1000
        if at.exception:
            raise SystemExit(f"the page failed: {at.exception}")
        if i >= 2:
            times.append(elapsed)
    close_stores()
    return times


# The page-side stopwatch: a capturing click listener on "next", then a check on every
# animation frame until the wanted step is shown with the script idle.
WATCH = """(want) => {
  window.__bench = {click: null, shown: null};
  document.addEventListener('click', (e) => {
    if (e.target.closest('.st-key-nav_next')) { window.__bench.click = performance.now(); }
  }, true);
  const tick = () => {
    const b = window.__bench;
    if (b.click !== null && b.shown === null) {
      const p = document.querySelector("[data-testid='stProgress']");
      const app = document.querySelector("[data-testid='stApp']");
      if (p && p.innerText.includes(want) && app.getAttribute('data-test-script-state') === 'notRunning') {
        b.shown = performance.now();
      }
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}"""


NETWORKS = {
    # Chrome DevTools' throttling: bytes per second, added round-trip latency in ms
    "3g": {"download": 1.6e6 / 8, "upload": 750e3 / 8, "latency": 300, "cpu": 4},
    "none": None,
}

# In the page from its first script: when the Start page became usable (its "begin" button
# drawn, connected, the script idle), by the page's own clock from the navigation's start.
USABLE_WATCH = """(() => {
  window.__usable = null;
  const tick = () => {
    const app = document.querySelector("[data-testid='stApp']");
    const begin = document.querySelector('.st-key-start_begin button');
    if (window.__usable === null && app && begin
        && app.getAttribute('data-test-script-state') === 'notRunning'
        && app.getAttribute('data-test-connection-state') === 'CONNECTED') {
      window.__usable = performance.now();
      return;
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();"""


class Emulated:
    """A page with the network and CPU emulated through the DevTools protocol, counting every
    byte received: HTTP (``encodedDataLength``: as on the wire, headers included) and websocket
    frames both ways."""

    def __init__(self, context, network: str):
        self.page = context.new_page()
        self.cdp = context.new_cdp_session(self.page)
        self.cdp.send("Network.enable")
        self.http_bytes = 0
        self.ws_bytes = 0
        self.responses: dict[str, dict] = {}
        self.cdp.on("Network.responseReceived", self._response)
        self.cdp.on("Network.loadingFinished", self._finished)
        self.cdp.on("Network.webSocketFrameReceived", self._frame)
        self.cdp.on("Network.webSocketFrameSent", self._frame)
        setting = NETWORKS[network]
        if setting:
            self.cdp.send("Network.emulateNetworkConditions", {
                "offline": False, "latency": setting["latency"],
                "downloadThroughput": setting["download"], "uploadThroughput": setting["upload"],
            })
            self.cdp.send("Emulation.setCPUThrottlingRate", {"rate": setting["cpu"]})

    def _response(self, event) -> None:
        r = event["response"]
        self.responses[event["requestId"]] = {
            "url": r["url"], "type": event.get("type", ""), "encoding": {k.lower(): v for k, v in (r.get("headers") or {}).items()}.get("content-encoding", ""),
            "cached": r.get("fromDiskCache") or r.get("fromMemoryCache") or False, "bytes": 0,
        }

    def _finished(self, event) -> None:
        self.http_bytes += event.get("encodedDataLength", 0)
        if event["requestId"] in self.responses:
            self.responses[event["requestId"]]["bytes"] = event.get("encodedDataLength", 0)

    def _frame(self, event) -> None:
        payload = event["response"].get("payloadData", "")
        # binary frames (Streamlit's protobuf) come base64-encoded
        self.ws_bytes += len(payload) * 3 // 4 if event["response"].get("opcode") == 2 else len(payload.encode())

    @property
    def total_mb(self) -> float:
        return (self.http_bytes + self.ws_bytes) / 1e6


def first_usable(context, base: str, network: str) -> tuple[float, Emulated]:
    """Seconds from the navigation's start to a usable Start page, and what it moved."""
    from tests.e2e_helpers import wait_idle

    emulated = Emulated(context, network)
    page = emulated.page
    page.add_init_script(USABLE_WATCH)
    page.goto(base + "/", wait_until="commit", timeout=120_000)
    page.wait_for_function("() => window.__usable !== null", timeout=120_000, polling=100)
    seconds = page.evaluate("() => window.__usable") / 1000
    wait_idle(page, timeout=60_000)
    page.wait_for_timeout(500)  # frames still in flight count too
    return seconds, emulated


def what_loaded(emulated: Emulated, top: int = 12) -> list[str]:
    """The biggest responses of a page load, and the totals by kind."""
    rows = sorted(emulated.responses.values(), key=lambda r: -r["bytes"])
    by_type: dict[str, list[int]] = {}
    for r in rows:
        kind = by_type.setdefault(r["type"] or "Other", [0, 0])
        kind[0] += 1
        kind[1] += r["bytes"]
    lines = [f"    {r['bytes'] / 1e3:7.1f} KB {r['encoding'] or '-':5} {r['type']:10} {r['url'].split('/', 3)[-1][:70]}"
             for r in rows[:top]]
    lines.append("    by kind: " + ", ".join(f"{k} {n} × {b / 1e3:.0f} KB" for k, (n, b) in sorted(by_type.items(), key=lambda x: -x[1][1])))
    lines.append(f"    websocket: {emulated.ws_bytes / 1e3:.0f} KB")
    return lines


# Streamlit's own floor: a page with nothing but the Start page's "begin" button, served the
# same way (the same proxy, the app's .streamlit/config.toml), timed the same way.
BARE_APP = '''import streamlit as st

st.button("Bắt đầu", key="start_begin")
'''


def start_target(direct: bool, tmp: Path, tls: bool = False, app: Path | None = None):
    """(base URL, a stop function, Chromium's extra arguments): the deployment's shape (nginx in
    front), or the app alone; ``app`` another script than app.py (the bare floor)."""
    db = f"sqlite:///{tmp / 'bench.db'}"
    if direct:
        from tests.e2e_helpers import free_port, start_server, stop_server

        port = free_port()
        proc = start_server(port, {"DATABASE_URL": db}, tmp / "streamlit.log", **({"app": app} if app else {}))
        return f"http://127.0.0.1:{port}", lambda: stop_server(proc), []
    from deploy.local_stack import LocalStack, certificate_spki

    stack = LocalStack(db, servers=1, workdir=tmp / ("bare" if app else "stack"), tls=tls,
                       **({"app": app} if app else {})).start()
    trust = [f"--ignore-certificate-errors-spki-list={certificate_spki(stack.certificate)}"] if tls else []
    return stack.url, stack.stop, trust


def launch(playwright, extra_args: list[str]):
    from tests.e2e_helpers import CHROMIUM, CHROMIUM_ARGS

    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS + extra_args)


def page_load_figures(base: str, network: str, runs: int, chromium_args: list[str]) -> dict:
    from playwright.sync_api import sync_playwright

    cold, warm, cold_mb, warm_mb = [], [], [], []
    detail: list[str] = []
    with sync_playwright() as p:
        browser = launch(p, chromium_args)
        for run in range(runs + 1):  # the first run only warms the server (imports, caches)
            context = browser.new_context(viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True,
                                          device_scale_factor=2)
            seconds, emulated = first_usable(context, base, network)
            again, emulated_again = first_usable(context, base, network)  # same browser: warm cache
            if run:
                cold.append(seconds)
                warm.append(again)
                cold_mb.append(emulated.total_mb)
                warm_mb.append(emulated_again.total_mb)
                if not detail:
                    detail = what_loaded(emulated)
            context.close()
        browser.close()
    return {"cold": cold, "warm": warm, "cold_mb": cold_mb, "warm_mb": warm_mb, "detail": detail}


def step_ms(q, presses: int, base: str, network: str, chromium_args: list[str]) -> tuple[list[float], list[float]]:
    from playwright.sync_api import sync_playwright

    from tests.e2e_helpers import (
        browser_answer_step,
        choose_option,
        click_button,
        key_locator,
        pick_radio,
        wait_idle,
    )

    times: list[float] = []
    outer: list[float] = []
    total = len(q.pillars)
    with sync_playwright() as p:
        browser = launch(p, chromium_args)
        context = browser.new_context(viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True)
        page = Emulated(context, network).page
        page.goto(base + "/", timeout=120_000)
        wait_idle(page, timeout=60_000)
        pick_radio(page, "start_questionnaire", [x.id for x in _offered()].index(q.id))
        choose_option(page, "start_sector", "G ·")
        pick_radio(page, "start_size", 1)
        click_button(page, "start_begin")
        browser_answer_step(page, q, 0, "high", {})
        # Timed in the page itself: from the click event on "next" to the first frame where
        # the next step's progress text is on screen and the script is idle. (Timing from
        # Python would add Playwright's own click and polling overhead, ~30–60 ms.)
        page.evaluate(WATCH, f"{2}/{total}")
        for i in range(presses + 2):
            page.evaluate("() => { window.__bench = {click: null, shown: null}; }")
            t0 = time.perf_counter()
            key_locator(page, "nav_next").locator("button").click()
            page.wait_for_function("() => window.__bench.shown !== null", timeout=60_000)
            outside = (time.perf_counter() - t0) * 1000
            inside = page.evaluate("() => window.__bench.shown - window.__bench.click")
            if i >= 2:
                times.append(inside)
                outer.append(outside)
            key_locator(page, "nav_back").locator("button").click()  # not timed
            # wait for step 1 itself, not just an idle script: under load the rerun that draws
            # it may not have started yet when "back" returns
            page.wait_for_function(STEP_SHOWN, arg=f"1/{total}", timeout=60_000)
        context.close()
        browser.close()
    return times, outer


STEP_SHOWN = """(want) => {
  const p = document.querySelector("[data-testid='stProgress']");
  const app = document.querySelector("[data-testid='stApp']");
  return p && p.innerText.includes(want) && app.getAttribute('data-test-script-state') === 'notRunning';
}"""


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]


def _spread(values: list[float], unit: str, digits: int = 2) -> str:
    return f"median {statistics.median(values):.{digits}f} {unit}, min {min(values):.{digits}f}, max {max(values):.{digits}f} over {len(values)} runs"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--questionnaire", help="questionnaire id (default: the shortest, the quick check)")
    parser.add_argument("--runs", type=int, default=15, help="server reruns timed")
    parser.add_argument("--presses", type=int, default=20, help='"next" presses timed in Chromium')
    parser.add_argument("--loads", type=int, default=3, help="cold and warm Start page loads timed (each in a fresh browser)")
    parser.add_argument("--network", choices=sorted(NETWORKS), default="none", help="3g: a rural phone (see above)")
    parser.add_argument("--direct", action="store_true", help="straight to streamlit, without the proxy")
    parser.add_argument("--tls", action="store_true",
                        help="the proxy with HTTPS and HTTP/2 (a self-signed certificate), as a real deployment runs")
    parser.add_argument("--skip-rerun", action="store_true", help="only the browser figures")
    parser.add_argument("--no-floor", action="store_true",
                        help="skip the floor: a bare Streamlit page (one button) served and timed the same way")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="bench-ui-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'apptest.db'}"
    q = _questionnaire(args.questionnaire)
    via = "streamlit directly" if args.direct else f"nginx (deploy/{', HTTPS + HTTP/2' if args.tls else ', HTTP/1.1'}) → streamlit"
    print(f"questionnaire {q.id}: {len(q.questions())} questions, step 1 has {len(q.pillars[0].questions)}; "
          f"network {args.network}; {via}; load {os.getloadavg()[0]:.2f}")

    out: dict = {"network": args.network, "via": "direct" if args.direct else ("proxy-tls-h2" if args.tls else "proxy")}
    if not args.skip_rerun:
        reruns = rerun_ms(q, args.runs)
        rerun = statistics.median(reruns)
        print(f"server rerun of a step (AppTest, answer changed + saved): median {rerun:.1f} ms, "
              f"min {min(reruns):.1f}, max {max(reruns):.1f} over {len(reruns)} runs  (target ≤ 30 ms)")
        out["rerun_ms"] = round(rerun, 1)

    base, stop, chromium_args = start_target(args.direct, tmp, args.tls and not args.direct)
    try:
        loads = page_load_figures(base, args.network, args.loads, chromium_args)
        print(f"first usable Start page, cold cache: {_spread(loads['cold'], 's')}  (3g target ≤ 6 s)")
        print(f"first usable Start page, warm cache: {_spread(loads['warm'], 's')}  (3g target ≤ 2 s)")
        print(f"moved, cold: {_spread(loads['cold_mb'], 'MB')}  (target ≤ 1 MB); warm: {_spread(loads['warm_mb'], 'MB')}")
        print("what the cold Start page loaded (largest first):")
        print("\n".join(loads["detail"]))
        steps, outer = step_ms(q, args.presses, base, args.network, chromium_args)
    finally:
        stop()
    if not args.no_floor:
        bare = tmp / "bare_app.py"
        bare.write_text(BARE_APP, encoding="utf-8")
        base, stop, chromium_args = start_target(args.direct, tmp, args.tls and not args.direct, app=bare)
        try:
            floor = page_load_figures(base, args.network, args.loads, chromium_args)
        finally:
            stop()
        print(f"the floor, a bare Streamlit page (one button), cold cache: {_spread(floor['cold'], 's')}; "
              f"warm: {_spread(floor['warm'], 's')}; moved {_spread(floor['cold_mb'], 'MB')}")
        out.update({"floor_first_usable_s": round(statistics.median(floor["cold"]), 2),
                    "floor_warm_first_usable_s": round(statistics.median(floor["warm"]), 2),
                    "floor_transfer_mb": round(statistics.median(floor["cold_mb"]), 3)})
    step = p95(steps)
    print(f'Chromium, "next" pressed → next step shown: p95 {step:.0f} ms, median {statistics.median(steps):.0f}, '
          f"max {max(steps):.0f} over {len(steps)} presses  (target ≤ 300 ms quiet, ≤ 1.5 s on 3g)")
    print(f"  the same seen from Python (with Playwright's click and polling): p95 {p95(outer):.0f} ms, "
          f"median {statistics.median(outer):.0f}")
    print(f"machine load at the end: {os.getloadavg()[0]:.2f} (2 cores, shared)")
    out.update({
        "step_p95_ms": round(step, 1),
        "first_usable_s": round(statistics.median(loads["cold"]), 2),
        "warm_first_usable_s": round(statistics.median(loads["warm"]), 2),
        "transfer_mb": round(statistics.median(loads["cold_mb"]), 3),
        "warm_transfer_mb": round(statistics.median(loads["warm_mb"]), 3),
        "loads": len(loads["cold"]),
        "presses": len(steps),
    })
    print(json.dumps(out))


if __name__ == "__main__":
    main()
