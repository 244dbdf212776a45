"""manage.py in a process of its own, seeing only the settings a test gives it."""

import os
import subprocess
import sys

from tests.support.paths import ROOT

# Settings a developer's environment may set, which the tests give explicitly when they need
# them; production leaves them out.
LEFT_OUT = (
    "SECRET_KEY",
    "DEBUG",
    "PAGE_CACHE_TIMEOUT",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "ADMIN_URL",
)


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in LEFT_OUT}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        # No .env: the settings see only what each test gives.
        env={**clean, "ENV_FILE": os.devnull, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
