"""One publication, one row: the row a migration made and the same publication under a longer
name or another of its spellings are merged, by the migration that does it, by the demo and by
the importer."""

import importlib
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from hypothesis import given
from hypothesis import strategies as st

from articles.models import Article
from backissues.management.commands import load_demo_content
from backissues.writing import WriteOptions, write_file
from people.models import Publication
from people.publication_spellings import Spelled, base_name, merged_rows, same_publication
from tests.support.factories import ArticleFactory
from tests.support.parsed_items import a_file, an_article

pytestmark = pytest.mark.django_db
ISW = "Institute for the Study of War"
merging = importlib.import_module("people.migrations.0003_one_row_per_publication")

SHORT_FORMS = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ&.-0123456789", min_size=2, max_size=12)


@given(SHORT_FORMS, st.sampled_from([" ", "  ", ""]))
def test_a_name_with_its_short_form_in_brackets_is_the_same_name(short, space):
    assert base_name(f"{ISW}{space}({short})") == base_name(ISW)


@given(st.sampled_from(["(Gulf edition)", "(weekly)", "Review", "(in Arabic)"]))
def test_other_words_in_brackets_make_another_publication(words):
    assert base_name(f"Monitor {words}") != base_name("Monitor")


def test_a_name_among_anothers_spellings_is_that_publication():
    seeded = Spelled(1, "INSS", "Institute for National Security Studies")
    assert same_publication(seeded, Spelled(2, "Institute for National Security Studies", ""))
    assert not same_publication(seeded, Spelled(3, "Institute for Security Studies", ""))


def test_the_seeded_row_is_kept_and_gains_the_others_spellings():
    rows = [
        Spelled(9, f"{ISW} (ISW)", "ISW Reports"),
        Spelled(4, ISW, "ISW"),
        Spelled(2, "INSS", ""),
    ]
    kept = merged_rows(rows)
    assert {row.pk: [m.pk for m in row.merged] for row in kept} == {4: [9], 2: []}
    isw = next(row for row in kept if row.pk == 4)
    assert isw.all_aliases().splitlines() == ["ISW", f"{ISW} (ISW)", "ISW Reports"]


def test_the_migration_merges_a_longer_named_row_into_the_seeded_one():
    seeded = Publication.objects.get(name=ISW)
    longer = Publication.objects.create(name=f"{ISW} (ISW)", slug="isw-long", aliases="ISW Updates")
    article = ArticleFactory(publication=longer)

    merging.merge_publications(apps, None)

    assert not Publication.objects.filter(pk=longer.pk).exists()
    article.refresh_from_db()
    assert article.publication_id == seeded.pk
    seeded.refresh_from_db()
    assert {"ISW", f"{ISW} (ISW)", "ISW Updates"} <= set(seeded.alias_list())
    before = Publication.objects.count()
    merging.merge_publications(apps, None)  # once merged, nothing more to do
    assert Publication.objects.count() == before


def test_the_demo_names_a_seeded_publication_by_its_longer_name_without_a_second_row():
    Publication.objects.filter(name=ISW).update(aliases="ISW")
    command = load_demo_content.Command(stdout=StringIO())
    command.add_publications(
        [{"name": f"{ISW} (ISW)", "homepage": "https://isw.example/", "aliases": ["ISW Maps"]}]
    )
    assert Publication.objects.filter(name__icontains="study of war").count() == 1
    assert set(Publication.objects.get(name=ISW).alias_list()) == {
        "ISW",
        f"{ISW} (ISW)",
        "ISW Maps",
    }


def test_the_demo_content_has_one_row_per_publication():
    call_command("load_demo_content", stdout=StringIO())
    rows = [Spelled(*row) for row in Publication.objects.values_list("pk", "name", "aliases")]
    assert all(not row.merged for row in merged_rows(rows))


def test_an_import_names_the_seeded_row_by_its_longer_name():
    write_file(a_file(an_article(publication=f"{ISW.upper()} (ISW)")), options=WriteOptions())
    assert Article.objects.get().publication.name == ISW
    assert Publication.objects.filter(name__icontains="study of war").count() == 1
