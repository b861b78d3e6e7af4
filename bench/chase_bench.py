"""The chase sweep's selection over 1,000,000 requests in PostgreSQL, against hand-written SQL.

Creates a throwaway database (``foitracker_bench``), migrates it, seeds a
million requests in bulk with ``generate_series`` (about four years of
campaigns to every force, most answered, some 8% open and overdue, the rest
awaiting, stopped for clarification, paused for fees, on hold or closed) and
the chasers already sent up to yesterday, then times, in the same run:

- the sweep's own selection (``select_due``, as ``chase --dry-run`` runs it:
  calendars, campaign policies, stage chasers, review chasers), counting the
  SQL queries it issued; and
- one hand-written SQL query selecting the same due (request, stage) rows;

checks that both select exactly the same rows, prints both times and the
ratio, and drops the database.

    .venv/bin/python bench/chase_bench.py [--requests 1000000] [--keep] [--json]

Needs PostgreSQL; ``BENCH_ADMIN_URL`` (default postgres://postgres@127.0.0.1:5432/postgres)
names a database to connect to while creating and dropping the bench one.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BENCH_DB = "foitracker_bench"
TODAY = date(2025, 3, 12)  # a Wednesday, a working day under both Acts
ADMIN_URL = os.environ.get("BENCH_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def recreate(drop_only: bool = False) -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        if not drop_only:
            admin.execute(f"CREATE DATABASE {BENCH_DB}")


def setup_django() -> None:
    parts = urlsplit(ADMIN_URL)
    os.environ["DATABASE_URL"] = parts._replace(path=f"/{BENCH_DB}").geturl()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "foitracker.settings")
    import django

    django.setup()


def cutoffs(day: date) -> dict[str, list[date]]:
    """Per regime, the latest due date owed each default stage by ``day``."""
    from django.conf import settings

    from requests_app.domain.calendar import Regime, calendar_for
    from requests_app.domain.chasers import latest_due_on, parse_policy

    policy = parse_policy(None, settings.CHASER_STAGES)
    return {
        r.value: [latest_due_on(day, s.offset, calendar_for(r)) for s in policy.stages]
        for r in Regime
    }


def seed(cursor, n: int) -> dict:
    """A million requests by generate_series, and the chasers sent up to yesterday."""
    from requests_app.domain.calendar import Regime, calendar_for

    # A bulk load: skip the foreign-key triggers (the ids are consistent by construction).
    cursor.execute("SET session_replication_role = replica")
    cursor.execute("SET synchronous_commit = off")
    cal = calendar_for(Regime.FOIA)
    yesterday = TODAY
    while True:  # the previous FOIA working day
        yesterday = date.fromordinal(yesterday.toordinal() - 1)
        if cal.is_working_day(yesterday):
            break
    cursor.execute(
        "UPDATE requests_app_force SET foi_email = 'foi@' || id || '.police.example', "
        "foi_email_broken = (id = 'gwent')"
    )
    cursor.execute("SELECT id FROM requests_app_force ORDER BY id")
    forces = [row[0] for row in cursor.fetchall()]
    k = len(forces)
    campaigns = -(-n // k)
    cursor.execute(
        """
        INSERT INTO requests_app_campaign (title, slug, description, template, periods,
            dimensions, vocabularies, series, chaser_stages, on_hold, created_at)
        SELECT 'Campaign ' || g, 'campaign-' || g, '', '', '[]', '["total"]', '{}', '',
            '[]', g %% 200 = 0, now()
        FROM generate_series(1, %s) g
        """,
        [campaigns],
    )
    cursor.execute("SELECT min(id) FROM requests_app_campaign")
    first_campaign = cursor.fetchone()[0]
    # r decides the request's fate; sent dates spread over 1,500 days before TODAY.
    cursor.execute(
        """
        INSERT INTO requests_app_foirequest (force_id, campaign_id, reference, subject, body,
            reply_token, message_id, force_reference, created_at, status, clock, sent_on,
            received_on, due_on, very_overdue_on, responded_on, outcome, exemptions,
            on_hold, state_as_of)
        SELECT force_id, campaign_id, 'bench/' || g, 'Bench request', '', 'tok' || g,
            '<bench-' || g || '@foitracker.example>', '', now(),
            CASE WHEN due_on >= %(today)s AND r >= 850 THEN 'awaiting'
                 WHEN r < 850 THEN 'responded' WHEN r < 930 THEN 'overdue'
                 WHEN r < 950 THEN 'clarification' WHEN r < 960 THEN 'fees'
                 WHEN r < 970 THEN 'on_hold' ELSE 'closed' END,
            CASE WHEN r >= 850 AND (due_on >= %(today)s OR r < 930) THEN 'running'
                 WHEN r < 850 OR r >= 970 THEN 'ended' WHEN r < 950 THEN 'stopped'
                 WHEN r < 960 THEN 'paused' ELSE 'running' END,
            sent_on, sent_on,
            CASE WHEN r >= 930 AND r < 960 AND due_on < %(today)s THEN NULL ELSE due_on END,
            due_on + 28,
            CASE WHEN r < 850 THEN sent_on + (r %% 40) END,
            CASE WHEN r < 850 THEN 'full' ELSE '' END, '[]',
            r >= 960 AND r < 970 AND due_on < %(today)s, %(today)s
        FROM (
            SELECT g, (%(forces)s::text[])[((g - 1) %% %(k)s) + 1] AS force_id,
                %(first)s + (g - 1) / %(k)s AS campaign_id,
                abs(hashtext(g::text)) %% 1000 AS r,
                %(today)s::date - (g %% 1500) AS sent_on,
                %(today)s::date - (g %% 1500) + 28 AS due_on
            FROM generate_series(1, %(n)s) g
        ) s
        """,
        {"today": TODAY, "forces": forces, "k": k, "first": first_campaign, "n": n},
    )
    # Chasers already sent: every stage each open, overdue request had reached by yesterday.
    before = cutoffs(yesterday)
    cursor.execute(
        """
        INSERT INTO requests_app_outboundmessage (request_id, kind, stage, to_address,
            from_address, reply_to, subject, body, message_id, in_reply_to, "references",
            due_for, status, attempts, last_error, created_at, sent_at)
        SELECT r.id, 'chaser', s::text, 'foi@example.org', 'foi@foitracker.example', '',
            'Chaser', '', '<bench-chaser-' || r.id || '-' || s || '>', '', '', NULL, 'sent',
            1, '', now(), now()
        FROM requests_app_foirequest r
        JOIN requests_app_force f ON f.id = r.force_id
        CROSS JOIN LATERAL generate_series(1, CASE
            WHEN r.due_on <= CASE f.regime WHEN 'FOIA' THEN %(foia3)s ELSE %(foisa3)s END THEN 3
            WHEN r.due_on <= CASE f.regime WHEN 'FOIA' THEN %(foia2)s ELSE %(foisa2)s END THEN 2
            WHEN r.due_on <= CASE f.regime WHEN 'FOIA' THEN %(foia1)s ELSE %(foisa1)s END THEN 1
            ELSE 0 END) s
        WHERE r.clock = 'running' AND r.status IN ('overdue', 'very_overdue')
            AND r.id %% 50 <> 0  -- 2%% missed earlier (a broken address since fixed...)
        """,
        {
            **{f"foia{i + 1}": d for i, d in enumerate(before["FOIA"])},
            **{f"foisa{i + 1}": d for i, d in enumerate(before["FOISA"])},
        },
    )
    cursor.execute("SET session_replication_role = DEFAULT")
    cursor.execute("ANALYZE")
    cursor.execute(
        "SELECT count(*), count(*) FILTER (WHERE clock = 'running' AND due_on < %s "
        "AND status IN ('overdue', 'very_overdue', 'awaiting')) FROM requests_app_foirequest",
        [TODAY],
    )
    total, overdue = cursor.fetchone()
    cursor.execute("SELECT count(*) FROM requests_app_outboundmessage")
    return {
        "requests": total,
        "open_overdue": overdue,
        "chasers_already_sent": cursor.fetchone()[0],
    }


HAND_SQL = """
WITH rules(regime, stage, hi, lo, later) AS (VALUES {values})
SELECT r.id, rules.stage
FROM requests_app_foirequest r
JOIN requests_app_force f ON f.id = r.force_id
LEFT JOIN requests_app_campaign c ON c.id = r.campaign_id
JOIN rules ON rules.regime = f.regime AND r.due_on <= rules.hi
    AND (rules.lo IS NULL OR r.due_on > rules.lo)
