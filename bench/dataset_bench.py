"""The consolidated dataset over millions of figures in PostgreSQL: selector vs hand-written SQL.

Creates a throwaway database (``foitracker_bench_dataset``), migrates it,
seeds FIGURES figures in bulk with ``generate_series`` (many campaigns, all
43 territorial forces, ten financial years, totals plus 17 platforms and 17
ages each; most approved, some corrected, some still waiting or rejected, 5%
of breakdown figures suppressed), then times, in the same run:

* the national totals of every campaign, period, dimension and category
  through the Django selector (``responses_app.selectors.dataset.national_totals``),
  against one hand-written SQL ``GROUP BY`` computing the same totals, and
  checks both give the same rows;
* one campaign's whole summary (``campaign_summary``, what the dataset page
  runs) against the same hand-written query limited to that campaign.

The database is dropped at the end (``--keep`` keeps it).

    .venv/bin/python bench/dataset_bench.py [--figures 10000000] [--repeat 3] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BENCH_DB = "foitracker_bench_dataset"
PER_FORCE_PERIOD = 35  # total + 17 platforms + 17 ages
PERIODS_PER_CAMPAIGN = 2
FORCES = 43
PER_CAMPAIGN = FORCES * PERIODS_PER_CAMPAIGN * PER_FORCE_PERIOD  # 3,010
PLATFORMS = [
    *json.loads(
        (
            Path(__file__).resolve().parents[1] / "questions/data/vocabularies/platforms.json"
        ).read_text()
    )["categories"],
    "Not recorded",
]
AGES = [str(a) for a in range(16)] + ["Not recorded"]

HAND_SQL = """
SELECT campaign_id, period, period_start, period_end, dimension, category,
       SUM(value), SUM(COALESCE(lower, value)), SUM(COALESCE(upper, value)),
       COUNT(DISTINCT force_id), COUNT(*),
       COUNT(*) FILTER (WHERE suppressed),
       COUNT(*) FILTER (WHERE value IS NULL AND upper IS NULL)
