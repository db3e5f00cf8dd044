"""The deployment's shape, for real: Debian's nginx in front of two ``streamlit run app.py``
servers on one PostgreSQL (deploy/local_stack.py), one stack for the module.

- every response carries the security headers, and Chromium sees no CSP violation on any page;
- /_stcore/metrics is not public (the app server has it; the proxy does not pass it on);
- every text asset comes back compressed, with Streamlit's caching headers kept;
- an owner who starts on server A and resumes on server B loses nothing, and no request leaves
  this machine;
- a participant who joins a workshop through server A is counted on the projector of server B;
- a restarted server loses no answer;
- a backup restores into an empty database; the compose file and its nginx.conf are coherent.
"""

from __future__ import annotations

import gzip
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

from deploy import fonts, local_stack
from deploy.local_stack import LocalStack, render_compose
from scoring.engine import score_assessment
from scoring.loader import load_bundled
from scoring.model import FirmProfile
from store import close_stores, open_store
from tests.conftest import needs_bundled
from tests.e2e_helpers import (
    CHROMIUM,
    all_answers,
    browser_answer_step,
    choose_option,
    click_button,
    key_locator,
    pick_radio,
    wait_idle,
)

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
NEEDED = {"nginx": Path(local_stack.NGINX), "chromium": Path(CHROMIUM)}
_missing = [name for name, path in NEEDED.items() if not path.exists()]
if _missing:
    message = f"DEPLOYMENT TESTS: {', '.join(_missing)} missing (bash scripts/test.sh installs them)"
    if os.environ.get("CI"):
        pytest.fail(f"{message}, and CI is set: they must run", pytrace=False)
    pytest.skip(message, allow_module_level=True)

from playwright.sync_api import expect  # noqa: E402

pytestmark = [needs_bundled, pytest.mark.e2e, pytest.mark.postgres]
HEADERS = {
    "X-Frame-Options": "SAMEORIGIN",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}
# Collects CSP violations in the page, from the first script on.
CSP_WATCH = ("window.__csp = []; document.addEventListener('securitypolicyviolation', "
             "e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || '')));")


# Notes when the page loses its server, when it is connected again and when a script ran
# after that (Streamlit keeps both states on the app element), so a test does not click while
# the page is still reconnecting or not yet restored.
WATCH_CONNECTION = """() => {
  const app = document.querySelector("[data-testid='stApp']");
  window.__lost = false;
  window.__ranAfter = false;
  new MutationObserver(() => {
    if (app.getAttribute('data-test-connection-state') !== 'CONNECTED') { window.__lost = true; }
    else if (window.__lost && app.getAttribute('data-test-script-state') === 'running') { window.__ranAfter = true; }
  }).observe(app, {attributes: true});
}"""
RECONNECTED = """() => {
  const app = document.querySelector("[data-testid='stApp']");
  return window.__lost && app.getAttribute('data-test-connection-state') === 'CONNECTED';
}"""
RESTORED = """() => {
  const app = document.querySelector("[data-testid='stApp']");
  return window.__ranAfter && app.getAttribute('data-test-script-state') === 'notRunning';
}"""


# ------------------------------------------------------------------ the stack


def create_pg_database(suffix: str) -> str:
    # imported here, not at the top: tests.conftest_store is a pytest plugin of the storage
    # tests, and importing it during collection would keep pytest from rewriting its asserts
    from tests.conftest_store import create_pg_database as create

    return create(suffix)


def drop_pg_database(url: str) -> None:
    from tests.conftest_store import drop_pg_database as drop

    drop(url)


@pytest.fixture(scope="module")
def pg_url():
    url = create_pg_database("_deploy")
    yield url
    close_stores()
    drop_pg_database(url)


@pytest.fixture(scope="module")
def stack(pg_url, tmp_path_factory):
    with LocalStack(pg_url, servers=2, workdir=tmp_path_factory.mktemp("stack")) as running:
        yield running


@pytest.fixture(scope="module")
def quick():
    return load_bundled("quick_check")


def fetch(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=20) as r:
            return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()
    except urllib.error.HTTPError as e:
        return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read()


