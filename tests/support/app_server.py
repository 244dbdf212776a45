"""The site under wsgiref on a free port, as one of several app servers in a test.

    python tests/support/app_server.py

Configured from the environment like any server (DATABASE_URL, REDIS_URL, CACHE_KEY_PREFIX,
…), with static files served as they are, without a collectstatic manifest. Prints the port
once it listens, then serves until it is stopped.
"""

import os
import sys
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, make_server

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import benchsetup  # noqa: E402


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        pass


def main() -> None:
    benchsetup.setup_django(**{**benchsetup.PLAIN_HTTP, **os.environ})
    from django.core.wsgi import get_wsgi_application

    server = make_server("127.0.0.1", 0, get_wsgi_application(), handler_class=QuietHandler)
    print(server.server_port, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
