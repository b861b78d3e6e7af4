#!/usr/bin/env bash
# Backup and restore, tested once end to end (README "Backup and restore").
#
# 1. creates a throwaway database and migrates it, loads the demo data and one stored reply file;
# 2. backs it up exactly as the README says: pg_dump (custom format) + a tar of MEDIA_ROOT;
# 3. restores both into an EMPTY database and an empty media folder;
# 4. checks that every table has the same number of rows, and the media files the same checksums.
#
#   scripts/backup_restore_check.sh            # needs PostgreSQL (BACKUP_CHECK_ADMIN_URL)
#
# BACKUP_CHECK_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres) names a database
# to connect to while creating and dropping the two throwaway ones. Exit status 0 when all match.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PY="${PY:-$ROOT/.venv/bin/python}"
export PGOPTIONS="--client-min-messages=warning"
ADMIN_URL="${BACKUP_CHECK_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
SOURCE_DB=foitracker_backup_source
TARGET_DB=foitracker_backup_target
WORK="$(mktemp -d)"
BASE_URL="${ADMIN_URL%/*}"

cleanup() {
  psql "$ADMIN_URL" -q -c "DROP DATABASE IF EXISTS $SOURCE_DB WITH (FORCE)" \
    -c "DROP DATABASE IF EXISTS $TARGET_DB WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

fresh_db() { psql "$ADMIN_URL" -q -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1"; }
fresh_db "$SOURCE_DB"
fresh_db "$TARGET_DB"
mkdir -p "$WORK/media" "$WORK/restored-media"

echo "== seeding $SOURCE_DB (migrate, demo data, a stored reply)"
export DATABASE_URL="$BASE_URL/$SOURCE_DB" MEDIA_ROOT="$WORK/media" DJANGO_SETTINGS_MODULE=foitracker.settings
cd "$ROOT"
"$PY" manage.py migrate --noinput -v0
"$PY" manage.py demo_data >/dev/null
"$PY" - <<'PY'
import django
django.setup()
from requests_app.models import Campaign
from responses_app.services.storage import attach
request = Campaign.objects.get().requests.order_by("pk").first()
attach(request=request, data=b"force,total\nkent,12\n", name="reply.csv")
PY

echo "== backing up: pg_dump --format=custom and a tar of MEDIA_ROOT"
pg_dump --format=custom --no-owner --file="$WORK/foitracker.dump" "$DATABASE_URL"
tar -C "$WORK/media" -czf "$WORK/media.tar.gz" .
ls -l "$WORK/foitracker.dump" "$WORK/media.tar.gz" | awk '{print "   ", $5, "bytes", $NF}'

echo "== restoring into the empty $TARGET_DB and an empty media folder"
pg_restore --no-owner --exit-on-error --dbname="$BASE_URL/$TARGET_DB" "$WORK/foitracker.dump"
tar -C "$WORK/restored-media" -xzf "$WORK/media.tar.gz"

echo "== comparing row counts of every table"
count_rows() {
  psql "$1" -At -F ' ' -c "SELECT table_name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name" |
    while read -r table; do
      echo "$table $(psql "$1" -At -c "SELECT count(*) FROM \"$table\"")"
    done
}
count_rows "$DATABASE_URL" >"$WORK/source.counts"
count_rows "$BASE_URL/$TARGET_DB" >"$WORK/target.counts"
tables=$(wc -l <"$WORK/source.counts")
rows=$(awk '{s += $2} END {print s}' "$WORK/source.counts")
if ! diff -u "$WORK/source.counts" "$WORK/target.counts"; then
  echo "FAIL: row counts differ after restore" >&2
  exit 1
fi
nonempty=$(awk '$2 > 0' "$WORK/source.counts" | wc -l)
echo "   $tables tables, $rows rows ($nonempty tables with rows): identical"

echo "== comparing media files"
(cd "$WORK/media" && find . -type f -exec sha256sum {} + | sort -k2) >"$WORK/source.media"
(cd "$WORK/restored-media" && find . -type f -exec sha256sum {} + | sort -k2) >"$WORK/target.media"
if ! diff -u "$WORK/source.media" "$WORK/target.media"; then
  echo "FAIL: media files differ after restore" >&2
  exit 1
fi
echo "   $(wc -l <"$WORK/source.media") media file(s): identical checksums"

echo "== the restored database answers the application"
DATABASE_URL="$BASE_URL/$TARGET_DB" MEDIA_ROOT="$WORK/restored-media" "$PY" - <<'PY'
import django
django.setup()
from django.core.management import call_command
from requests_app.models import Campaign
from responses_app.models import Document
call_command("migrate", "--check", verbosity=0)  # exits non-zero if anything is unapplied
doc = Document.objects.get(name="reply.csv")  # the demo stores its replies too
with doc.stored.content.open("rb") as handle:
    assert handle.read() == b"force,total\nkent,12\n"
print(f"    migrations up to date; {Campaign.objects.count()} campaign(s); reply file readable")
PY
echo "OK: backup restored into an empty database with identical counts"
