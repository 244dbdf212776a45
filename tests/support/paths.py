"""Where the tests find the project, their fixtures and the shared test data beside the
checkout (`../shared`, present in CI; tests that need it skip, saying so, where it is absent)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
SHARED = ROOT.parent / "shared"
