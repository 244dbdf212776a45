"""The W3C Nu validator finds no error in any kind of public page, in either language. The
pages are saved as the server sends them and checked in one run of the validator (its start
takes longer than checking them)."""

import json
import subprocess
import urllib.request

import pytest

from tests.e2e.pages import every_page
from tests.e2e.paths import VNU_JAR

pytestmark = pytest.mark.e2e


def save_pages(base_url: str, folder) -> dict[str, str]:
    """The pages as files; returns each file's address by its name."""
    saved = {}
    for number, (label, path) in enumerate(every_page()):
        with urllib.request.urlopen(base_url + path, timeout=30) as response:
            html = response.read()
        file = folder / f"page-{number:02d}.html"
        file.write_bytes(html)
        saved[str(file)] = f"{label} {path}"
    return saved


def test_no_validator_error_on_any_page_type(demo_site, tmp_path):
    pages = save_pages(demo_site.url, tmp_path)
    run = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--format", "json", "--stdout", *sorted(pages)],
        capture_output=True,
        text=True,
        timeout=180,
    )
    messages = json.loads(run.stdout)["messages"]
    # The validator names a file as file:/path.
    page_of = {f"file:{file}": page for file, page in pages.items()}
    errors = [
        f"{page_of.get(message.get('url'), message.get('url'))}: line {message.get('lastLine')}: "
        f"{message['message']}"
        for message in messages
        if message["type"] in ("error", "non-document-error")
    ]
    assert errors == []
    assert len(pages) == 22
