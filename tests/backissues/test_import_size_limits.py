"""A file larger than its format's limit is refused by its size, unread, and nothing of it is
written."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.support.imported_rows import row_counts
from tests.support.manage_process import ROOT

# In a process of its own, so its peak memory is its own: read a 200 MB text page.
READ_HUGE = """
import sys, django
django.setup()
from backissues.parsing.errors import BackIssueError
from backissues.reading import read_file
from tests.support.paths import FIXTURES
try:
    read_file(__import__("pathlib").Path(sys.argv[1]), "huge.txt")
except BackIssueError as error:
    print(error)
# The peak of this program's own memory: ru_maxrss would include the forking test process's.
status = open("/proc/self/status").read()
print(int(status.split("VmHWM:")[1].split()[0]) // 1024)
"""


def sparse_text(path: Path, size: int) -> Path:
    """A file of `size` bytes that starts as text and takes no disk beyond its first page."""
    path.write_bytes(b"Gulf Watch, 1 - 14 March 2021\n\n" * 300)
    os.truncate(path, size)
    return path


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux's /proc")
def test_a_200_mb_text_page_is_refused_unread(tmp_path):
    huge = sparse_text(tmp_path / "huge.txt", 200_000_000)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "newsroom.settings"}
    done = subprocess.run(
        [sys.executable, "-c", READ_HUGE, str(huge)],
        cwd=ROOT,
        env={**env, "SECRET_KEY": env.get("SECRET_KEY", "test-only-not-secret")},
        capture_output=True,
        text=True,
        timeout=120,
    )
    error, peak_mb = done.stdout.strip().splitlines()
    assert "huge.txt" in error
    assert "200,000,000 bytes, more than the 20,000,000 allowed for a text file" in error
    assert int(peak_mb) < 150  # Python and Django alone; the file read whole took 1.5 GB


@pytest.mark.django_db
def test_the_limit_is_set_per_format_and_a_refused_file_writes_nothing(tmp_path):
    page = sparse_text(tmp_path / "page.txt", 50_000)
    before, out = row_counts(), StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_backissues", str(page), "--max-size", "text=40000", stdout=out, stderr=out
        )
    assert "50,000 bytes, more than the 40,000 allowed for a text file" in out.getvalue()
    assert str(page) in out.getvalue()
    assert row_counts() == before


@pytest.mark.parametrize("option", ["pdf=1", "text=", "text=-1", "text=²", "text=1e6"])
def test_a_malformed_limit_is_refused(option):
    with pytest.raises(CommandError, match=f"--max-size {option}: give FORMAT=BYTES"):
        call_command("import_backissues", "x", "--max-size", option, stdout=StringIO())