WHERE r.status IN ('awaiting', 'overdue', 'very_overdue') AND r.clock = 'running'
  AND NOT r.on_hold AND r.due_on <= %(max_hi)s
  AND f.foi_email <> '' AND NOT f.foi_email_broken
  AND (c.id IS NULL OR (NOT c.on_hold AND c.chaser_stages = '[]'::jsonb))
  AND NOT EXISTS (
    SELECT 1 FROM requests_app_outboundmessage o
    WHERE o.request_id = r.id AND o.kind = 'chaser' AND o.stage = ANY(rules.later)
  )
"""


def hand_written(cursor) -> set[tuple[int, str]]:
    """One query, the cutoffs worked out in Python as the sweep does, the rest in SQL."""
    values, params, max_hi = [], {}, None
    for regime, cuts in cutoffs(TODAY).items():
        keys = [str(i + 1) for i in range(len(cuts))]
        for i, hi in enumerate(cuts):
            lo = cuts[i + 1] if i + 1 < len(cuts) else None
            p = f"{regime}{i}"
            values.append(f"(%({p}r)s, %({p}s)s, %({p}h)s::date, %({p}l)s::date, %({p}k)s::text[])")
            params.update({f"{p}r": regime, f"{p}s": keys[i], f"{p}h": hi, f"{p}l": lo})
            params[f"{p}k"] = keys[i:]
            max_hi = max(max_hi or hi, hi)
    cursor.execute(HAND_SQL.format(values=", ".join(values)), {**params, "max_hi": max_hi})
    return set(cursor.fetchall())


def best_of(runs: int, fn):
    times, result = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return min(times), times, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    try:
        recreate()
    except psycopg.OperationalError as exc:
        print(f"chase_bench needs PostgreSQL at {ADMIN_URL}: {exc}", file=sys.stderr)
        return 2
    try:
        setup_django()
        from django.core.management import call_command
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from requests_app.services.chasing import select_due

        call_command("migrate", verbosity=0)
        t0 = time.perf_counter()
        with connection.cursor() as cursor:
            seeded = seed(cursor, args.requests)
        seed_s = time.perf_counter() - t0

        with CaptureQueriesContext(connection) as captured:
            first = select_due(today=TODAY)
        queries = len(captured.captured_queries)
        orm_s, orm_all, result = best_of(args.runs, lambda: select_due(today=TODAY))
        orm_rows = {(c.request_id, c.stage) for c in result.chasers}
        with connection.cursor() as cursor:
            sql_s, sql_all, sql_rows = best_of(args.runs, lambda: hand_written(cursor))
        assert {(c.request_id, c.stage) for c in first.chasers} == orm_rows
        assert orm_rows == sql_rows, (
            f"the sweep and the hand-written SQL disagree: {len(orm_rows - sql_rows)} only in "
            f"the sweep, {len(sql_rows - orm_rows)} only in the SQL"
        )
        stages = {}
        for _, stage in orm_rows:
            stages[stage] = stages.get(stage, 0) + 1
        report = {
            **seeded,
            "today": TODAY.isoformat(),
            "seed_seconds": round(seed_s, 1),
            "due_today": len(orm_rows),
            "due_by_stage": dict(sorted(stages.items())),
            "sweep_queries": queries,
            "sweep_ms": round(orm_s * 1000, 1),
            "hand_sql_ms": round(sql_s * 1000, 1),
            "ratio": round(orm_s / sql_s, 2),
            "runs": args.runs,
            "postgres": connection.cursor().connection.info.server_version,
            "python": platform.python_version(),
        }
        if args.json:
            print(json.dumps(report))
        else:
            print(
                f"{report['requests']:,} requests ({report['open_overdue']:,} open and overdue, "
                f"{report['chasers_already_sent']:,} chasers already sent), seeded in "
                f"{report['seed_seconds']} s; sweeping as of {report['today']}."
            )
            print(
                f"due today: {report['due_today']:,} chasers {report['due_by_stage']} "
                "(the sweep and the hand-written SQL select the same rows)"
            )
            print(
                f"sweep selection (select_due, {queries} SQL queries): "
                f"{report['sweep_ms']} ms; hand-written SQL (1 query): {report['hand_sql_ms']} ms; "
                f"ratio {report['ratio']} (best of {args.runs})"
            )
        return 0
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            recreate(drop_only=True)


if __name__ == "__main__":
    sys.exit(main())
