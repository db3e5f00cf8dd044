#!/usr/bin/env bash
# The compose file's backup service: a backup now, then every BACKUP_EVERY_SECONDS.
set -uo pipefail
here="$(dirname "$0")"
while true; do
  bash "$here/backup.sh" || echo "backup failed: retrying at the next interval" >&2
  sleep "${BACKUP_EVERY_SECONDS:-86400}"
done
