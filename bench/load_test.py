"""Load test: 50 concurrent users against gunicorn on loopback, demo data scaled to 100 campaigns.

No external services beyond the local PostgreSQL: creates a throwaway database
(``foitracker_load``), migrates it, loads the demo campaign and copies it 99
times (requests, events and derived state copied in bulk), starts gunicorn on
127.0.0.1, logs in ``USERS`` sessions as the demo researcher, and drives them from
a thread pool against:

- the campaign board (``/campaigns/<slug>/``, a random one of the 100),
- the overdue board (``/overdue/``; skipped with a message if the URL is missing),
- the dataset endpoint (``/api/datasets/<slug>/``; skipped likewise),

until ``--requests`` requests or ``--seconds`` seconds, whichever comes first.
Prints requests per second, p50/p95 latency and errors per endpoint and overall,
then stops gunicorn and drops the database.

Every campaign holds figures like a complete real one, so the dataset endpoint
consolidates real rows: the demo campaign's replies and figures (the demo with
its sample replies read, where there is one) are copied as they are, and every
demo request with no reply first gets a read reply and a figure per period (2)
and category of each of the campaign's dimensions (total, 17 platforms, 6 ages,
4 genders if asked): about 2,000 figures per campaign, mostly approved, a
few corrected, waiting or rejected, small ones suppressed. The seed ends with
``ANALYZE``, as autovacuum would soon after a bulk load: without statistics
PostgreSQL plans the dataset's coverage query as a scan of every approved figure.

    .venv/bin/python bench/load_test.py [--users 50] [--requests 3000] [--seconds 90]
        [--workers N] [--json] [--keep]

``BENCH_ADMIN_URL`` (default postgres://postgres@127.0.0.1:5432/postgres) names a
database to connect to while creating and dropping the load one.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

LOAD_DB = "foitracker_load"
ADMIN_URL = os.environ.get("BENCH_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
CAMPAIGNS = 100
MEDIA = Path(tempfile.gettempdir()) / f"{LOAD_DB}_media"
#: Collected static files, served by WhiteNoise as in production.
STATIC = Path(tempfile.gettempdir()) / f"{LOAD_DB}_static"
USERNAME, PASSWORD = "researcher", "researcher-demo-password"


def database_url() -> str:
    return urlsplit(ADMIN_URL)._replace(path=f"/{LOAD_DB}").geturl()


def recreate(drop_only: bool = False) -> None:
    shutil.rmtree(MEDIA, ignore_errors=True)
    shutil.rmtree(STATIC, ignore_errors=True)
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {LOAD_DB} WITH (FORCE)")
        if not drop_only:
            admin.execute(f"CREATE DATABASE {LOAD_DB}")


def server_env() -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CONN_MAX_AGE": "60",
        "CELERY_TASK_ALWAYS_EAGER": "true",
        "LOG_LEVEL": "ERROR",
        "MEDIA_ROOT": str(MEDIA),  # the demo's reply files, removed with the database
        "STATIC_ROOT": str(STATIC),
    }


# -- seeding (runs in a child process with Django set up) ----------------------


#: Categories per dimension, as a force that answered in full sends them (docs/dataset.md).
AGES = ["0-10", "11", "12", "13", "14", "15", "Not recorded"]
#: The first few platforms of the built-in list are weighted heavier when splitting a total.
HEAVY_WEIGHTS = (8, 6, 3, 3, 2)


def _split(total: int, categories: list[str], rng: random.Random) -> dict[str, int]:
    """``total`` shared out over ``categories`` (weighted, summing exactly to ``total``)."""
    heavy = dict(zip(categories, HEAVY_WEIGHTS, strict=False))
    weights = [heavy.get(c, 1) * rng.uniform(0.5, 1.5) for c in categories]
    shares = [int(total * w / sum(weights)) for w in weights]
    shares[0] += total - sum(shares)
    return dict(zip(categories, shares, strict=True))


def synthesise_figures(campaign) -> int:
    """A read reply and a full set of figures for each request of ``campaign`` with no reply.

    Replies the demo already holds (read from its sample files, reviewed or not,
    refusals too) are left as they are.
    """
    from questions.builtin import builtin_data, legacy_defaults
    from questions.periods import Period
    from responses_app.models import Figure, Reply

    platforms = list(builtin_data("platforms")["categories"]) + ["Not recorded"]
    genders = list(legacy_defaults()["dimensions"]["gender"]["categories"]) + ["Not recorded"]
    categories = {"platform": platforms, "age": AGES, "gender": genders}
    dimensions = [d for d in campaign.dimensions if d in categories]
    periods = [Period.from_label(p) for p in campaign.periods]
    rng = random.Random(campaign.slug)
    answered = Reply.objects.filter(request__campaign=campaign).values_list("request_id")
    todo = list(campaign.requests.exclude(pk__in=answered).order_by("force_id"))
    made = [Reply(request=r, status=Reply.Status.EXTRACTED, outcome="full") for r in todo]
    replies = {r.request_id: r for r in Reply.objects.bulk_create(made)}
    figures = []
    for request in todo:
        for period in periods:
            total = rng.randint(5, 400)
            cells = [("total", "all", total)]
            for dimension in dimensions:
                cells += [
                    (dimension, c, n) for c, n in _split(total, categories[dimension], rng).items()
                ]
            for row, (dimension, category, value) in enumerate(cells, start=2):
                roll = rng.random()
                status = (
                    Figure.Status.REJECTED if roll < 0.01
                    else Figure.Status.NEEDS_REVIEW if roll < 0.03
                    else Figure.Status.CORRECTED if roll < 0.05
                    else Figure.Status.APPROVED
                )  # fmt: skip
                hidden = 0 < value < 5 and dimension != "total"
                figures.append(
                    Figure(
                        reply=replies[request.pk],
                        request=request,
                        campaign=campaign,
                        force_id=request.force_id,
                        period=period.label,
                        period_start=period.start,
                        period_end=period.end,
                        dimension=dimension,
                        category=category,
                        value=None if hidden else value,
                        suppressed=hidden,
                        lower=0 if hidden else value,
                        upper=4 if hidden else value,
                        source=f"reply.xlsx Sheet1!C{row}",
                        status=status,
                        reason="Misread in the reply." if status != Figure.Status.APPROVED else "",
                        original={"value": value + 1} if status == Figure.Status.CORRECTED else {},
                    )
                )
    Figure.objects.bulk_create(figures, batch_size=2000)
    return len(figures)


def copy_figures(source, target, requests: dict[int, int]) -> None:
    """``source``'s replies and figures onto ``target``; ``requests`` maps request ids."""
    from responses_app.models import Figure, Reply

    replies = list(Reply.objects.filter(request__campaign=source).order_by("pk"))
    old = [r.pk for r in replies]
    for r in replies:
        r.pk, r.request_id, r.document_id = None, requests[r.request_id], None
    Reply.objects.bulk_create(replies, batch_size=2000)
    reply_ids = dict(zip(old, [r.pk for r in replies], strict=True))
    figures = list(Figure.objects.filter(campaign=source))
    for f in figures:
        f.pk, f.campaign_id, f.request_id = None, target.pk, requests[f.request_id]
        f.reply_id = reply_ids.get(f.reply_id)
    Figure.objects.bulk_create(figures, batch_size=2000)


