"""Import the old site's back issues: text pages, saved HTML pages and WordPress exports.

A thin command over `backissues`: `reading.read_files` parses the files, and
`writing.batching.write_all` saves them, small files several to a transaction; a file that
fails writes nothing and the others still import.
"""

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from tqdm import tqdm

from backissues.parsing.errors import BackIssueError
from backissues.parsing.parsed import ParsedFile
from backissues.parsing.publication_index import PublicationIndex
from backissues.reading import DEFAULT_MAX_BYTES, collect_files, read_files
from backissues.writing import KINDS, OUTCOMES, FileReport, WriteOptions
from backissues.writing.batching import write_all
from backissues.writing.search_index import bulk_search_writes
from publishing.numbers import whole_number


def plain(text: str) -> str:
    return text


@dataclass
class Failure:
    source: str
    error: Exception
    parsed: ParsedFile | None  # None when the file could not even be read

    def item_counts(self) -> dict[str, int]:
        return {} if self.parsed is None else self.parsed.item_counts()


class Command(BaseCommand):
    help = (
        "Import back issues of the old site from text pages, saved HTML pages and WordPress "
        "exports (WXR). A directory means the files under it. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
        parser.add_argument(
            "--dry-run", action="store_true", help="Parse and report; write nothing."
        )
        parser.add_argument(
            "--json",
            action="store_true",
            help="Print the parse of all files as JSON on stdout (the report goes to stderr).",
        )
        parser.add_argument("--series", default="", help="Series of briefings that name none.")
        parser.add_argument(
            "--tag",
            action="append",
            default=[],
            dest="tags",
            metavar="NAME",
            help="A tag for every imported item; may be given more than once.",
        )
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="Replace items an editor has changed since they were imported.",
        )
        parser.add_argument(
            "--media-root",
            type=Path,
            metavar="DIR",
            help="A local copy of the old site's wp-content/uploads, for figure images.",
        )

        parser.add_argument(
            "--max-size",
            action="append",
            default=[],
            metavar="FORMAT=BYTES",
            help="The largest file of a format (text, html, wxr) to import; larger ones fail "
            "unread. Defaults: "
            + ", ".join(f"{name}={size}" for name, size in DEFAULT_MAX_BYTES.items())
            + ".",
        )

    def handle(self, *args, paths, media_root, **options):
        max_bytes = {**DEFAULT_MAX_BYTES, **size_limits(options["max_size"])}
        try:
            files = collect_files(paths)
        except BackIssueError as error:
            raise CommandError(str(error)) from error
        if media_root and not media_root.is_dir():
            raise CommandError(f"{media_root}: the media root is not a directory")
        # With --json, stdout carries the JSON alone; everything said to people goes to stderr.
        self.report_stream = self.stderr if options["json"] else self.stdout
        self.verbosity = options["verbosity"]
        if unapplied_migrations():
            raise CommandError(
                "the database is not up to date: run `python manage.py migrate` first"
            )
        publications = PublicationIndex.load()
        write_options = WriteOptions(
            dry_run=options["dry_run"],
            overwrite=options["overwrite"],
            series=options["series"],
            tags=options["tags"],
            media_root=media_root,
            publications=publications,
        )
        reports, failures, parses = [], [], []
        # The JSON is of whole parses: an export is then read whole before it is written.
        read = read_files(files, publications, stream=not options["json"], max_bytes=max_bytes)
        # Entries merged into the search index in bulk: see writing.search_index.
        with bulk_search_writes(enabled=not options["dry_run"]):
            written = write_all(read, write_options)
            for number, (path, parsed, outcome) in self.progress(written, len(files)):
                source = str(path)
                if options["json"] and parsed is not None:
                    parses.append(parsed)
                # One bad file, whatever its fault, must not stop the rest.
                if isinstance(outcome, Exception):
                    if options["traceback"] and not isinstance(outcome, BackIssueError):
                        raise outcome
                    failures.append(Failure(source, outcome, parsed))
                    self.say_progress(number, len(files), source, f"failed: {error_text(outcome)}")
                    continue
                reports.append(outcome)
                self.say_progress(number, len(files), source, progress_detail(outcome))
        if options["json"]:
            self.stdout.write(merged_json(parses))
        self.say_summary(reports, failures, len(files), options["dry_run"])
        if failures:
            raise CommandError(f"{len(failures)} of {len(files)} files failed")

    # Output

    def say(self, text: str = "", style=plain) -> None:
        self.report_stream.write(text, style_func=style)

    def progress(self, results: Iterator, total: int) -> Iterator:
        """(number, result) of each file; a bar on stderr when a person is watching."""
        numbered = enumerate(results, start=1)
        self.show_bar = self.stderr.isatty() and self.verbosity > 0
        if not self.show_bar:
            return numbered
        # The bar writes to the stream itself: the wrapper would end each redraw with a newline.
        return tqdm(numbered, total=total, file=self.stderr._out, unit="file", desc="Importing")

    def say_progress(self, number: int, total: int, source: str, detail: str) -> None:
        if not self.show_bar and self.verbosity > 0:
            self.say(f"file {number}/{total}: {source} … {detail}")

    def say_summary(
        self, reports: list[FileReport], failures: list[Failure], total: int, dry_run: bool
    ) -> None:
        if dry_run:
            self.say("Dry run: nothing was written.", self.style.WARNING)
        self.say(summary_table(reports, failures))
        self.say(f"Files: {total - len(failures)} of {total} imported, {len(failures)} failed.")
        self.say_items("Flagged for review", [(r, n) for r in reports for n in r.flagged])
        self.say_items("Kept (edited)", [(r, n) for r in reports for n in r.kept])
        self.say_items(
            "Figures without an image", [(r, n) for r in reports for n in r.missing_images]
        )
        self.say_not_imported(reports)
        self.say_notes(reports)
        if failures:
            self.say("Failed files (nothing of them was written):", self.style.ERROR)
            for failure in failures:
                self.say(f"  {error_text(failure.error, failure.source)}")

    def say_items(self, heading: str, entries: list) -> None:
        if not entries:
            return
        self.say(f"{heading}:", self.style.MIGRATE_HEADING)
        for report, note in entries:
            where = ", ".join(part for part in (report.source, note.location) if part)
            label = f" “{note.label}”" if note.label else ""
            self.say(f"  {where}: {note.kind}{label}: {note.detail}")

    def say_not_imported(self, reports: list[FileReport]) -> None:
        """What the files hold that has no place here, counted by what it is, always: nothing
        is left out unsaid."""
        entries = [(r.source, r.not_imported) for r in reports if r.not_imported]
        if not entries:
            return
        self.say("Not imported (-v 2 lists where):", self.style.MIGRATE_HEADING)
        for source, counts in entries:
            found = ", ".join(f"{count} {what}" for what, count in sorted(counts.items()))
            self.say(f"  {source}: {found}")

    def say_notes(self, reports: list[FileReport]) -> None:
        notes = [(r.source, where, what) for r in reports for where, what in r.notes]
        if not notes:
            return
        if self.verbosity < 2:
            self.say(f"{len(notes)} notes from reading the files; -v 2 lists them.")
            return
        self.say("Notes:", self.style.MIGRATE_HEADING)
        for source, where, what in notes:
            self.say(f"  {source}, {where}: {what}")