def assets(stack: LocalStack) -> list[str]:
    _, _, html = fetch(stack.app_url(0) + "/")
    found = re.findall(r'(?:src|href)="\.?/?(static/[^"]+\.(?:js|css))"', html.decode())
    assert len(found) > 10, html[:500]
    return found


def _log_line(stack: LocalStack, marker: str) -> str:
    """The access-log line with ``marker`` (nginx writes it as the request ends)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        for line in reversed(stack.access_log.read_text().splitlines()):
            if marker in line:
                return line
        time.sleep(0.05)
    raise AssertionError(f"no access-log line with {marker!r}")


def route_cookie(stack: LocalStack, server: int) -> str:
    """A route cookie value that the proxy sends to app server ``server`` (read in its log)."""
    port = stack.app_ports[server]
    for i in range(400):
        value = f"test{server}x{i:04d}"
        status, _, _ = fetch(stack.url + "/_stcore/health", Cookie=f"sme_route={value}")
        assert status == 200
        line = _log_line(stack, f"route={value} ")
        if f"upstream=127.0.0.1:{port} " in line:
            return value
    raise AssertionError(f"no cookie routed to server {server}")


def stream_servers(stack: LocalStack, cookie: str) -> set[int]:
    """The app servers that carried this browser's websocket (nginx logs it once it closed)."""
    deadline = time.monotonic() + 20
    while True:
        ports = set()
        for line in stack.access_log.read_text().splitlines():
            if "GET /_stcore/stream" in line and f"route={cookie} " in line:
                ports |= {int(p) for p in re.findall(r"upstream=127\.0\.0\.1:(\d+)", line)}
        if ports or time.monotonic() > deadline:
            return {stack.app_ports.index(p) for p in ports}
        time.sleep(0.2)


class Watched:
    """A browser context pinned to one server by its route cookie, recording every request."""

    def __init__(self, browser, stack: LocalStack, cookie: str):
        self.context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
        self.context.add_cookies([{"name": "sme_route", "value": cookie, "url": stack.url}])
        self.context.add_init_script(CSP_WATCH)
        self.requests: list[str] = []
        self.console: list[str] = []
        self.context.on("request", lambda r: self.requests.append(r.url))
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}"))
        self.csp: list[str] = []

    def check_csp(self) -> None:
        self.csp += self.page.evaluate("window.__csp || []")
        self.page.evaluate("window.__csp = []")
        hints = [c for c in self.console if "Content Security Policy" in c]
        assert not self.csp, f"CSP violations: {self.csp}\n{hints}"

    def close(self) -> None:
        self.context.close()


def begin(page, base: str) -> str:
    page.goto(base + "/")
    wait_idle(page)
    choose_option(page, "start_sector", "G ·")
    pick_radio(page, "start_size", 1)
    click_button(page, "start_begin")
    code = key_locator(page, "code_panel").locator("code").first.inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", code), code
    return code


def finish(page, q, answers: dict, from_step: int) -> dict:
    for step in range(from_step, len(q.pillars)):
        answers = browser_answer_step(page, q, step, "high", answers)
        click_button(page, "nav_submit" if step == len(q.pillars) - 1 else "nav_next")
    key_locator(page, "overall_level").wait_for()
    wait_idle(page)
    return answers


# ------------------------------------------------------------------ headers, metrics, compression


def test_security_headers_on_every_response(stack):
    paths = ["/", "/_stcore/health", "/_stcore/host-config", "/_stcore/metrics", "/_stcore/agent/openapi.json",
             "/no-such-page", "/" + assets(stack)[0], "/static/media/no-such-file.woff2",
             f"/static/media/{fonts.full_font().name}", f"/static/media/{fonts.full_font(pattern=fonts.TEXT_FONT).name}"]
    for path in paths:
        status, headers, _ = fetch(stack.url + path, **{"Accept-Encoding": "br, gzip"})
        for name, value in HEADERS.items():
            assert headers.get(name.lower()) == value, (path, status, headers)
        csp = headers.get("content-security-policy", "")
        assert "default-src 'self'" in csp and "frame-ancestors 'self'" in csp, (path, csp)
        script_src = re.search(r"script-src ([^;]*)", csp).group(1)
        assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src, csp
        assert "connect-src 'self'" in csp and "object-src 'none'" in csp


