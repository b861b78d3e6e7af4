"""An example client of the FOI Tracker REST API: pull a dataset, log portal references.

    export FOI_API_URL=https://foi.example.org FOI_API_TOKEN=KEY
    python examples/api_client.py pull-dataset scwc-2020 --out scwc-2020.csv [--release 2]
    python examples/api_client.py log-sent scwc-2020 portal-references.csv [--channel portal]

``pull-dataset`` saves the campaign's consolidated dataset (approved figures, one
row per figure) as CSV, live or as published in a release. ``log-sent`` reads a
CSV with the columns ``force,sent_on,portal_reference`` (a header row names them;
``sent_on`` is YYYY-MM-DD) and records every request as sent in one call: all or
nothing, every bad row reported. Needs only ``requests``. Exit status: 0 done,
1 refused by the server, 2 a usage, file or connection problem.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import sys
from pathlib import Path

import requests

#: The column names log-sent accepts for each field (the first is the API's).
COLUMNS = {
    "force": ("force", "force id", "force_id"),
    "sent_on": ("sent_on", "sent on", "date"),
    "portal_reference": ("portal_reference", "portal reference", "reference"),
}
MAX_ROWS = 500  # the most one log-sent call takes


class Problem(Exception):
    """Something the user can fix; ``status`` is the exit status."""

    def __init__(self, message: str, status: int = 2) -> None:
        super().__init__(message)
        self.status = status


class Client:
    """A session that sends the token with every call and turns errors into sentences."""

    def __init__(self, url: str, token: str, timeout: float = 60) -> None:
        self.base = url.rstrip("/")
        self.timeout = timeout
        self.session = requests.Session()
        self.session.headers.update({"Authorization": f"Token {token}", "Accept": "*/*"})

    def call(self, method: str, path: str, **kwargs) -> requests.Response:
        url = f"{self.base}{path}"
        try:
            response = self.session.request(method, url, timeout=self.timeout, **kwargs)
        except requests.RequestException as exc:
            raise Problem(f"Could not reach {url}: {exc}") from exc
        if response.status_code in (401, 403):
            raise Problem(f"{method} {path}: {_detail(response)}", status=1)
        if response.status_code == 404:
            raise Problem(f"{method} {path}: not found (or not yours to see).", status=1)
        if response.status_code >= 500:
            raise Problem(f"{method} {path}: the server failed ({response.status_code}).", 1)
        return response


def _detail(response: requests.Response) -> str:
    try:
        return response.json().get("detail") or response.text
    except ValueError:
        return response.text or response.reason


def pull_dataset(client: Client, campaign: str, out: Path, release: int | None = None) -> int:
    """Save the campaign's dataset as CSV at ``out``; returns the number of figures."""
    params = {"release": release} if release is not None else {}
    response = client.call("GET", f"/api/datasets/{campaign}/export/csv/", params=params)
    if response.status_code != 200:
        raise Problem(f"The export was refused: {_detail(response)}", status=1)
    out.write_bytes(response.content)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
    return max(len(rows) - 1, 0)  # less the header


def read_rows(path: Path) -> list[dict]:
    """The rows of a force,sent_on,portal_reference CSV, as the API takes them."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise Problem(f"Could not read {path}: {exc}") from exc
    reader = csv.DictReader(io.StringIO(text))
    given = {(name or "").strip().lower(): name for name in reader.fieldnames or []}
    columns = {}
    for field, names in COLUMNS.items():
        found = next((given[n] for n in names if n in given), None)
        if found is None and field != "portal_reference":
            raise Problem(f"{path}: no {field!r} column (the header row names the columns).")
        columns[field] = found
    rows = []
    for record in reader:
        if not any((value or "").strip() for value in record.values()):
            continue
        row = {f: (record.get(c) or "").strip() for f, c in columns.items() if c}
        rows.append(row)
    if not rows:
        raise Problem(f"{path} has no rows under its header.")
    if len(rows) > MAX_ROWS:
        raise Problem(f"{path} has {len(rows)} rows; one call takes at most {MAX_ROWS}.")
    return rows


def log_sent(client: Client, campaign: str, path: Path, channel: str = "portal") -> list[str]:
    """Record every row of the CSV as sent; the references of the requests recorded."""
    rows = read_rows(path)
    response = client.call(
        "POST", f"/api/campaigns/{campaign}/log-sent/", json={"channel": channel, "rows": rows}
    )
    if response.status_code == 400:
        body = response.json()
        # Rows are numbered as sent: row 1 is the first line under the header.
        lines = [body.get("detail", "Refused.")]
        lines += [f"  {error['message']}" for error in body.get("errors", [])]
        raise Problem("\n".join(lines), status=1)
    if response.status_code != 200:
        raise Problem(f"log-sent was refused: {_detail(response)}", status=1)
    return response.json()["references"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=os.environ.get("FOI_API_URL", "http://127.0.0.1:8000"))
    parser.add_argument(
        "--token", default=os.environ.get("FOI_API_TOKEN"), help="default: $FOI_API_TOKEN"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    pull = commands.add_parser("pull-dataset", help="save a campaign's dataset as CSV")
    pull.add_argument("campaign", help="the campaign's slug")
    pull.add_argument("--out", type=Path, required=True)
    pull.add_argument("--release", type=int, help="a release number instead of the live data")
    log = commands.add_parser("log-sent", help="log requests sent through portals, from a CSV")
    log.add_argument("campaign", help="the campaign's slug")
    log.add_argument("csv", type=Path, help="columns force,sent_on,portal_reference")
    log.add_argument("--channel", choices=["portal", "post", "email"], default="portal")
    args = parser.parse_args(argv)
    if not args.token:
        parser.error("give --token or set FOI_API_TOKEN (manage.py api_token USERNAME makes one)")
    client = Client(args.url, args.token)
    try:
        if args.command == "pull-dataset":
            count = pull_dataset(client, args.campaign, args.out, args.release)
            print(f"Wrote {count} figure(s) of {args.campaign} to {args.out}.")
        else:
            references = log_sent(client, args.campaign, args.csv, args.channel)
            n = len(references)
            print(f"Recorded {n} request{'' if n == 1 else 's'} as sent: {', '.join(references)}.")
    except Problem as exc:
        print(exc, file=sys.stderr)
        return exc.status
    return 0


if __name__ == "__main__":
    sys.exit(main())