FROM responses_app_figure
WHERE status IN ('approved', 'corrected') {extra}
GROUP BY campaign_id, period, period_start, period_end, dimension, category
"""


def _admin_url(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/postgres"))


def _bench_url(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{BENCH_DB}"))


def _recreate(admin: str, drop_only: bool = False) -> None:
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        if not drop_only:
            conn.execute(f"CREATE DATABASE {BENCH_DB}")


def _setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "foitracker.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _filler(cur, table: str, given: set[str]) -> dict[str, str]:
    """SQL values for NOT NULL columns without a default that the seed does not set."""
    cur.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_name = %s AND is_nullable = 'NO' AND column_default IS NULL "
        "AND column_name <> 'id'",
        [table],
    )
    by_type = {
        "boolean": "false",
        "jsonb": "'[]'::jsonb",
        "timestamp with time zone": "now()",
        "date": "current_date",
        "integer": "0",
        "bigint": "0",
        "smallint": "0",
    }
    return {name: by_type.get(kind, "''") for name, kind in cur.fetchall() if name not in given}


def _insert(cur, table: str, columns: dict[str, str], source: str) -> None:
    columns = {**_filler(cur, table, set(columns)), **columns}
    names = ", ".join(columns)
    values = ", ".join(columns.values())
    cur.execute(f"INSERT INTO {table} ({names}) SELECT {values} FROM {source}")


def seed(url: str, figures: int) -> dict:
    campaigns = max(1, -(-figures // PER_CAMPAIGN))
    total = campaigns * PER_CAMPAIGN
    t0 = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as conn, conn.cursor() as cur:
        cur.execute("SELECT id FROM requests_app_force WHERE territorial_england_wales ORDER BY id")
        forces = [r[0] for r in cur.fetchall()]
        assert len(forces) == FORCES, f"expected {FORCES} territorial forces, found {len(forces)}"
        cur.execute("SET session_replication_role = replica")  # no FK triggers while seeding
        cur.execute("SET maintenance_work_mem = '512MB'")
        _insert(
            cur,
            "requests_app_campaign",
            {
                "id": "c",
                "title": "'Bench campaign ' || c",
                "slug": "'bench-' || c",
                "series": "'bench-series-' || (c % 10)",
                "periods": "'[]'::jsonb",
                "dimensions": '\'["total", "platform", "age"]\'::jsonb',
                "vocabularies": "'{}'::jsonb",
                "created_at": "now()",
            },
            f"generate_series(1, {campaigns}) AS c",
        )
        force_array = "ARRAY[" + ", ".join(f"'{f}'" for f in forces) + "]"
        _insert(
            cur,
            "requests_app_foirequest",
            {
                "id": "r",
                "campaign_id": f"(r - 1) / {FORCES} + 1",
                "force_id": f"({force_array})[(r - 1) % {FORCES} + 1]",
                "reference": "'bench/' || r",
                "reply_token": "md5(r::text)",
                "subject": "'Bench'",
                "status": "'responded'",
                "outcome": "'full'",
                "clock": "'ended'",
                "created_at": "now()",
            },
            f"generate_series(1, {campaigns * FORCES}) AS r",
        )
        cur.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'responses_app_figure' "
            "AND indexname NOT LIKE '%pkey'"
        )
        indexes = cur.fetchall()
        for name, _ in indexes:
            cur.execute(f'DROP INDEX "{name}"')
        platforms = "ARRAY[" + ", ".join(f"'{p}'" for p in PLATFORMS) + "]"
        ages = "ARRAY[" + ", ".join(f"'{a}'" for a in AGES) + "]"
        campaign = f"(i / {PER_CAMPAIGN})"
        within = f"(i % {PER_CAMPAIGN})"
        force_idx = f"({within} / {PERIODS_PER_CAMPAIGN * PER_FORCE_PERIOD})"
        period_idx = f"(({within} / {PER_FORCE_PERIOD}) % {PERIODS_PER_CAMPAIGN})"
        cell = f"({within} % {PER_FORCE_PERIOD})"
        year = f"(2015 + {campaign} % 9 + {period_idx})::int"
        hidden = f"({cell} > 0 AND (i * 7919) % 20 = 0)"
        value = f"(CASE WHEN {cell} = 0 THEN 40 + (i * 31) % 200 ELSE (i * 2654435761) % 23 END)"
        status = (
            "(CASE WHEN (i * 13) % 100 < 88 THEN 'approved' WHEN (i * 13) % 100 < 91 "
            "THEN 'corrected' WHEN (i * 13) % 100 < 95 THEN 'extracted' "
            "WHEN (i * 13) % 100 < 98 THEN 'needs_review' ELSE 'rejected' END)"
        )
        _insert(
            cur,
            "responses_app_figure",
            {
                "campaign_id": f"{campaign} + 1",
                "request_id": f"{campaign} * {FORCES} + {force_idx} + 1",
                "force_id": f"({force_array})[{force_idx} + 1]",
                "period": f"{year}::text || '-' || lpad((({year} + 1) % 100)::text, 2, '0')",
                "period_start": f"make_date({year}, 4, 1)",
                "period_end": f"make_date({year} + 1, 3, 31)",
                "dimension": (
                    f"(CASE WHEN {cell} = 0 THEN 'total' WHEN {cell} <= 17 THEN 'platform' "
                    "ELSE 'age' END)"
                ),
                "category": (
                    f"(CASE WHEN {cell} = 0 THEN 'all' WHEN {cell} <= 17 "
                    f"THEN ({platforms})[{cell}] ELSE ({ages})[{cell} - 17] END)"
                ),
                "value": f"(CASE WHEN {hidden} THEN NULL ELSE {value} END)",
                "suppressed": hidden,
                "lower": f"(CASE WHEN {hidden} THEN 0 ELSE {value} END)",
                "upper": f"(CASE WHEN {hidden} THEN 4 ELSE {value} END)",
                "source": "'bench.csv row ' || i",
                "status": status,
                "reason": "''",
                "original": "'{}'::jsonb",
                "created_at": "now()",
                "updated_at": "now()",
            },
            f"generate_series(0::bigint, {total - 1}) AS i",
        )
        t_insert = time.perf_counter()
        for _, definition in indexes:
            cur.execute(definition)
        cur.execute("SET session_replication_role = DEFAULT")
        cur.execute("ANALYZE")
        for table in ("requests_app_campaign", "requests_app_foirequest", "responses_app_figure"):
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )
    t1 = time.perf_counter()
    return {
        "campaigns": campaigns,
        "figures": total,
        "insert_seconds": round(t_insert - t0, 1),
        "seed_seconds": round(t1 - t0, 1),
    }


def _timed(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def _paired(first, second, repeat: int) -> tuple[float, object, float, object]:
    """Median times of two functions run alternately (ABBA...), so neither gets the warm cache."""
    times: tuple[list[float], list[float]] = ([], [])
    results: list[object] = [None, None]
    for run in range(repeat * 2):
        which = (run + run // 2) % 2  # A B B A A B ...
        start = time.perf_counter()
        results[which] = (first, second)[which]()
        times[which].append(time.perf_counter() - start)
    return statistics.median(times[0]), results[0], statistics.median(times[1]), results[1]


def measure(repeat: int) -> dict:
    # Imported here: Django is set up (on the throwaway database) only once it exists.
    from django.db import connection

    from requests_app.models import Campaign
    from responses_app.models import Figure
    from responses_app.selectors.dataset import INCLUDED, campaign_figures, national_totals
    from responses_app.selectors.summary import campaign_summary

    def rows_of(qs):
        return sorted(
            (
                r["campaign_id"], r["period"], r["period_start"], r["period_end"],
                r["dimension"], r["category"], r["n_value"], r["n_lower"], r["n_upper"],
                r["forces"], r["figures"], r["suppressed_count"], r["unknown_count"],
            )
            for r in national_totals(qs, by_campaign=True)
        )  # fmt: skip

    def hand(extra="", params=()):
        with connection.cursor() as cur:
            cur.execute(HAND_SQL.format(extra=extra), list(params))
            return sorted(tuple(r) for r in cur.fetchall())

    connection.ensure_connection()
    hand()  # warm the cache once for both
    selector_s, selected, hand_s, handed = _paired(
        lambda: rows_of(Figure.objects.filter(status__in=INCLUDED)), hand, repeat
    )
    assert selected == handed, "the selector and the hand-written SQL disagree"

    campaign = Campaign.objects.order_by("pk")[Campaign.objects.count() // 2]
    one_s, one, one_hand_s, one_hand = _paired(
        lambda: rows_of(campaign_figures(campaign)),
        lambda: hand("AND campaign_id = %s", [campaign.pk]),
        repeat,
    )
    assert one == one_hand, "the selector and the hand-written SQL disagree on one campaign"
    summary_s, summary = _timed(lambda: campaign_summary(campaign=campaign), repeat)
    assert sum(t.value.lower for t in summary.totals) == sum(
        r[7] for r in one_hand if r[4] == "total"
    )
    return {
        "groups": len(handed),
        "selector_seconds": round(selector_s, 3),
        "hand_sql_seconds": round(hand_s, 3),
        "ratio": round(selector_s / hand_s, 2),
        "campaign": campaign.slug,
        "campaign_selector_seconds": round(one_s, 4),
        "campaign_hand_sql_seconds": round(one_hand_s, 4),
        "campaign_ratio": round(one_s / one_hand_s, 2),
        "campaign_summary_seconds": round(summary_s, 4),
        "agree": True,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--figures", type=int, default=10_000_000, help="figures (10000000)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each, median kept (3)")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
        help="a PostgreSQL server to create the throwaway database on",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    if args.figures < 1 or args.repeat < 1:
        parser.error("--figures and --repeat must be at least 1")
    admin, url = _admin_url(args.database_url), _bench_url(args.database_url)
    try:
        _recreate(admin)
    except psycopg.OperationalError as exc:
        print(f"cannot reach PostgreSQL at {admin}: {exc}", file=sys.stderr)
        return 2
    try:
        _setup_django(url)
        seeded = seed(url, args.figures)
        result = {**seeded, **measure(args.repeat), "postgres_cpus": os.cpu_count(),
                  "python": platform.python_version()}  # fmt: skip
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            _recreate(admin, drop_only=True)
    if args.json:
        print(json.dumps(result))
        return 0
    print(
        f"seeded {result['figures']:,} figures in {result['campaigns']:,} campaigns "
        f"({FORCES} forces, 10 financial years) in {result['seed_seconds']} s "
        f"(insert {result['insert_seconds']} s, then indexes and ANALYZE)"
    )
    print(f"national totals of every campaign: {result['groups']:,} groups, both agree")
    print(f"  selector (Django ORM):  {result['selector_seconds']:.3f} s")
    print(f"  hand-written GROUP BY:  {result['hand_sql_seconds']:.3f} s")
    print(f"  ratio selector / SQL:   {result['ratio']:.2f}")
    print(f"one campaign ({result['campaign']}), through the campaign/status index:")
    print(f"  selector (Django ORM):  {result['campaign_selector_seconds'] * 1000:.1f} ms")
    print(f"  hand-written GROUP BY:  {result['campaign_hand_sql_seconds'] * 1000:.1f} ms")
    print(f"  ratio selector / SQL:   {result['campaign_ratio']:.2f}")
    print(
        "  the dataset page's whole summary (5 queries: coverage, totals, earlier years, "
        f"shares and groups, per force): {result['campaign_summary_seconds'] * 1000:.1f} ms"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