def test_metrics_are_not_public(stack):
    status, _, body = fetch(stack.app_url(0) + "/_stcore/metrics")
    assert status == 200 and body, "the app server itself has metrics (so the proxy is what hides them)"
    for path in ("/_stcore/metrics", "/_stcore/metrics?x=1", "/_stcore/agent/openapi.json"):
        status, _, body = fetch(stack.url + path)
        assert status == 404, (path, status, body[:200])
        assert b"cache" not in body.lower()


def test_every_text_asset_comes_back_compressed_with_its_caching_kept(stack):
    brotli = local_stack.BROTLI_MODULE.exists()
    checked = 0
    for asset in assets(stack) + [""]:  # "" = the page itself
        status, direct_headers, direct = fetch(stack.app_url(1) + "/" + asset)
        assert status == 200 and "content-encoding" not in direct_headers  # Streamlit: uncompressed
        if len(direct) < 256:
            continue  # below gzip_min_length: not worth a compression header
        status, headers, body = fetch(stack.url + "/" + asset, **{"Accept-Encoding": "gzip"})
        assert status == 200 and headers.get("content-encoding") == "gzip", (asset, headers)
        # the page itself: Streamlit's Source Sans preload turned off (the theme does not use it)
        expected = direct if asset else direct.replace(b'rel="preload"', b'rel="x-not-preloaded"', 1)
        assert gzip.decompress(body) == expected, asset
        assert headers.get("cache-control") == direct_headers.get("cache-control"), (asset, headers)
        if asset:
            assert "immutable" in headers["cache-control"]
        status, headers, body = fetch(stack.url + "/" + asset, **{"Accept-Encoding": "br, gzip"})
        assert headers.get("content-encoding") == ("br" if brotli else "gzip"), (asset, headers)
        assert len(body) < len(direct) * 0.8, (asset, len(body), len(direct))
        checked += 1
    assert checked > 10


def test_the_fonts_come_cut_down_and_the_icons_still_draw(stack, browser):
    folder = fonts.cached()
    for pattern, name, full_size in ((fonts.ICON_FONT, fonts.ICON_FILE, 300_000), (fonts.TEXT_FONT, fonts.TEXT_FILE, 150_000)):
        path = "/static/media/" + fonts.full_font(pattern=pattern).name
        status, headers, body = fetch(stack.url + path, **{"Accept-Encoding": "br, gzip"})
        assert status == 200 and body == (folder / name).read_bytes(), (path, status, len(body))
        assert headers["content-type"] == "font/woff2" and headers["cache-control"] == "max-age=86400", headers
        _, _, direct = fetch(stack.app_url(0) + path)
        assert len(direct) > full_size, "the app server itself has the full font (so the proxy is what cuts it)"
    _, _, page = fetch(stack.url + "/")
    _, _, direct_page = fetch(stack.app_url(0) + "/")
    assert b'rel="preload"' in direct_page and b'rel="preload"' not in page
    assert page.replace(b'rel="x-not-preloaded"', b'rel="preload"') == direct_page, "nothing else of the page changes"

    context = browser.new_context(viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True)
    sizes: dict[str, int] = {}
    context.on("requestfinished", lambda r: sizes.__setitem__(r.url, r.sizes()["responseBodySize"]))
    page = context.new_page()
    try:
        page.goto(stack.url + "/")
        wait_idle(page)
        page.evaluate("document.fonts.ready")
        font_sizes = {url.rsplit("/", 1)[-1]: n for url, n in sizes.items() if url.endswith(".woff2")}
        assert font_sizes and max(font_sizes.values()) < 40_000, font_sizes
        # an icon drawn from its name is about one em wide; a name spelled out is many
        icons = page.evaluate("""() => [...document.querySelectorAll("[data-testid='stIconMaterial']")]
            .filter(e => e.offsetParent !== null)
            .map(e => [e.textContent, e.getBoundingClientRect().width, parseFloat(getComputedStyle(e).fontSize)])""")
        assert len(icons) >= 3, icons
        assert all(width <= 1.6 * size for _, width, size in icons), icons
        body_font = page.evaluate("getComputedStyle(document.querySelector('[data-testid=stMarkdownContainer] p')).fontFamily")
        assert body_font.startswith("system-ui"), body_font
    finally:
        context.close()


