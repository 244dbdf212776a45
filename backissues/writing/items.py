"""The items of one file: what identifies each, and the rows and parts written of it."""

import re
from collections import Counter
from urllib.parse import unquote

from django.utils import timezone
from django.utils.text import slugify

from articles.models import Article, ArticleFigure
from backissues.parsing.errors import BackIssueError
from backissues.parsing.parsed import ParsedArticle, ParsedBriefing, ParsedFile, ParsedItem
from backissues.parsing.publication_index import PublicationIndex
from backissues.writing.figures import FigureFiles, FigureOwner, has_content
from backissues.writing.matching import content_hash, fingerprint, source_reference
from backissues.writing.options import WriteOptions
from backissues.writing.plans import Plan, assess
from backissues.writing.report import FileReport, ItemNote, item_location
from backissues.writing.rows_by_name import NameLookups
from backissues.writing.same_item import fill_gaps_only
from backissues.writing.slugs import preferred_slug
from backissues.writing.terms import TAG_LENGTH, TITLE_LENGTH, fitted
from backissues.writing.validation import validated
from briefings.models import Briefing, Figure, Section
from publishing.identity import article_identity, briefing_identity
from publishing.models import Publishable
from publishing.web_links import WEB_SCHEMES, scheme_of

TITLE_WORDS = 8
# What is Markdown rather than words in an excerpt: emphasis, quotes, a link's address.
_MARKDOWN_MARKS = re.compile(r"\]\([^)\s]*\)|[*_`#>\[\]\\]")