def seed(campaigns: int) -> None:
    os.environ.update(server_env())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "foitracker.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from requests_app.models import FoiRequest, RequestEvent
    from requests_app.services.campaigns import create_campaign
    from responses_app.models import Figure, Reply
    from responses_app.selectors.dataset import INCLUDED
    from responses_app.services.demo import load_demo  # with its replies read and released

    call_command("migrate", verbosity=0)
    demo = load_demo()
    with transaction.atomic():
        synthesise_figures(demo)
    template = list(demo.requests.select_related("force").order_by("force_id"))
    events = defaultdict(list)
    for event in RequestEvent.objects.filter(request__campaign=demo).order_by("on", "id"):
        events[event.request_id].append(event)
    derived = [
        f.attname
        for f in FoiRequest._meta.concrete_fields
        if f.name in {"status", "clock", "outcome", "exemptions", "on_hold", "state_as_of"}
        or f.name.endswith("_on")
        or f.name.startswith("last_day")
    ]
    for i in range(1, campaigns):
        with transaction.atomic():
            copy = create_campaign(
                slug=f"load-{i:03d}",
                title=f"{demo.title} (copy {i})",
                periods=demo.periods,
                template=demo.template,
                forces=[r.force for r in template],
                owner=demo.owner,
                team=demo.team,
            )
            by_force = {r.force_id: r for r in copy.requests.all()}
            updated, new_events = [], []
            for original in template:
                target = by_force[original.force_id]
                for name in derived:
                    setattr(target, name, getattr(original, name))
                target.force_reference = original.force_reference
                updated.append(target)
                for e in events[original.pk]:
                    e.pk, e.request_id = None, target.pk
                    new_events.append(e)
            FoiRequest.objects.bulk_update(updated, [*derived, "force_reference"])
            RequestEvent.objects.bulk_create(new_events)
            copy_figures(demo, copy, {r.pk: by_force[r.force_id].pk for r in template})
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum would soon after a bulk load
    print(
        f"seeded {campaigns} campaigns, {FoiRequest.objects.count()} requests, "
        f"{RequestEvent.objects.count()} events, {Reply.objects.count()} replies, "
        f"{Figure.objects.count()} figures "
        f"({Figure.objects.filter(status__in=INCLUDED).count()} approved)",
        flush=True,
    )


