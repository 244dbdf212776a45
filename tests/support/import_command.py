"""The import_backissues command run in this process, and a text page it imports cleanly."""

from io import StringIO

from django.core.management import call_command

from tests.support.paths import FIXTURES

GOOD = FIXTURES / "import" / "text" / "issue-2021-05-09.txt"


def run_import(*args) -> tuple[str, str]:
    """What the command wrote to stdout and to stderr."""
    out, err = StringIO(), StringIO()
    call_command("import_backissues", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()
