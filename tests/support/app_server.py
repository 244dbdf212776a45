"""The site under wsgiref on a free port, as one of several app servers in a test.

    python -m tests.support.app_server

Configured from the environment like any server (DATABASE_URL, REDIS_URL, CACHE_KEY_PREFIX,
…), with static files served as they are, without a collectstatic manifest. Prints the port
once it listens, then serves until it is stopped. `AppServer` starts one for a test.
"""

import json
import os
import re
import subprocess
import sys
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, build_opener
from wsgiref.simple_server import WSGIRequestHandler, make_server

from tests.support.django_setup import PLAIN_HTTP, setup_django
from tests.support.paths import ROOT

TIMEOUT = 15


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        pass


def main() -> None:
    setup_django(**{**PLAIN_HTTP, **os.environ})
    from django.core.wsgi import get_wsgi_application

    server = make_server("127.0.0.1", 0, get_wsgi_application(), handler_class=QuietHandler)
    print(server.server_port, flush=True)
    server.serve_forever()


def csrf_token(page: str) -> str:
    """The CSRF token of the form on a page, as a browser would send it back."""
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


class AppServer:
    """This module's server in a process of its own, on a free port, logging JSON lines to a
    file; a reader and a logged-in editor ask it for pages."""

    def __init__(self, database: str, log: Path, media: Path, **settings: str):
        environ = {
            **os.environ,
            "DEBUG": "0",
            "SECRET_KEY": "test",
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": database,
            # The page cache in the server's own memory: one process, and Redis left out.
            "REDIS_URL": "",
            "PAGE_CACHE_TIMEOUT": "300",
            "MEDIA_ROOT": str(media),
            "LOG_FORMAT": "json",
            **settings,
        }
        self.log = log
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.support.app_server"],
            cwd=ROOT,
            env=environ,
            stdout=subprocess.PIPE,
            stderr=log.open("w"),
            text=True,
        )
        port = self.process.stdout.readline().strip()
        assert port, "the app server did not start"
        self.url = f"http://127.0.0.1:{port}"
        # An anonymous reader's, and a logged-in editor's (its cookies kept).
        self.reader = build_opener()
        self.editor = build_opener(HTTPCookieProcessor(CookieJar()))

    def get(self, path: str, data: dict | None = None, editor: bool = False):
        """Status, headers and text of a page, to a reader or to the editor."""
        browser = self.editor if editor else self.reader
        body = urlencode(data).encode() if data else None
        try:
            with browser.open(f"{self.url}{path}", body, timeout=TIMEOUT) as answer:
                return answer.status, dict(answer.headers), answer.read().decode()
        except HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()

    def log_in(self, username: str, password: str) -> None:
        _, _, form = self.get("/admin/login/", editor=True)
        fields = {"username": username, "password": password, "next": "/admin/"}
        status, _, page = self.get(
            "/admin/login/", {"csrfmiddlewaretoken": csrf_token(form), **fields}, editor=True
        )
        assert status == 200 and "Log out" in page

    def log_lines(self) -> list[dict]:
        # Python's own warnings (not logged) are plain lines on the same stderr.
        lines = self.log.read_text().splitlines()
        return [json.loads(line) for line in lines if line.startswith("{")]

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


if __name__ == "__main__":
    main()
