"""Time from a fresh clone to the home page served by `make run` with demo content.

    python3 bench/fresh_run.py [--json] [--port 8765] [--timeout 300]

Clones the committed tree into a temporary folder, starts `make run` there (which makes
its own .venv, installs, migrates and loads the demo content), polls the home page until it
lists items, prints the seconds it took, and stops the server. Loopback only.
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def home_has_items(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200 and b'class="card-title"' in response.read()
    except OSError:
        return False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--timeout", type=float, default=300)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        clone = Path(tmp) / "clone"
        subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
        url = f"http://127.0.0.1:{args.port}/"
        log = open(Path(tmp) / "make-run.log", "w")  # noqa: SIM115 (kept open for the child)
        started = time.monotonic()
        server = subprocess.Popen(
            ["make", "run", f"HOST=127.0.0.1:{args.port}"],
            cwd=clone,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            while not home_has_items(url):
                if server.poll() is not None or time.monotonic() - started > args.timeout:
                    print((Path(tmp) / "make-run.log").read_text()[-3000:], file=sys.stderr)
                    sys.exit("make run did not serve the home page")
                time.sleep(0.5)
            seconds = time.monotonic() - started
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
            log.close()

    figures = {"fresh_clone_to_home_page_seconds": round(seconds, 1)}
    if args.json:
        print(json.dumps(figures))
    else:
        print(f"fresh clone to home page with demo content: {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
