"""scripts/demo_run.py: the web server, worker and beat run as one group; Ctrl-C stops them all."""

import os
import signal
import subprocess
import sys
import time

from tests.conftest import ROOT

# The three processes replaced by small Python loops that write their pid and wait.
RUNNER = """
import sys, scripts.demo_run as demo
def commands(host, port):
    loop = "import os, time, pathlib; pathlib.Path({{path!r}}).write_text(str(os.getpid())); " \\
        "print('ready', flush=True); time.sleep({{seconds}})"
    return {{
        name: [sys.executable, "-c", loop.format(path=sys.argv[1] + "/" + name, seconds=s)]
        for name, s in (("web", 600), ("worker", 600), ("beat", {beat_seconds}))
    }}
demo.commands = commands
sys.exit(demo.main(["--no-sweep"]))
"""


def start(tmp_path, beat_seconds: float = 600) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", RUNNER.format(beat_seconds=beat_seconds), str(tmp_path)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def pids(tmp_path) -> dict[str, int]:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        found = {p.name: int(p.read_text()) for p in tmp_path.iterdir() if p.read_text()}
        if len(found) == 3:
            return found
        time.sleep(0.1)
    raise AssertionError(f"the three processes did not start: {found}")


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_ctrl_c_stops_all_three(tmp_path):
    runner = start(tmp_path)
    children = pids(tmp_path)
    assert all(alive(pid) for pid in children.values())
    runner.send_signal(signal.SIGINT)
    out, _ = runner.communicate(timeout=30)
    assert runner.returncode == 0
    assert "demo: stopping the web server, the worker and beat." in out
    assert {line.split("|")[0].strip() for line in out.splitlines() if "| ready" in line} == {
        "web",
        "worker",
        "beat",
    }
    time.sleep(0.2)
    assert not any(alive(pid) for pid in children.values())


def test_one_stopping_stops_the_others_with_its_status(tmp_path):
    runner = start(tmp_path, beat_seconds=1)
    children = pids(tmp_path)
    out, _ = runner.communicate(timeout=30)
    assert "demo: beat stopped (exit status 0); stopping the others." in out
    time.sleep(0.2)
    assert not any(alive(pid) for pid in children.values())
