"""Django, set up for a bench script run from the command line, as the tests' app servers are
(tests/support/django_setup.py)."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# A bench runs as a script from bench/: the project, and the tests' support package that
# benches share, are importable from its root.
sys.path.insert(0, str(ROOT))

from tests.support.django_setup import PLAIN_HTTP, setup_django  # noqa: E402

__all__ = ["PLAIN_HTTP", "ROOT", "setup_django"]
