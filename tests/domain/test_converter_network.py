"""The converters (LibreOffice, OCR) run with no network: a command through their wrapper
cannot reach a server listening on this machine, though the same command without it can.

The wrapper is a network namespace of the converter's own (`unshare`); on a machine that
refuses one the tests of isolation are skipped, saying why (CI runs them as root, where
nothing may skip). That .doc, .odt and .rtf replies still give their figures through the
wrapper is tests/domain/test_readers_converted.py.
"""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
from urllib.parse import urlsplit

import pytest

from responses_app.domain.readers import ReadError, external

CONNECT = """
import socket, sys
try:
    socket.create_connection(("{host}", {port}), timeout=5).close()
except OSError as exc:
    sys.exit(f"no connection to {host}:{port}: {{exc}}")
print("connected")
"""


@pytest.fixture
def isolation():
    prefix = external.network_isolation()
    if not prefix:
        pytest.skip("needs a machine that allows a new network namespace (unshare --net as root)")
    return prefix


@pytest.fixture
def listener():
    """A server on this machine's loopback, as PostgreSQL or Redis would be."""
    with socket.create_server(("127.0.0.1", 0)) as server:
        yield server.getsockname()


def connect(host: str, port: int) -> list[str]:
    return [sys.executable, "-c", CONNECT.format(host=host, port=port)]


def through_the_wrapper(command: list[str], tmp_path) -> str:
    with pytest.raises(ReadError) as caught:
        external.run_tool(command, cwd=str(tmp_path), seconds=30, filename="probe", what="it")
    return caught.value.message


def test_a_converter_cannot_reach_a_server_on_this_machine(isolation, listener, tmp_path):
    host, port = listener
    without = subprocess.run(connect(host, port), capture_output=True, text=True, timeout=30)
    assert (without.returncode, without.stdout.strip()) == (0, "connected")

    message = through_the_wrapper(connect(host, port), tmp_path)
    assert message.startswith(f"could not read probe: it failed (no connection to {host}:{port}: ")


def test_a_worker_that_is_not_root_gets_a_user_namespace_with_no_network(
    isolation, listener, monkeypatch, tmp_path
):
    external.network_isolation.cache_clear()
    monkeypatch.setattr(external.os, "geteuid", lambda: 1000)
    try:
        prefix = external.network_isolation()
        assert prefix[1:] == ("--user", "--map-root-user", "--net")
        assert "no connection to" in through_the_wrapper(connect(*listener), tmp_path)
    finally:
        external.network_isolation.cache_clear()


@pytest.mark.needs_postgresql
def test_a_converter_cannot_reach_the_database(isolation, tmp_path):
    url = urlsplit(os.environ["DATABASE_URL"])
    host, port = url.hostname or "127.0.0.1", url.port or 5432
    without = subprocess.run(connect(host, port), capture_output=True, text=True, timeout=30)
    assert (without.returncode, without.stdout.strip()) == (0, "connected")
    assert "no connection to" in through_the_wrapper(connect(host, port), tmp_path)


def test_a_converter_still_runs_and_writes_its_files_in_the_namespace(isolation, tmp_path):
    write = [sys.executable, "-c", "open('out.txt', 'w').write('converted')"]
    external.run_tool(write, cwd=str(tmp_path), seconds=30, filename="probe", what="it")
    assert (tmp_path / "out.txt").read_text() == "converted"


def test_where_no_namespace_can_be_made_the_converters_run_as_before_said_once_in_the_log(
    monkeypatch, caplog, tmp_path
):
    external.network_isolation.cache_clear()
    monkeypatch.setattr(
        external.shutil, "which", lambda name: None if name == "unshare" else "/usr/bin/" + name
    )
    try:
        with caplog.at_level(logging.WARNING, logger=external.__name__):
            assert external.network_isolation() == ()
            external.run_tool(
                [sys.executable, "-c", "pass"],
                cwd=str(tmp_path),
                seconds=30,
                filename="a",
                what="x",
            )
            external.run_tool(
                [sys.executable, "-c", "pass"],
                cwd=str(tmp_path),
                seconds=30,
                filename="b",
                what="x",
            )
        assert [r.getMessage() for r in caplog.records] == [
            "file converters run with this machine's network: unshare (util-linux) is not installed"
        ]
    finally:
        external.network_isolation.cache_clear()


def test_a_namespace_the_machine_refuses_is_probed_once_then_not_used(
    monkeypatch, caplog, tmp_path
):
    external.network_isolation.cache_clear()
    refusing = tmp_path / "unshare"
    refusing.write_text("#!/bin/sh\necho 'unshare: Operation not permitted' >&2\nexit 1\n")
    refusing.chmod(0o755)
    monkeypatch.setattr(external.shutil, "which", lambda name: str(refusing))
    try:
        with caplog.at_level(logging.WARNING, logger=external.__name__):
            assert external.network_isolation() == ()
            assert external.network_isolation() == ()
        assert [r.getMessage() for r in caplog.records] == [
            "file converters run with this machine's network: "
            "this machine does not allow a new network namespace"
        ]
    finally:
        external.network_isolation.cache_clear()
