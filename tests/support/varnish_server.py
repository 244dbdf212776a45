"""varnishd in front of an app server on loopback, with the deployment's VCL
(deploy/varnish/default.vcl) pointed at that server, for the tests and bench/load.py.
`make e2e` installs Varnish and its modules (apt-get install varnish varnish-modules)."""

import json
import re
import socket
import subprocess
import time
from pathlib import Path

from tests.support.gunicorn_server import free_port
from tests.support.paths import ROOT

VCL = ROOT / "deploy" / "varnish" / "default.vcl"
BACKEND = re.compile(r'\.host = "[^"]*";(\s*)\.port = "\d+";')


def vcl_for(backend_port: int) -> str:
    """The deployment's VCL with its backend on 127.0.0.1 and `backend_port`."""
    vcl, count = BACKEND.subn(
        lambda match: f'.host = "127.0.0.1";{match[1]}.port = "{backend_port}";', VCL.read_text()
    )
    assert count == 1, f"no single backend .host and .port in {VCL}"
    return vcl


class VarnishServer:
    """varnishd in the foreground on 127.0.0.1 (`port`, or a free one), its files in `folder`;
    ready once it accepts connections."""

    def __init__(self, backend_port: int, folder: Path, port: int | None = None, memory="64m"):
        self.port = port or free_port()
        folder.mkdir(parents=True, exist_ok=True)
        vcl = folder / "default.vcl"
        vcl.write_text(vcl_for(backend_port))
        self.log = folder / "varnishd.log"
        self.workdir = folder / "work"
        self.process = subprocess.Popen(
            # No jail: as root it would switch to a user that cannot read the test's files.
            ["varnishd", "-F", "-j", "none", "-n", str(self.workdir), "-f", str(vcl)]
            + ["-a", f"127.0.0.1:{self.port}", "-s", f"malloc,{memory}"],
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
        )
        self.wait_until_up()

    def url(self, path: str = "") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def wait_until_up(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"varnishd did not start: {self.log.read_text()[-2000:]}")

    def counters(self, *names: str) -> dict[str, int]:
        """varnishstat's counters by name, e.g. MAIN.cache_hit."""
        command = ["varnishstat", "-n", str(self.workdir), "-1", "-j"]
        for name in names:
            command += ["-f", name]
        shown = json.loads(subprocess.run(command, capture_output=True, check=True).stdout)
        return {name: shown["counters"][name]["value"] for name in names}

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
