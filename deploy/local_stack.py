"""The deployment's shape on one machine, without containers: Debian's nginx in front of N
``streamlit run app.py`` processes on one database.

    python -m deploy.local_stack --servers 2 --port 8080      # DATABASE_URL, e.g. PostgreSQL
    python -m deploy.local_stack --servers 1 --port 8080      # one machine, default SQLite too

It runs the migrations, writes an nginx.conf from ``deploy/nginx/sme.conf.template`` into a
temporary folder (pid, logs and buffers there too, so no root and no /etc/nginx changes are
needed), starts the app servers on free local ports and nginx on ``--port``, and stops them
all on Ctrl-C. The tests (tests/test_deploy.py) and ``python -m bench.ui`` start the same
thing through ``LocalStack``.

``--render-compose`` writes ``deploy/nginx/compose.conf`` (the same template for
``deploy/compose.yaml``); a test checks that the committed file is up to date.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import os
import shutil
import signal
import socket
import ssl
import string
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from deploy import fonts

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
TEMPLATE = DEPLOY / "nginx" / "sme.conf.template"
COMPOSE_CONF = DEPLOY / "nginx" / "compose.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
MODULES = Path("/usr/lib/nginx/modules")
BROTLI_MODULE = MODULES / "ngx_http_brotli_filter_module.so"
COMPRESSED_TYPES = (
    "text/plain text/css text/javascript application/javascript application/json\n"
    "                 application/manifest+json image/svg+xml image/x-icon application/wasm\n"
    "                 font/ttf font/otf application/vnd.ms-fontobject text/xml application/xml"
)
# The compose deployment: two app servers by their service names, Debian's paths.
COMPOSE_APP_SERVERS = ("app1:8501", "app2:8501")
COMPOSE_FONT_DIR = "/usr/share/nginx/sme-fonts"  # deploy/proxy.Dockerfile puts deploy/fonts.py's files there


def streamlit_command(port: int, address: str = "127.0.0.1", app: Path = ROOT / "app.py") -> list[str]:
    """How every app server runs (the Dockerfile's CMD says the same)."""
    return [
        sys.executable, "-m", "streamlit", "run", str(app),
        "--server.headless", "true", "--server.address", address, "--server.port", str(port),
        "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
    ]


def _brotli(available: bool) -> str:
    if not available:
        return "    # brotli: Debian's libnginx-mod-http-brotli-filter is not installed; gzip only\n"
    return (
        "    brotli on;\n"
        "    brotli_comp_level 5;  # close to the best ratio at a fraction of level 11's CPU\n"
        "    brotli_min_length 256;\n"
        f"    brotli_types {COMPRESSED_TYPES};\n"
    )


def render_nginx(
    *,
    listen: str,
    app_servers: list[str] | tuple[str, ...],
    main: str,
    temp_paths: str,
    access_log: str,
    error_log: str,
    brotli: bool,
    font_dir: str,
    mime_types: str = "/etc/nginx/mime.types",
    server_extra: str = "",
) -> str:
    """The template with every ``${NAME}`` filled in; nginx's ``$variables`` stay as they are."""
    servers = "\n".join(f"        server {s} max_fails=2 fail_timeout=10s;" for s in app_servers)
    values = {
        "MAIN": main, "MIME_TYPES": mime_types, "TEMP_PATHS": temp_paths, "ACCESS_LOG": access_log,
        "ERROR_LOG": error_log, "APP_SERVERS": servers, "BROTLI": _brotli(brotli), "LISTEN": listen,
        "SERVER_EXTRA": server_extra, "FONT_DIR": font_dir,
    }
    text = string.Template(TEMPLATE.read_text(encoding="utf-8")).safe_substitute(values)
    missing = [name for name in values if "${" + name + "}" in text]
    if missing:
        raise RuntimeError(f"template placeholders left unfilled: {missing}")
    return text


def render_compose() -> str:
    """deploy/nginx/compose.conf: the proxy container of deploy/compose.yaml."""
    return render_nginx(
        listen="80",
        app_servers=COMPOSE_APP_SERVERS,
        main="user www-data;\npid /run/nginx.pid;\ninclude /etc/nginx/modules-enabled/*.conf;  # brotli (installed in the image)",
        temp_paths="",
        access_log="/dev/stdout",
        error_log="/dev/stderr",
        brotli=True,
        font_dir=COMPOSE_FONT_DIR,
    )


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A throwaway certificate for 127.0.0.1 (openssl), for trying the shape with TLS and HTTP/2
    as a real deployment has them; a browser must be told to accept it."""
    cert, key = folder / "tls.crt", folder / "tls.key"
    if not cert.exists():
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
             "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
            check=True, capture_output=True, timeout=60,
        )
    return cert, key


def certificate_spki(cert: Path) -> str:
    """The base64 SHA-256 of the certificate's public key: Chromium's
    ``--ignore-certificate-errors-spki-list`` then trusts it fully (it caches, as it would with a
    real certificate; with mere ``ignore_https_errors`` it caches nothing)."""
    pem = subprocess.run(["openssl", "x509", "-in", str(cert), "-noout", "-pubkey"], check=True, capture_output=True,
                         timeout=30).stdout
    der = subprocess.run(["openssl", "pkey", "-pubin", "-outform", "der"], input=pem, check=True, capture_output=True,
                         timeout=30).stdout
    return base64.b64encode(hashlib.sha256(der).digest()).decode()


def render_local(runtime: Path, listen_port: int, app_ports: list[int], brotli: bool | None = None,
                 tls: bool = False, font_dir: Path | None = None) -> str:
    brotli = BROTLI_MODULE.exists() if brotli is None else brotli
    main = [f"pid {runtime / 'nginx.pid'};"]
    if os.geteuid() == 0:
        main.insert(0, "user nobody nogroup;  # workers drop root")
    if brotli:
        main.append(f"load_module {BROTLI_MODULE};")
    temp = "\n".join(
        f"    {kind}_temp_path {runtime / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    extra = ""
    if tls:
        cert, key = self_signed_certificate(runtime)
        extra = f"        ssl_certificate {cert};\n        ssl_certificate_key {key};\n"
    return render_nginx(
        listen=f"127.0.0.1:{listen_port}" + (" ssl http2" if tls else ""),
        app_servers=[f"127.0.0.1:{p}" for p in app_ports],
        main="\n".join(main),
        temp_paths=temp,
        access_log=str(runtime / "access.log"),
        error_log=str(runtime / "error.log"),
        brotli=brotli,
        server_extra=extra,
        font_dir=str(font_dir or runtime / "fonts"),
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, proc: subprocess.Popen | None, log: Path, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    unverified = ssl.create_default_context()  # --tls: our own self-signed certificate
    unverified.check_hostname = False
    unverified.verify_mode = ssl.CERT_NONE
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{proc.args[0]} exited with {proc.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2, context=unverified) as r:
                if r.status == 200:
                    return
        except (OSError, urllib.error.HTTPError):
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s:\n{log.read_text(errors='replace')[-3000:]}")


def stop_process(proc: subprocess.Popen | None) -> None:
    """Terminate, then kill after 15 s; nothing if it is gone already."""
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)


class LocalStack:
    """nginx + N app servers + migrations, on this machine. Use as a context manager."""

    def __init__(self, database_url: str, servers: int = 2, port: int = 0, workdir: Path | None = None,
                 env: dict[str, str] | None = None, brotli: bool | None = None, tls: bool = False,
                 app: Path = ROOT / "app.py"):
        self.database_url = database_url
        self.port = port or free_port()
        self.app_ports = [free_port() for _ in range(servers)]
        self.workdir = Path(workdir or tempfile.mkdtemp(prefix="sme-stack-"))
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.env = {**os.environ, **(env or {}), "DATABASE_URL": database_url}
        self.brotli = brotli
        self.tls = tls  # HTTPS with HTTP/2 and a self-signed certificate (benchmarks: the real shape)
        self.app = app  # another script only for bench.ui's floor: a bare Streamlit page
        self.apps: list[subprocess.Popen | None] = [None] * servers
        self.nginx: subprocess.Popen | None = None

    # -------------------------------------------------------------- addresses and logs
    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    def app_url(self, i: int) -> str:
        return f"http://127.0.0.1:{self.app_ports[i]}"

    @property
    def certificate(self) -> Path | None:
        return self.workdir / "tls.crt" if self.tls else None

    @property
    def access_log(self) -> Path:
        return self.workdir / "access.log"

    def app_log(self, i: int) -> Path:
        return self.workdir / f"app{i + 1}.log"

    # -------------------------------------------------------------- life cycle
    def migrate(self) -> None:
        done = subprocess.run([sys.executable, "cli.py", "db", "upgrade", "--url", self.database_url], cwd=ROOT,
                              env=self.env, capture_output=True, text=True, timeout=300)
        if done.returncode:
            raise RuntimeError(f"migrations failed:\n{done.stderr}")

    def start_app(self, i: int, wait: bool = True) -> None:
        log = open(self.app_log(i), "ab")  # noqa: SIM115 - closed with the process
        self.apps[i] = subprocess.Popen(streamlit_command(self.app_ports[i], app=self.app), cwd=ROOT, env=self.env,
                                        stdout=log, stderr=subprocess.STDOUT)
        log.close()
        if wait:
            self.wait_app(i)

    def wait_app(self, i: int) -> None:
        wait_http(f"{self.app_url(i)}/_stcore/health", self.apps[i], self.app_log(i))

    def stop_app(self, i: int) -> None:
        stop_process(self.apps[i])
        self.apps[i] = None

    def restart_app(self, i: int) -> None:
        self.stop_app(i)
        self.start_app(i)

    def start_proxy(self) -> None:
        runtime = self.workdir
        runtime.mkdir(parents=True, exist_ok=True)
        runtime.chmod(0o755)  # the workers (nobody) reach their buffer folders through it
        try:  # the fonts cut down (deploy/fonts.py); without them nginx serves Streamlit's own
            font_dir = fonts.cached()
        except Exception as exc:  # noqa: BLE001 - a slower first visit, not a reason to stop
            print(f"deploy.local_stack: Streamlit's full fonts will be served ({exc})", file=sys.stderr)
            font_dir = runtime / "fonts"
        conf = runtime / "nginx.conf"
        conf.write_text(render_local(runtime, self.port, self.app_ports, self.brotli, self.tls, font_dir),
                        encoding="utf-8")
        base = [NGINX, "-p", str(runtime), "-c", str(conf), "-e", str(runtime / "error.log")]
        test = subprocess.run([*base, "-t", "-q"], capture_output=True, text=True, timeout=30)
        if test.returncode:
            raise RuntimeError(f"nginx refused {conf}:\n{test.stderr}")
        log = open(runtime / "nginx.out", "ab")  # noqa: SIM115
        self.nginx = subprocess.Popen([*base, "-g", "daemon off;"], stdout=log, stderr=subprocess.STDOUT)
        log.close()
        wait_http(f"{self.url}/_stcore/health", self.nginx, runtime / "error.log")

    def start(self, migrate: bool = True) -> LocalStack:
        if not Path(NGINX).exists():
            raise RuntimeError("nginx is not installed: apt-get install nginx libnginx-mod-http-brotli-filter")
        try:
            if migrate:
                self.migrate()
            for i in range(len(self.apps)):
                self.start_app(i, wait=False)  # start together, wait together
            for i in range(len(self.apps)):
                self.wait_app(i)
            self.start_proxy()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        stop_process(self.nginx)
        self.nginx = None
        for i in range(len(self.apps)):
            self.stop_app(i)

    def __enter__(self) -> LocalStack:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"),
                        help="the database every server shares (default: $DATABASE_URL, else the SQLite file data/app.db)")
    parser.add_argument("--servers", type=int, default=2, help="how many streamlit processes (default 2)")
    parser.add_argument("--port", type=int, default=8080, help="where nginx listens, on 127.0.0.1 (default 8080)")
    parser.add_argument("--tls", action="store_true", help="HTTPS and HTTP/2 with a throwaway self-signed certificate")
    parser.add_argument("--render-compose", action="store_true", help="write deploy/nginx/compose.conf and exit")
    args = parser.parse_args(argv)
    if args.render_compose:
        COMPOSE_CONF.write_text(render_compose(), encoding="utf-8")
        print(f"wrote {COMPOSE_CONF.relative_to(ROOT)}")
        return 0
    from store.db import resolve_url

    stack = LocalStack(resolve_url(args.database_url), servers=args.servers, port=args.port, tls=args.tls)
    stack.start()
    print(f"open {stack.url}  ({args.servers} app servers: {', '.join(map(str, stack.app_ports))}; logs in {stack.workdir})",
          flush=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        while all(p is not None and p.poll() is None for p in [stack.nginx, *stack.apps]):
            time.sleep(1)
        print("a process stopped: see the logs", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        stack.stop()


if __name__ == "__main__":
    sys.exit(main())
