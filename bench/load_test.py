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
import signal
import socket
import statistics
import subprocess
import sys
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
USERNAME, PASSWORD = "researcher", "researcher-demo-password"


def database_url() -> str:
    return urlsplit(ADMIN_URL)._replace(path=f"/{LOAD_DB}").geturl()


def recreate(drop_only: bool = False) -> None:
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
    }


# -- seeding (runs in a child process with Django set up) ----------------------


def seed(campaigns: int) -> None:
    os.environ.update(server_env())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "foitracker.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from requests_app.models import FoiRequest, RequestEvent
    from requests_app.services.campaigns import create_campaign
    from requests_app.services.demo import load_demo

    call_command("migrate", verbosity=0)
    demo = load_demo()
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
    print(
        f"seeded {campaigns} campaigns, {FoiRequest.objects.count()} requests, "
        f"{RequestEvent.objects.count()} events",
        flush=True,
    )


# -- driving -----------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(port: int, workers: int) -> subprocess.Popen:
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