class FileItems:
    """What is made of one file's items: their plans, rows and parts, and the file's report."""

    def __init__(
        self,
        parsed: ParsedFile,
        options: WriteOptions,
        names: NameLookups,
        publication_index: PublicationIndex,
    ):
        self.parsed = parsed
        self.options = options
        self.publication_index = publication_index
        self.report = FileReport(
            parsed.source,
            parsed.encoding,
            notes=list(parsed.notes),
            not_imported=Counter(parsed.not_imported),
        )
        if parsed.encoding == "windows-1252":
            self.report.notes.append(("file", "not UTF-8: read as Windows-1252"))
        self.figures = FigureFiles(options, self.report)
        self.references: set[str] = set()
        self.people, self.publications, self.tags = names.all()

    # Planning: what identifies each item, and whether the site has it already

    def plan(self, item: ParsedItem) -> Plan:
        if isinstance(item, ParsedBriefing):
            return self.plan_briefing(item)
        return self.plan_article(item)

    def plan_briefing(self, item: ParsedBriefing) -> Plan:
        series = self.series(item)
        # Without a period, a briefing is told apart by its title and first bullet.
        unplaced = () if item.period_start or item.period_end else (item.title, item.overview[:1])
        ref = self.reference(
            item, "briefing", series, item.period_start, item.period_end, *unplaced
        )
        assessment = assess(item, exported=self.parsed.format == "wxr")
        upload = self.figures.find_upload(item.lead_figure)
        digest = content_hash(
            item,
            status=assessment.status,
            series=series,
            tags=self.options.tags,
            upload=str(upload) if upload else None,
        )
        plan = Plan(Briefing, item, ref, assessment, digest, [upload], self)
        plan.identity = briefing_identity(item.period_start, item.period_end)
        return plan

    def plan_article(self, item: ParsedArticle) -> Plan:
        ref = self.reference(item, "article", item.publication, item.title, item.date)
        assessment = assess(item, exported=self.parsed.format == "wxr")
        uploads = [self.figures.find_upload(figure) for figure in item.figures]
        # Which files were found is added only with figures: the hash of an article without
        # figures stays what it was before figures were kept.
        found = {"uploads": [str(u) if u else None for u in uploads]} if item.figures else {}
        digest = content_hash(item, status=assessment.status, tags=self.options.tags, **found)
        plan = Plan(Article, item, ref, assessment, digest, uploads, self)
        plan.identity = article_identity(item.title)
        return plan

    def series(self, item: ParsedBriefing) -> str:
        return item.series or self.options.series

    def reference(self, item: ParsedItem, kind: str, *identity) -> str:
        """The item's source reference, unique in its file: an export may give two items one
        guid, and each would otherwise overwrite the other on every run."""
        ref = source_reference(item, kind, *identity)
        if ref in self.references:
            ref = fingerprint(kind, ref, *identity)
            self.report.notes.append(
                (item_location(item), "same reference as an earlier item: told apart by its title")
            )
        self.references.add(ref)
        return ref

    # Building: each written item's row and parts, checked, in the order of the file

    def build(self, plan: Plan) -> None:
        plan.row = plan.row or plan.model(source_ref=plan.ref)
        if plan.model is Briefing:
            self.build_briefing(plan)
        else:
            self.build_article(plan)
        if plan.kept is not None:
            fill_gaps_only(plan, self.tags.pk)

    def build_briefing(self, plan: Plan) -> None:
        item, briefing = plan.item, plan.row
        location = item_location(item)
        plan.parts.links["editor_id"] = (self.people, self.person_key(item.editor, location))
        briefing.series = self.series(item)
        briefing.publisher = item.publisher or ""
        briefing.period_start = item.period_start
        briefing.period_end = item.period_end
        briefing.title = item.title or ""
        self.fill_publishable(plan)
        validated(briefing, location)
        plan.parts.tags = self.tag_keys(item)
        if plan.wants("bullets"):
            self.add_bullets(plan, None, item.overview)
            for position, parsed_section in enumerate(item.sections):
                section = Section(briefing=briefing, title=parsed_section.title, position=position)
                plan.parts.rows.append(validated(section, location))
                self.add_bullets(plan, section, parsed_section.bullets)
        if has_content(item.lead_figure) and plan.wants("figures"):
            figure, owner = Figure(briefing=briefing), FigureOwner("briefing", item)
            plan.parts.rows.append(
                self.figures.filled_figure(figure, item.lead_figure, plan.uploads[0], owner)
            )

    def continue_url(self, item: ParsedArticle, location: str) -> str:
        """The link to the original, dropped with a note when it has another scheme than
        http(s) (a `javascript:` or `data:` link in an old page would run in our readers'
        browsers). An address without a scheme is left to fail validation, naming the item."""
        url = item.continue_url or ""
        if scheme_of(url) not in ("", *WEB_SCHEMES):
            self.report.notes.append((location, "continue-reading link dropped: not http(s)"))
            return ""
        return url

    def add_bullets(self, plan: Plan, section: Section | None, texts: list[str]) -> None:
        # Bullets are not checked: a text that is not blank is all their one field needs.
        texts = [text for text in texts if text.strip()]
        plan.parts.bullets += [(section, text, position) for position, text in enumerate(texts)]

    def build_article(self, plan: Plan) -> None:
        item, article = plan.item, plan.row
        location = item_location(item)
        publication = self.publication_key(item.publication, plan)
        plan.parts.links["publication_id"] = (self.publications, publication)
        article.title = item.title or self.placeholder_title(item)
        article.kicker = item.kicker or ""
        article.dateline = item.dateline or ""
        article.standfirst = item.standfirst or ""
        article.original_date = item.date
        article.excerpt = item.excerpt or ""
        article.editor_note = item.editor_note or ""
        article.continue_url = self.continue_url(item, location)
        article.continue_label = (
            item.continue_label or Article._meta.get_field("continue_label").get_default()
        )
        self.fill_publishable(plan)
        validated(article, location)
        if plan.wants("authors"):
            plan.parts.authors = [
                key for name in item.authors if name and (key := self.person_key(name, location))
            ]
        plan.parts.tags = self.tag_keys(item)  # a kicker is the article's, not a tag
        kept = [
            (figure, upload)
            for figure, upload in zip(item.figures, plan.uploads, strict=True)
            if has_content(figure) and plan.wants("figures")
        ]
        for position, (parsed, upload) in enumerate(kept):
            figure = ArticleFigure(article=article, position=position)
            owner = FigureOwner("article", item, f"figure {position + 1}: ")
            plan.parts.rows.append(self.figures.filled_figure(figure, parsed, upload, owner))

    def publication_key(self, text: str | None, plan: Plan) -> str | None:
        """The key of the publication a parsed name stands for; a name never seen before is
        added and the item flagged, so an editor can make it an alias of a known one."""
        name = self.publication_name(text)
        if name is None:
            return None
        key, added = self.publications.key(name, item_location(plan.item))
        if added and self.publication_index.canonical(name) is None:
            plan.assessment.flag(f"publication seen for the first time: {name}")
        return key

    def publication_name(self, text: str | None) -> str | None:
        """The known publication a parsed name stands for, by any of its spellings (“…(ISW)”
        is the Institute for the Study of War); else the name as written."""
        if not text or not text.strip():
            return None
        name = self.publication_index.canonical(text)
        if name is None and (match := self.publication_index.find_in(text)):
            name = match.name
        return name or text.strip()

    def placeholder_title(self, item: ParsedArticle) -> str:
        """The untitled excerpt's first words, for a title an editor can find it by; the item
        stays a draft, flagged for its missing title. Never the file's path: an editor may
        publish it as it is."""
        text = _MARKDOWN_MARKS.sub(" ", item.excerpt or item.standfirst or item.editor_note or "")
        words = text.split()
        title = " ".join(words[:TITLE_WORDS]) + ("…" if len(words) > TITLE_WORDS else "")
        return fitted(title, TITLE_LENGTH, "title", self.report.notes, item_location(item)) or (
            f"Untitled excerpt ({item_location(item)})"
        )

    def fill_publishable(self, plan: Plan) -> None:
        """Set the fields both kinds share; the title (or a briefing's period) is set already.
        A row without a slug gets one when saved."""
        instance, item, assessment = plan.row, plan.item, plan.assessment
        if not instance.slug:
            plan.slug = preferred_slug(item.slug)
            if len(plan.slug) < len(slugify(unquote(item.slug or ""))):
                note = f"slug shortened to {len(plan.slug)} characters: {plan.slug}"
                self.report.notes.append((item_location(item), note))
        instance.status = assessment.status
        instance.published_at = self.published_at(item, instance)
        if item.language:
            instance.language = item.language
        instance.needs_review = bool(assessment.gaps)
        instance.review_reasons = assessment.reasons()
        instance.import_identity = plan.identity
        instance.source_hash = plan.digest

    def published_at(self, item: ParsedItem, instance: Publishable):
        when = item.published_at
        if when is None:
            # A draft still needs a date; an editor sets the real one on publishing.
            return instance.published_at if instance.pk else timezone.now()
        return timezone.make_aware(when) if timezone.is_naive(when) else when

    def person_key(self, name: str | None, location: str) -> str | None:
        name = " ".join((name or "").split())
        return self.people.key(name, location)[0] if name else None

    def tag_keys(self, item: ParsedItem, *more: str | None) -> list[str]:
        location = item_location(item)
        return [self.tags.key(name, location)[0] for name in self.tag_names(item, *more)]

    def tag_names(self, item: ParsedItem, *more: str | None) -> list[str]:
        names: dict[str, str] = {}
        for name in (*item.tags, *self.options.tags, *more):
            name = " ".join((name or "").split())
            if len(name) > TAG_LENGTH:
                raise BackIssueError(
                    f"a tag is longer than {TAG_LENGTH} characters: {name[:60]}…",
                    location=item_location(item),
                )
            if name:
                names.setdefault(name.casefold(), name)
        return list(names.values())

    def record(self, plan: Plan) -> None:
        kind, item = plan.kind, plan.item
        self.report.count(kind, plan.outcome)
        if plan.outcome == "kept":
            self.report.kept.append(
                ItemNote.about(kind, item, "edited since the last import; --overwrite replaces it")
            )
        elif plan.row.needs_review:
            self.report.count(kind, "flagged")
            detail = ", ".join(plan.row.review_reasons.splitlines()) or "needs review"
            self.report.flagged.append(ItemNote.about(kind, item, detail))
