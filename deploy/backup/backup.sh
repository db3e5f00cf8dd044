#!/usr/bin/env bash
# One backup of the database, in pg_dump's custom format (compressed; pg_restore can restore
# all of it or single tables). Written under a temporary name, checked readable, then renamed:
# a half-written file never looks like a backup. Backups older than KEEP_DAYS are removed.
#
#   bash deploy/backup/backup.sh [DATABASE_URL]     # prints the file it wrote
#
# The database: the argument, else $DATABASE_URL, else libpq's PGHOST/PGUSER/PGDATABASE/…
# (SQLAlchemy's postgresql+psycopg:// URLs are accepted). BACKUP_DIR (default ./backups),
# KEEP_DAYS (default 14).
set -euo pipefail

url="${1:-${DATABASE_URL:-}}"
url="${url/postgresql+psycopg:\/\//postgresql://}"
dir="${BACKUP_DIR:-./backups}"
keep="${KEEP_DAYS:-14}"

mkdir -p "$dir"
target="$dir/sme-$(date -u +%Y%m%dT%H%M%SZ).dump"
partial="$target.part"
trap 'rm -f "$partial"' EXIT

args=(--format=custom --no-owner --no-privileges --file="$partial")
if [ -n "$url" ]; then args+=(--dbname="$url"); fi
pg_dump "${args[@]}"
pg_restore --list "$partial" >/dev/null  # a dump that pg_restore cannot read is no backup
mv "$partial" "$target"

find "$dir" -maxdepth 1 -name 'sme-*.dump' -mtime +"$keep" -delete
echo "$target"