# -- driving -----------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(port: int, workers: int) -> subprocess.Popen:
    collect = [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"]
    subprocess.run(collect, cwd=ROOT, env=server_env(), check=True)
    command = [
        str(ROOT / ".venv/bin/gunicorn"),
        "foitracker.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--timeout",
        "60",
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=server_env(), start_new_session=True)
    deadline, last = time.monotonic() + 60, "no answer"
    while time.monotonic() < deadline:
        try:
            answer = requests.get(f"http://127.0.0.1:{port}/healthz", timeout=10)
            if answer.status_code == 200:
                return process
            last = f"HTTP {answer.status_code}: {answer.text[:300]}"
        except requests.RequestException as exc:
            last = f"{type(exc).__name__}"
        time.sleep(0.3)
    stop(process)
    raise SystemExit(f"gunicorn did not answer /healthz within 60 s ({last})")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def login(base: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base}/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    done = session.post(
        f"{base}/login/",
        data={"username": USERNAME, "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{base}/login/"},
        allow_redirects=False,
        timeout=30,
    )
    if done.status_code != 302:
        raise SystemExit(f"login failed: HTTP {done.status_code}")
    return session


def targets(base: str, session: requests.Session) -> dict[str, callable]:
    slugs = ["sexual-communication-2019"] + [f"load-{i:03d}" for i in range(1, CAMPAIGNS)]
    found = {"campaign board": lambda: f"/campaigns/{random.choice(slugs)}/"}
    for name, probe, make in [
        ("overdue board", "/overdue/", lambda: "/overdue/"),
        (
            "dataset endpoint",
            f"/api/datasets/{slugs[0]}/",
            lambda: f"/api/datasets/{random.choice(slugs)}/",
        ),
    ]:
        status = session.get(base + probe, timeout=60).status_code
        if status == 404:
            print(f"skipping the {name}: {probe} is not there (404)", flush=True)
        else:
            found[name] = make
    return found


def drive(base: str, users: int, total: int, seconds: float) -> dict:
    sessions = [login(base) for _ in range(users)]
    paths = targets(base, sessions[0])
    names = list(paths)
    results: dict[str, list] = defaultdict(list)  # name -> [(latency, ok, detail)]
    lock = threading.Lock()
    issued = [0]
    stop_at = time.monotonic() + seconds

    def user(n: int) -> None:
        session = sessions[n]
        while True:
            with lock:
                if issued[0] >= total or time.monotonic() >= stop_at:
                    return
                issued[0] += 1
                name = names[issued[0] % len(names)]
            path = paths[name]()
            started = time.perf_counter()
            try:
                response = session.get(base + path, timeout=60, allow_redirects=False)
                ok, detail = response.status_code == 200, f"{response.status_code} {path}"
            except requests.RequestException as exc:
                ok, detail = False, f"{type(exc).__name__} {path}"
            elapsed = time.perf_counter() - started
            with lock:
                results[name].append((elapsed, ok, detail))

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=users) as pool:
        list(pool.map(user, range(users)))
    wall = time.perf_counter() - started
    return summarise(results, wall, users)


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def summarise(results: dict[str, list], wall: float, users: int) -> dict:
    def stats(rows: list) -> dict:
        latencies = [r[0] * 1000 for r in rows]
        errors = [r[2] for r in rows if not r[1]]
        return {
            "requests": len(rows),
            "rps": round(len(rows) / wall, 1),
            "p50_ms": round(statistics.median(latencies), 1) if rows else None,
            "p95_ms": round(_percentile(latencies, 95), 1) if rows else None,
            "errors": len(errors),
            "error_examples": errors[:5],
        }

    every = [row for rows in results.values() for row in rows]
    return {
        "users": users,
        "seconds": round(wall, 1),
        "overall": stats(every),
        "endpoints": {name: stats(rows) for name, rows in results.items()},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--requests", type=int, default=3000, help="stop after this many")
    parser.add_argument("--seconds", type=float, default=90, help="stop after this long")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--campaigns", type=int, default=CAMPAIGNS)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--seed-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed_only:
        seed(args.campaigns)
        return 0
    recreate()
    server = None
    try:
        t0 = time.perf_counter()
        subprocess.run(
            [sys.executable, __file__, "--seed-only", "--campaigns", str(args.campaigns)],
            check=True,
            cwd=ROOT,
        )
        print(f"seeding took {time.perf_counter() - t0:.1f} s", flush=True)
        port = free_port()
        server = start_gunicorn(port, args.workers)
        report = drive(f"http://127.0.0.1:{port}", args.users, args.requests, args.seconds)
        report["gunicorn_workers"] = args.workers
        report["campaigns"] = args.campaigns
    finally:
        if server is not None:
            stop(server)
        if not args.keep:
            recreate(drop_only=True)
    if args.json:
        print(json.dumps(report))
    else:
        print_report(report)
    return 1 if report["overall"]["errors"] else 0


def print_report(report: dict) -> None:
    print(
        f"\n{report['users']} users, {report['campaigns']} campaigns, gunicorn "
        f"{report['gunicorn_workers']} workers, {report['seconds']} s"
    )
    print(
        f"{'endpoint':<18} {'requests':>8} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'errors':>6}"
    )
    rows = [*report["endpoints"].items(), ("overall", report["overall"])]
    for name, s in rows:
        print(
            f"{name:<18} {s['requests']:>8} {s['rps']:>7} {s['p50_ms']:>8} {s['p95_ms']:>8} "
            f"{s['errors']:>6}"
        )
        for example in s["error_examples"]:
            print(f"    error: {example}")


if __name__ == "__main__":
    sys.exit(main())