def test_the_route_cookie_is_set_once_and_is_harmless(stack):
    _, headers, _ = fetch(stack.url + "/")
    cookie = headers.get("set-cookie", "")
    assert re.match(r"sme_route=[0-9a-f]{32}; Path=/; HttpOnly; SameSite=Lax", cookie), cookie
    _, headers, _ = fetch(stack.url + "/", Cookie="sme_route=abc")
    assert "sme_route" not in headers.get("set-cookie", "")


# ------------------------------------------------------------------ two servers, one database


def test_an_owner_who_starts_on_a_and_resumes_on_b_loses_nothing(stack, browser, pg_url, quick):
    on_a, on_b = route_cookie(stack, 0), route_cookie(stack, 1)
    first = Watched(browser, stack, on_a)
    try:
        code = begin(first.page, stack.url)
        answers = browser_answer_step(first.page, quick, 0, "low", {})
        click_button(first.page, "nav_next")
        answers = browser_answer_step(first.page, quick, 1, "high", answers)
        first.check_csp()
    finally:
        first.close()
    assert stream_servers(stack, on_a) == {0}
    saved = open_store(pg_url).load(code)
    assert saved.answers == answers and saved.step == 1

    second = Watched(browser, stack, on_b)
    try:
        page = second.page
        page.goto(stack.url + "/resume")
        wait_idle(page)
        field = key_locator(page, "resume_code").locator("input")
        field.fill(code)
        field.press("Enter")
        wait_idle(page)
        expect(page.get_by_text(f"Bước 2/{len(quick.pillars)}")).to_be_visible()
        shown = quick.pillars[1].questions[0]
        expect(key_locator(page, f"q_{shown.id}").locator("input:checked")).not_to_have_count(0)
        answers = finish(page, quick, answers, from_step=1)
        level = score_assessment(quick, answers).overall_level
        expect(key_locator(page, "overall_level")).to_contain_text(quick.level(level).name.get("vi"))
        with page.expect_download() as info:  # a file offered by server B is fetched from server B
            key_locator(page, "dl_pdf").locator("button").click()
        assert Path(info.value.path()).read_bytes().startswith(b"%PDF")
        second.check_csp()
        requests = first.requests + second.requests
    finally:
        second.close()
    assert stream_servers(stack, on_b) == {1}
    record = open_store(pg_url).load(code)
    assert record.submitted and record.answers == answers
    outside = sorted({u for u in requests if not u.startswith(stack.url + "/") and not u.startswith(("data:", "blob:"))})
    assert not outside, f"requests left this machine's proxy: {outside}"


def test_a_workshop_is_one_room_across_two_servers(stack, browser, pg_url, quick):
    """A participant who joins through server A is counted on the projector served by server B
    (no workshop state in process memory), without a reload."""
    store = open_store(pg_url)
    store.add_user("ws_deploy", "a long password", "facilitator")
    workshop = store.create_workshop("Hai máy chủ", "Hiệp hội", "ws_deploy", quick.id, province="lao_cai")
    on_a, on_b = route_cookie(stack, 0), route_cookie(stack, 1)
    projector = Watched(browser, stack, on_b)
    participant = Watched(browser, stack, on_a)
    try:
        page = projector.page
        page.goto(stack.url + "/login")
        wait_idle(page)
        key_locator(page, "login_user").locator("input").fill("ws_deploy")
        key_locator(page, "login_password").locator("input").fill("a long password")
        click_button(page, "login_go")
        click_button(page, f"ws_open_{workshop.id}")
        joined = key_locator(page, "ws_counts").locator("[data-testid='stMetric']").nth(0)
        expect(joined).to_contain_text("0")
        other = participant.page
        other.goto(f"{stack.url}/?join={workshop.join_code}")
        wait_idle(other)
        expect(other.get_by_text("Bạn đang tham gia hội thảo")).to_be_visible()
        choose_option(other, "start_sector", "G ·")
        pick_radio(other, "start_size", 1)
        click_button(other, "start_begin")
        expect(other.get_by_text(f"Bước 1/{len(quick.pillars)}")).to_be_visible()
        expect(joined).to_contain_text("1", timeout=15_000)  # server B's projector, from the database
        projector.check_csp()
        participant.check_csp()
    finally:
        participant.close()
        projector.close()
    assert stream_servers(stack, on_a) == {0} and stream_servers(stack, on_b) == {1}
    assert store.workshop_counts([workshop.id])[workshop.id].joined == 1


