"""A real IMAP server for the tests: Debian's dovecot, started on loopback with a throwaway config.

One passwd-file user (``foi`` / ``secret``), mail in a Maildir under a fresh
directory, plain IMAP on a free port of 127.0.0.1. Dovecot refuses to run
mail processes as root, so when the tests run as root the mail belongs to the
``dovecot`` system user and the directory is a fresh one under /tmp that the
unprivileged processes can enter (pytest's tmp_path is private to root).
If dovecot is missing or does not start, the test FAILS: CI installs it
(``apt-get install dovecot-imapd`` in .ci/run).
"""

import getpass
import grp
import imaplib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

USER, PASSWORD = "foi", "secret"
CONFIG = """\
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
instance_name = foitracker-test-{port}
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
login_trusted_networks = 127.0.0.0/8
log_path = {root}/dovecot.log
mail_location = maildir:{root}/mail/%u
default_internal_user = {internal}
default_internal_group = {internal_group}
default_login_user = {login}
first_valid_uid = 1
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {root}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
  chroot =
}}
service anvil {{
  chroot =
}}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Dovecot:
    root: Path
    port: int
    process: subprocess.Popen

    def url(self, folder: str = "INBOX", password: str = PASSWORD) -> str:
        return f"imap://{USER}:{password}@127.0.0.1:{self.port}/{folder}"

    def client(self) -> imaplib.IMAP4:
        client = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        client.login(USER, PASSWORD)
        return client

    def append(self, *messages: bytes, folder: str = "INBOX") -> None:
        client = self.client()
        try:
            for raw in messages:
                status, data = client.append(folder, None, None, raw)
                assert status == "OK", data
        finally:
            client.logout()

    def folder(self, name: str) -> list[tuple[bytes, bytes]]:
        """(flags, raw) of every message in ``name``, read without marking anything."""
        client = self.client()
        try:
            status, _ = client.select(f'"{name}"', readonly=True)
            if status != "OK":
                return []
            uids = client.uid("SEARCH", None, "ALL")[1][0].split()
            out = []
            for uid in uids:
                data = client.uid("FETCH", uid, "(FLAGS BODY.PEEK[])")[1]
                out.append((data[0][0], data[0][1]))
            return out
        finally:
            client.logout()

    def empty(self) -> None:
        """Remove every message and every folder but INBOX (between tests sharing the server)."""
        client = self.client()
        try:
            for line in client.list()[1]:
                name = line.decode().rsplit(' "', 1)[-1].strip('"')
                if name != "INBOX":
                    client.delete(f'"{name}"')
            status, count = client.select("INBOX")
            if int(count[0]):
                client.store("1:*", "+FLAGS", "(\\Deleted)")
                client.expunge()
        finally:
            client.logout()

    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else "(no log)"


def start_dovecot(tmp_path: Path) -> Dovecot:
    binary = shutil.which("dovecot") or "/usr/sbin/dovecot"
    if not os.path.exists(binary):
        pytest.fail("dovecot is not installed: apt-get install -y dovecot-imapd (.ci/run does)")
    if os.geteuid() == 0:
        root = Path(tempfile.mkdtemp(prefix="foi-dovecot-"))
        os.chmod(root, 0o755)
        owner = pwd.getpwnam("dovecot")
        internal, login = "dovecot", "dovenull"
    else:
        root = tmp_path / "dovecot"
        root.mkdir()
        owner = pwd.getpwuid(os.getuid())
        internal = login = getpass.getuser()
    for name in ("run", "state", "mail"):
        (root / name).mkdir()
    shutil.chown(root / "mail", owner.pw_uid, owner.pw_gid)
    (root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}::::::\n")
    port = free_port()
    config = root / "dovecot.conf"
    config.write_text(
        CONFIG.format(
            root=root,
            port=port,
            uid=owner.pw_uid,
            gid=owner.pw_gid,
            internal=internal,
            internal_group=grp.getgrgid(pwd.getpwnam(internal).pw_gid).gr_name,
            login=login,
        )  # fmt: skip
    )
    output = root / "stdout.log"
    with output.open("wb") as sink:
        process = subprocess.Popen(
            [binary, "-F", "-c", str(config)], stdout=sink, stderr=subprocess.STDOUT
        )
    server = Dovecot(root, port, process)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            text = output.read_text(errors="replace")
            pytest.fail(f"dovecot stopped at start:\n{text}\n{server.log()}")
        try:
            server.client().logout()
            return server
        except (OSError, imaplib.IMAP4.error):
            time.sleep(0.2)
    stop_dovecot(server)
    pytest.fail(f"dovecot did not answer on 127.0.0.1:{port} within 20 s:\n{server.log()}")


def stop_dovecot(server: Dovecot) -> None:
    if server.process.poll() is None:
        server.process.terminate()
        try:
            server.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait(timeout=5)
    if server.root.parent == Path(tempfile.gettempdir()):
        shutil.rmtree(server.root, ignore_errors=True)
