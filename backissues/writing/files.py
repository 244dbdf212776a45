"""Files written in one transaction: all of a file, or none of it.

A file is written alone (`write_file`) or with other files (`write_files`); a failure writes
nothing of them. Their items go in batches of BATCH_SIZE, with a fixed number of queries per
batch however many items, bullets, people or tags it has.
"""

from django.db import transaction

from backissues.parsing.errors import BackIssueError
from backissues.parsing.parsed import ParsedFile, ParsedItem
from backissues.parsing.publication_index import PublicationIndex
from backissues.writing import saving
from backissues.writing.bulk import batches
from backissues.writing.items import FileItems
from backissues.writing.matching import find_rows
from backissues.writing.old_addresses import write_old_addresses
from backissues.writing.options import WriteOptions
from backissues.writing.pages import write_pages
from backissues.writing.plans import Plan
from backissues.writing.report import FileReport
from backissues.writing.rows_by_name import NameLookups
from backissues.writing.sql import relax_durability
from backissues.writing.terms import write_members, write_terms
from briefings.models import Briefing
from publishing import markup
from publishing.content_version import content_changed
from sources.services import refresh_citations

WRITTEN = ("created", "updated", "filled")
# Items written together: bounds the memory a large export takes while written, and the
# parameters of one query (older SQLite builds allow 999).
BATCH_SIZE = 400


def write_file(parsed: ParsedFile, *, options: WriteOptions) -> FileReport:
    """Save the items of one file in one transaction (rolled back on a dry run)."""
    try:
        return write_files([parsed], options=options)[0]
    except BackIssueError as error:
        raise error.located(parsed.source) from error


def write_files(files: list[ParsedFile], *, options: WriteOptions) -> list[FileReport]:
    """Save several files in one transaction, so with one round of queries: all of them, or
    nothing when any fails, or when two of them hold the same item (FilesOverlap), which
    files written one by one would create once and then update."""
    writer = TransactionWriter(files, options)
    rendered = {}  # one dict: a chain of many is slower to look in
    for parsed in files:
        rendered.update(parsed.rendered)
    try:
        with transaction.atomic(), markup.prerendered(rendered):
            relax_durability()
            writer.write()
            if options.dry_run:
                transaction.set_rollback(True)
    except Exception:
        writer.discard_copied_files()
        raise
    if not options.dry_run:
        writer.names.share()
        # Rows were written in bulk, which sends no signals; an import may touch any page.
        content_changed()
    return [file.report for file in writer.files]


class FilesOverlap(Exception):
    """Two files of one transaction hold the same item."""

    def __init__(self, kind: str, ref: str, first: str, second: str):
        super().__init__(f"the {kind} {ref} is in both {first} and {second}")


class TransactionWriter:
    """The files of one transaction, their items written together in batches of BATCH_SIZE."""

    def __init__(self, files: list[ParsedFile], options: WriteOptions):
        self.options = options
        self.names = NameLookups(options.known)
        publication_index = options.publications or PublicationIndex.load()
        self.files = [FileItems(parsed, options, self.names, publication_index) for parsed in files]
        # Which file holds each item: two files' items in one batch would both be created.
        self.holders: dict[tuple[str, str], FileItems] = {}
        # Each file's terms, and the written items' categories, written once all items are.
        self.terms: dict[int, list] = {id(file): [] for file in self.files}
        self.members: list[tuple] = []

    def write(self) -> None:
        whole = [file for file in self.files if file.parsed.parts is None]
        for file in self.files:
            if file.parsed.parts is not None:
                self.write_stream(file)
        self.write_parsed([(file, file.parsed) for file in whole])
        for file in self.files:
            write_terms(self.terms[id(file)], file.report, self.names.tags, self.options.overwrite)
        self.names.insert_waiting()
        write_members(self.members)

    def write_stream(self, file: FileItems) -> None:
        """A streamed file's parts, each written as it is read, with its rendered Markdown."""
        try:
            for part in file.parsed.take_parts():
                file.report.notes += part.notes
                file.report.not_imported.update(part.not_imported)
                with markup.prerendered(part.rendered):
                    self.write_parsed([(file, part)])
        finally:
            file.parsed.close()

    def write_parsed(self, parsed: list[tuple[FileItems, ParsedFile]]) -> None:
        items = [(file, item) for file, part in parsed for item in part.items()]
        for file, part in parsed:
            self.terms[id(file)] += part.terms
        for batch in batches(items, BATCH_SIZE):
            self.write_items(batch)
        for file, part in parsed:
            for pages in batches(part.pages, BATCH_SIZE):
                write_pages(pages, file.report, self.options.overwrite)

    def hold(self, plan: Plan) -> None:
        """The file holding the item; two files holding one (by reference, or by identity as a
        page saved as text and as HTML do) cannot be written in one transaction."""
        keys = [(plan.kind, plan.ref)] + ([(plan.kind, plan.identity)] if plan.identity else [])
        for key in keys:
            holder = self.holders.setdefault(key, plan.file)
            if holder is not plan.file:
                raise FilesOverlap(
                    plan.kind, plan.ref, holder.parsed.source, plan.file.parsed.source
                )

    def discard_copied_files(self) -> None:
        for file in self.files:
            file.figures.discard_copied()

    def write_items(self, items: list[tuple[FileItems, ParsedItem]]) -> None:
        plans = [file.plan(item) for file, item in items]
        for plan in plans:
            self.hold(plan)
        find_rows(plans, self.options.overwrite)
        for plan in plans:
            if plan.outcome in WRITTEN:
                plan.file.build(plan)
        written = [plan for plan in plans if plan.outcome in WRITTEN]
        self.names.insert_waiting()
        saving.save(written, self.names)
        # Their bullets' sources ("(Mehr, October 4)"), for the reader's /sources/ pages.
        if briefings := [plan.row for plan in written if plan.model is Briefing]:
            refresh_citations(briefings)
        write_old_addresses(plans)
        for plan in plans:
            plan.file.record(plan)
        self.members += [  # an item's categories replace those it had
            (plan.model, plan.row.pk, plan.item.categories, plan.outcome == "created")
            for plan in written
            if plan.item.categories or plan.outcome != "created"
        ]
