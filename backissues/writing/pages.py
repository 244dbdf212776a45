"""Flat pages of the old site (an "About" page in an export), kept at their old address."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.contrib.redirects.models import Redirect

from backissues.parsing.parsed import ParsedFlatPage
from backissues.writing.report import FileReport, ItemNote, item_location
from backissues.writing.validation import validated


def page_url(page: ParsedFlatPage) -> str:
    path = urlsplit(page.url).path.strip("/")
    return f"/{path}/" if path else "/"


def write_pages(pages: list[ParsedFlatPage], report: FileReport, overwrite: bool) -> None:
    urls = [page_url(page) for page in pages]
    known: dict[str, FlatPage] = {}
    for flatpage in FlatPage.objects.filter(url__in=urls):
        known.setdefault(flatpage.url, flatpage)
    for page, url in zip(pages, urls, strict=True):
        write_page(page, url, known, report, overwrite)
        write_shortlink(page, url, report)


def write_page(
    page: ParsedFlatPage,
    url: str,
    known: dict[str, FlatPage],
    report: FileReport,
    overwrite: bool,
) -> None:
    existing = known.get(url)
    wanted = (page.title, page.content, page.hidden)
    if existing and (existing.title, existing.content, existing.registration_required) == wanted:
        report.count("page", "unchanged")
        return
    # Flat pages keep no history: a differing one may be an editor's, so it is kept.
    if existing and not overwrite:
        report.count("page", "kept")
        report.kept.append(
            ItemNote.about("page", page, "differs from the import; --overwrite replaces it")
        )
        return
    flatpage = existing or FlatPage(url=url)
    flatpage.title, flatpage.content = page.title, page.content
    flatpage.registration_required = page.hidden
    validated(flatpage, item_location(page) or url).save()
    flatpage.sites.add(settings.SITE_ID)
    known[url] = flatpage
    report.count("page", "updated" if existing else "created")


def write_shortlink(page: ParsedFlatPage, url: str, report: FileReport) -> None:
    """WordPress's "/?page_id=12" kept as a redirect to the page, as "/?p=12" is for a post
    (public.views.streams.HomeView answers both)."""
    if not page.shortlink:
        return
    redirect, created = Redirect.objects.get_or_create(
        site_id=settings.SITE_ID, old_path=page.shortlink, defaults={"new_path": url}
    )
    if not created and redirect.new_path != url:
        redirect.new_path = url
        redirect.save(update_fields=["new_path"])
        report.count("redirect", "updated")
    else:
        report.count("redirect", "created" if created else "unchanged")