def size_limits(given: list[str]) -> dict[str, int]:
    """`--max-size` options ("text=5000000") as a limit per format."""
    limits = {}
    for option in given:
        name, _, size = option.partition("=")
        limits[name] = whole_number(size)
        if name not in DEFAULT_MAX_BYTES or limits[name] is None:
            formats = ", ".join(DEFAULT_MAX_BYTES)
            raise CommandError(f"--max-size {option}: give FORMAT=BYTES, FORMAT one of {formats}")
    return limits


def unapplied_migrations() -> list:
    executor = MigrationExecutor(connection)
    return executor.migration_plan(executor.loader.graph.leaf_nodes())


def progress_detail(report: FileReport) -> str:
    read_as = " (read as Windows-1252)" if report.encoding == "windows-1252" else ""
    return report.summary() + read_as


def error_text(error: Exception, source: str = "") -> str:
    """A failure as “[file, ]line N: reason”; an unexpected error also says what it was."""
    if isinstance(error, BackIssueError):
        where = ", ".join(part for part in (source, error.location) if part)
        return f"{where}: {error.reason}" if where else error.reason
    text = f"{type(error).__name__}: {error}"
    return f"{source}: {text}" if source else text


def summary_table(reports: list[FileReport], failures: list[Failure]) -> str:
    """Outcomes per kind of row over all files; “failed” counts the items of files that were
    read but could not be written."""
    totals = {kind: sum((r.counts[kind] for r in reports), Counter()) for kind in KINDS}
    for failure in failures:
        for kind, count in failure.item_counts().items():
            totals[kind]["failed"] += count
    columns = (*OUTCOMES, "failed")
    lines = [" " * 9 + "".join(f"{column:>11}" for column in columns)]
    for kind in KINDS:
        lines.append(f"{kind:9}" + "".join(f"{totals[kind][column]:>11}" for column in columns))
    return "\n".join(lines)


def merged_json(parses: list) -> str:
    """The parse of every file in the shape of the seed's expected JSON, merged."""
    merged = {"briefings": [], "articles": []}
    for parsed in parses:
        data = parsed.to_json()
        merged["briefings"] += data["briefings"]
        merged["articles"] += data["articles"]
    return json.dumps(merged, ensure_ascii=False, indent=2)
