"""The import-linter contracts in pyproject.toml hold for the tree, and fail when an app imports
one above it: make test runs them, so such a change cannot land."""

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from tests.support.paths import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
APPS = PYPROJECT["tool"]["importlinter"]["root_packages"]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-logo", "--no-cache"],
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def copy_of_the_apps(tree: Path) -> Path:
    for app in APPS:
        shutil.copytree(ROOT / app, tree / app, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tree)
    return tree


def test_every_app_keeps_to_its_layer():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout
    assert "BROKEN" not in result.stdout


def test_a_content_app_importing_the_importer_breaks_the_layers(tmp_path):
    tree = copy_of_the_apps(tmp_path)
    models = tree / "articles" / "models.py"
    models.write_text("import backissues.writing  # noqa: F401\n" + models.read_text())

    result = lint_imports(tree)

    assert result.returncode == 1
    assert "articles is not allowed to import backissues" in result.stdout
    assert "articles.models -> backissues.writing" in result.stdout


def test_a_cycle_inside_an_app_is_refused(tmp_path):
    tree = copy_of_the_apps(tmp_path)
    stored = tree / "images" / "stored.py"
    stored.write_text("import images.models  # noqa: F401\n" + stored.read_text())

    result = lint_imports(tree)

    assert result.returncode == 1
    assert "No cycles are allowed in images" in result.stdout