def test_a_restarted_server_loses_no_answer(stack, browser, pg_url, quick):
    on_a = route_cookie(stack, 0)
    watched = Watched(browser, stack, on_a)
    try:
        page = watched.page
        code = begin(page, stack.url)
        answers = browser_answer_step(page, quick, 0, "high", {})
        click_button(page, "nav_next")
        answers = browser_answer_step(page, quick, 1, "low", answers)
        page.evaluate(WATCH_CONNECTION)
        stack.restart_app(0)  # every session of server A is gone; the database is not
        assert open_store(pg_url).load(code).answers == answers
        # the page reconnects by itself (to A again, or to B while A was down) and restores
        page.wait_for_function(RECONNECTED, timeout=60_000)
        # Streamlit reconnects to a new session without running the page; the first thing the
        # owner does runs it (and that first click only restores: see the report). "r" is
        # Streamlit's own rerun key: the page restores from the database, then goes on.
        page.locator("body").press("r")
        page.wait_for_function(RESTORED, timeout=60_000)
        expect(page.get_by_text(f"Bước 2/{len(quick.pillars)}")).to_be_visible(timeout=60_000)
        shown = quick.pillars[1].questions[0]
        expect(key_locator(page, f"q_{shown.id}").locator("input:checked")).not_to_have_count(0, timeout=30_000)
        answers = finish(page, quick, answers, from_step=1)
        watched.check_csp()
    finally:
        watched.close()
    record = open_store(pg_url).load(code)
    assert record.submitted and record.answers == answers


# ------------------------------------------------------------------ backups and the compose file


