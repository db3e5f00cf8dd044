#!/usr/bin/env bash
# Restore a backup made by backup.sh into a database, replacing what the backup holds, in one
# transaction: it all lands, or nothing changes.
#
#   bash deploy/backup/restore.sh BACKUP.dump [DATABASE_URL]
#
# Stop the app servers first, and run `python cli.py db upgrade` after (a backup taken before
# a newer version of the app is then brought up to date). The database must exist (empty or
# not); DATABASE_URL as in backup.sh.
set -euo pipefail

dump="${1:?usage: restore.sh BACKUP.dump [DATABASE_URL]}"
url="${2:-${DATABASE_URL:-}}"
url="${url/postgresql+psycopg:\/\//postgresql://}"

pg_restore --list "$dump" >/dev/null
args=(--clean --if-exists --no-owner --no-privileges --single-transaction --exit-on-error)
if [ -n "$url" ]; then args+=(--dbname="$url"); else args+=(--dbname="${PGDATABASE:?set DATABASE_URL or PGDATABASE}"); fi
pg_restore "${args[@]}" "$dump"
echo "restored $dump"
