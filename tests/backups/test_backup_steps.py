"""The README's backup and restore steps, run word for word as commands: from a database
holding content and editors, into a new database that `migrate` has just made."""

import json
import shlex
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg2
import pytest
from django.db import connection
from psycopg2 import sql

from backups.archive import ARCHIVED_MODELS
from tests.support.manage_process import ROOT, manage

PASSWORD = "a-password-only-for-this-test"
EDITORS = {"carla": "Contributor", "edgar": "Editor"}

# Editors in their groups, and a figure with its image, beside the demo content.
ADD_EDITORS_AND_A_FIGURE = f"""
from django.contrib.auth.models import Group, User
from articles.models import Article, ArticleFigure
from tests.support.images import photo, upload
for name, group in {EDITORS!r}.items():
    user = User.objects.create_user(name, password={PASSWORD!r}, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
ArticleFigure.objects.create(
    article=Article.objects.first(), image=upload("map.jpg", photo(320, 200)), alt="A map"
)
"""

# For each editor: may publish excerpts, may publish briefings, has the same password.
SHOW_RIGHTS = f"""
import json
from django.contrib.auth.models import User
print(json.dumps({{
    name: [
        user.has_perm("articles.publish_article"),
        user.has_perm("briefings.publish_briefing"),
        user.check_password({PASSWORD!r}),
    ]
    for name in {list(EDITORS)!r}
    for user in [User.objects.get(username=name)]
}}))
"""


def readme_steps() -> list[list[str]]:
    """The manage.py commands of the README's backup section, in order, without the program."""
    backups = (ROOT / "README.md").read_text().split("### Backups")[1].split("\n### ")[0]
    prefix = ".venv/bin/python manage.py "
    return [
        shlex.split(line.strip().removeprefix(prefix))
        for line in backups.splitlines()
        if line.strip().startswith(prefix)
    ]


@pytest.fixture
def new_database(tmp_path) -> Iterator[Callable[[], str]]:
    """Makes new, empty databases of the kind the tests run on; returns their URLs."""
    made = []

    def make() -> str:
        name = f"newsroom_steps_{uuid.uuid4().hex[:12]}"
        if connection.vendor == "sqlite":
            return f"sqlite:///{tmp_path / name}.sqlite3"
        run_on_server(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        made.append(name)
        server = connection.settings_dict
        return (
            f"postgres://{server['USER']}:{server['PASSWORD']}@{server['HOST'] or 'localhost'}"
            f":{server['PORT'] or 5432}/{name}"
        )

    yield make
    for name in made:
        run_on_server(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))


def run_on_server(statement: sql.Composable) -> None:
    # CREATE and DROP DATABASE run outside a transaction, so with autocommit and no `with`
    # block, which would open one.
    server = connection.settings_dict
    maintenance = psycopg2.connect(
        dbname="postgres",
        user=server["USER"],
        password=server["PASSWORD"],
        host=server["HOST"],
        port=server["PORT"],
    )
    try:
        maintenance.autocommit = True
        maintenance.cursor().execute(statement)
    finally:
        maintenance.close()


def site(database_url: str, media_root: Path) -> Callable[..., str]:
    """manage.py on one database and media folder; fails the test when a command fails."""

    def run(*args: str) -> str:
        result = manage(
            *args,
            DATABASE_URL=database_url,
            MEDIA_ROOT=str(media_root),
            DEBUG="1",
            REDIS_URL="",
            IMAGE_RENDITION_WIDTHS="160",
            IMAGE_AVIF="0",
        )
        assert result.returncode == 0, f"{args[0]}: {result.stderr}"
        return result.stdout

    return run


def everything(run: Callable[..., str]) -> list[dict]:
    """Every archived row, links by natural key (permissions, groups) as a fresh database's
    ids differ."""
    return json.loads(run("dumpdata", *ARCHIVED_MODELS, "--natural-foreign"))


def media(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_the_readme_steps_restore_content_accounts_and_roles(new_database, tmp_path):
    steps = readme_steps()
    assert [step[0] for step in steps] == ["export_content", "migrate", "restore_content"]
    export, migrate, restore = steps
    archive = str(tmp_path / "content.zip")
    old = site(new_database(), tmp_path / "old-media")
    old("migrate")
    old("load_demo_content")
    old("shell", "-c", ADD_EDITORS_AND_A_FIGURE)
    old(*[archive if arg == export[-1] else arg for arg in export])

    new = site(new_database(), tmp_path / "new-media")
    new(*migrate)
    new(*[archive if arg == restore[-1] else arg for arg in restore])

    assert everything(new) == everything(old)
    assert media(tmp_path / "new-media") == media(tmp_path / "old-media") != {}
    rights = json.loads(new("shell", "-c", SHOW_RIGHTS).strip().splitlines()[-1])
    assert rights == {"carla": [False, False, True], "edgar": [True, True, True]}
