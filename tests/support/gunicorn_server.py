"""The site served as deployed: gunicorn with two sync workers on 127.0.0.1, for the browser
tests and the load benches (bench/load.py)."""

import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.support.paths import ROOT


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def collect_static(environ: dict) -> None:
    """As a deployment does: DEBUG off serves static files through their manifest."""
    manage = [sys.executable, "manage.py", "collectstatic", "--no-input", "--verbosity", "0"]
    subprocess.run(manage, cwd=ROOT, env=environ, check=True)


class GunicornServer:
    """gunicorn serving the site for one configuration (`environ`), once `ready_path` answers."""

    def __init__(self, environ: dict, ready_path: str, port: int | None = None):
        self.port = port or free_port()
        self.ready_path = ready_path
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.process = subprocess.Popen(
            [gunicorn, "newsroom.wsgi:application", "--workers", "2"]
            + ["--bind", f"127.0.0.1:{self.port}", "--log-level", "warning"],
            cwd=ROOT,
            env=environ,
        )
        self.wait_until_up()

    def url(self, path: str = "") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def wait_until_up(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url(self.ready_path), timeout=2).read()
                return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise SystemExit("gunicorn did not answer within 30 s")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)
