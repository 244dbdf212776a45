"""Settings come from the environment; a production start without a secret key stops, saying so."""

from pathlib import Path

from tests.support.manage_process import ROOT, manage


def test_production_start_without_secret_key_names_it():
    result = manage("check", DEBUG="0")
    assert result.returncode != 0
    assert result.stderr.startswith("Configuration error: SECRET_KEY is not set")
    assert "Traceback" not in result.stderr


def test_development_start_needs_no_secret_key():
    result = manage("check", DEBUG="1")
    assert result.returncode == 0, result.stderr


def test_production_start_with_secret_key_passes_checks():
    result = manage("check", DEBUG="0", SECRET_KEY="a-long-production-secret")
    assert result.returncode == 0, result.stderr


def test_the_page_cache_is_on_in_production_and_off_while_developing():
    show = "from django.conf import settings; print(settings.PAGE_CACHE_TIMEOUT)"
    production = manage("shell", "-c", show, DEBUG="0", SECRET_KEY="a-long-production-secret")
    development = manage("shell", "-c", show, DEBUG="1")
    # The last line: `shell` may first say what it imported.
    printed = [result.stdout.strip().splitlines()[-1] for result in (production, development)]
    assert printed == ["300", "0"]


def test_site_name_comes_from_settings(client, settings, db):
    settings.SITE_NAME = "Levant Weekly"
    html = client.get("/").content.decode()
    assert '<a class="brand" href="/">Levant Weekly</a>' in html
    assert "· Levant Weekly</title>" in html


def test_the_package_ships_every_app_of_ours():
    import fnmatch
    import tomllib

    from django.apps import apps

    included = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "packages"
    ]["find"]["include"]
    ours = [app.name for app in apps.get_app_configs() if Path(app.path).parent == ROOT]
    assert ours, "no app of ours found"
    missing = [name for name in ours if not any(fnmatch.fnmatch(name, p) for p in included)]
    assert missing == []