def test_a_backup_restores_into_an_empty_database(tmp_path, quick):
    source_url = create_pg_database("_bk")
    target_url = create_pg_database("_rs")
    try:
        subprocess.run([sys.executable, "cli.py", "db", "upgrade", "--url", source_url], cwd=ROOT, check=True,
                       capture_output=True)
        source = open_store(source_url)
        codes = []
        for how in ("low", "high", "low"):
            _, code = source.create_draft(quick, FirmProfile(sector="G", size_band="micro", name="Công ty Hoa Sen"))
            source.submit(code, quick, all_answers(quick, how))
            codes.append(code)
        source.add_user("lan", "a-long-password", "facilitator")
        env = {**os.environ, "BACKUP_DIR": str(tmp_path / "backups")}
        done = subprocess.run(["bash", str(DEPLOY / "backup" / "backup.sh"), source_url], env=env, capture_output=True,
                              text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        dump = Path(done.stdout.strip().splitlines()[-1])
        assert dump.parent == tmp_path / "backups" and dump.name.endswith(".dump") and dump.stat().st_size > 1000
        assert not list((tmp_path / "backups").glob("*.part"))
        for _ in range(2):  # into the empty database, then again over its own restored copy
            done = subprocess.run(["bash", str(DEPLOY / "backup" / "restore.sh"), str(dump), target_url],
                                  capture_output=True, text=True, timeout=120)
            assert done.returncode == 0, done.stderr
        restored = open_store(target_url)
        for code in codes:
            original, copy = source.load(code), restored.load(code)
            assert copy is not None and copy.answers == original.answers and copy.result == original.result
            assert copy.profile.name == "Công ty Hoa Sen"
        assert restored.authenticate("lan", "a-long-password") is not None
        done = subprocess.run([sys.executable, "cli.py", "db", "upgrade", "--url", target_url], cwd=ROOT,
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
    finally:
        close_stores()
        drop_pg_database(source_url)
        drop_pg_database(target_url)


def test_a_broken_dump_is_refused_and_changes_nothing(tmp_path):
    bad = tmp_path / "bad.dump"
    bad.write_bytes(b"not a dump")
    done = subprocess.run(["bash", str(DEPLOY / "backup" / "restore.sh"), str(bad), "postgresql://nobody@127.0.0.1:1/x"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode != 0 and "restored" not in done.stdout


def test_compose_conf_is_the_template_rendered():
    assert (DEPLOY / "nginx" / "compose.conf").read_text(encoding="utf-8") == render_compose(), (
        "deploy/nginx/compose.conf is stale: python -m deploy.local_stack --render-compose")


def test_the_rendered_configs_pass_nginx_t(tmp_path):
    conf = tmp_path / "nginx.conf"
    conf.write_text(local_stack.render_local(tmp_path, 8080, [8501, 8502]), encoding="utf-8")
    done = subprocess.run([local_stack.NGINX, "-t", "-p", str(tmp_path), "-c", str(conf), "-e", str(tmp_path / "e.log")],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    # the compose one, with its two app servers resolvable (as they are inside compose's network)
    compose = render_compose().replace("app1:8501", "127.0.0.1:8501").replace("app2:8501", "127.0.0.1:8502")
    compose = compose.replace("user www-data;", "").replace("pid /run/nginx.pid;", f"pid {tmp_path / 'c.pid'};")
    conf.write_text(compose, encoding="utf-8")
    # nginx's own prefix: Debian's modules-enabled files name their module relative to it
    done = subprocess.run([local_stack.NGINX, "-t", "-c", str(conf), "-e", str(tmp_path / "e.log")],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_the_compose_file_is_coherent():
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    services = compose["services"]
    assert {"db", "migrate", "app1", "app2", "proxy", "backup"} <= set(services)
    upstreams = {s.split(":")[0] for s in local_stack.COMPOSE_APP_SERVERS}
    assert upstreams <= set(services), "every server in compose.conf is a service"
    for name in ("migrate", *sorted(upstreams)):
        app = services[name]
        assert app["build"]["dockerfile"] == "deploy/Dockerfile" and app["build"]["context"] == ".."
        assert app["environment"]["DATABASE_URL"].startswith("postgresql+psycopg://sme:") and "@db:5432/sme" in app["environment"]["DATABASE_URL"]
    assert services["migrate"]["command"] == ["python", "cli.py", "db", "upgrade"]
    assert services["app1"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert set(services["proxy"]["depends_on"]) == upstreams
    assert services["proxy"]["build"]["dockerfile"] == "deploy/proxy.Dockerfile"
    for service in services.values():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            assert source in compose["volumes"] or (DEPLOY / source).exists(), volume
    assert services["backup"]["entrypoint"] == ["bash", "/opt/backup/backup-loop.sh"]
    assert (DEPLOY / "backup" / "backup-loop.sh").exists()
    # the Dockerfiles copy what exists, and run the app the way the local stack does
    for dockerfile in ("Dockerfile", "proxy.Dockerfile"):
        for line in (DEPLOY / dockerfile).read_text().splitlines():
            if line.startswith("COPY ") and "--from=" not in line:  # --from: a file of an earlier stage
                for source in line.split()[1:-1]:
                    assert (ROOT / source).exists(), line
    cmd = re.search(r'^CMD (\[.*\])$', (DEPLOY / "Dockerfile").read_text(), re.M).group(1)
    flags = yaml.safe_load(cmd)
    expected = local_stack.streamlit_command(8501, "0.0.0.0")
    assert flags[1:] == ["-m", *expected[2:3], "run", "app.py", *expected[5:]]


def test_scripts_are_bash_clean():
    for script in sorted((DEPLOY / "backup").glob("*.sh")):
        done = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
        assert done.returncode == 0, (script, done.stderr)
    assert shutil.which("pg_dump") and shutil.which("pg_restore")
