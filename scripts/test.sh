#!/usr/bin/env bash
# Install everything the tests need on a fresh Debian machine, then run them.
#   bash scripts/test.sh [pytest args]
# System packages: chromium (end-to-end tests), poppler-utils (PDF pages to PNG),
# postgresql (storage tests run against SQLite and a real PostgreSQL on 127.0.0.1:5432),
# nginx with Debian's brotli module (the deployment tests run the reverse proxy of deploy/).
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
command -v pg_ctlcluster >/dev/null 2>&1 || need+=(postgresql)
fresh_nginx=0
if [ ! -x /usr/sbin/nginx ]; then need+=(nginx); fresh_nginx=1; fi
[ -e /usr/lib/nginx/modules/ngx_http_brotli_filter_module.so ] || need+=(libnginx-mod-http-brotli-filter)
fresh_pg=0
if [ ${#need[@]} -gt 0 ]; then
  echo "installing system packages: ${need[*]}"
  [[ " ${need[*]} " == *" postgresql "* ]] && fresh_pg=1
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
# The tests run their own nginx (a generated config in a temporary folder); a system service
# the package may have started is not needed: stop that one, by its own pid file.
if [ "$fresh_nginx" = 1 ] && [ -s /run/nginx.pid ]; then
  $SUDO /usr/sbin/nginx -s quit 2>/dev/null || true
fi

# PostgreSQL is the machine's own service: start it when it is down. A cluster we just
# installed gets trust auth on loopback, like the development machines.
if [ "$fresh_pg" = 1 ]; then
  for hba in /etc/postgresql/*/main/pg_hba.conf; do
    $SUDO sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
  done
fi
if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  for version in $(ls /etc/postgresql 2>/dev/null); do
    $SUDO pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  done
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null && break; sleep 1; done
fi
if [ "$fresh_pg" = 1 ]; then
  for version in $(ls /etc/postgresql); do $SUDO pg_ctlcluster --skip-systemctl-redirect "$version" main reload || true; done
fi

python -m pip install -q --disable-pip-version-check -r requirements-dev.txt
python -m pytest "$@"
