"""`make run` serves where HOST says, and the links the site writes (canonical, sharing) name
that address, unless SITE_URL is set in the environment or in .env."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings


def planned_run(folder: Path, dotenv: str, *args: str, **env: str) -> str:
    """The commands `make run` would run (make -n) in a copy of the Makefile, installed."""
    shutil.copy(Path(settings.BASE_DIR) / "Makefile", folder / "Makefile")
    (folder / "pyproject.toml").touch()
    (folder / ".env").write_text(dotenv)
    (folder / ".venv").mkdir()
    (folder / ".venv" / ".installed").touch()
    environment = {key: value for key, value in os.environ.items() if key != "SITE_URL"}
    result = subprocess.run(
        ["make", "-n", "run", *args],
        cwd=folder,
        env={**environment, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def test_site_url_follows_the_host_make_run_serves(tmp_path):
    planned = planned_run(tmp_path, "SECRET_KEY=x\n", "HOST=0.0.0.0:8080")
    assert "SITE_URL=http://127.0.0.1:8080 " in planned
    assert "runserver 0.0.0.0:8080" in planned


def test_the_default_host_gives_the_default_site_url(tmp_path):
    assert "SITE_URL=http://127.0.0.1:8000 " in planned_run(tmp_path, "SECRET_KEY=x\n")


@pytest.mark.parametrize("where", ["environment", ".env"])
def test_a_site_url_set_by_hand_is_kept(tmp_path, where):
    dotenv = "SECRET_KEY=x\n" + ("SITE_URL=https://news.example.org\n" if where == ".env" else "")
    env = {"SITE_URL": "https://news.example.org"} if where == "environment" else {}
    planned = planned_run(tmp_path, dotenv, "HOST=0.0.0.0:8080", **env)
    assert "SITE_URL=https://news.example.org " in planned
