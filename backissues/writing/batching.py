"""The files of a run written to the database, the small ones several to a transaction.

A transaction costs a round of queries whatever it holds, and most back issues are small (a
text page is a briefing and a few excerpts), so files are written together until a batch holds
about BATCH_SIZE items. A file still imports all or nothing: when a batch fails, it is rolled
back and its files are written again one by one, so that only the faulty file is left out, with
its own error. A dry run writes file by file, as what it writes is not kept for the next file;
so does a streamed export, in batches as its parts are read, all in its one transaction.
"""

from collections.abc import Iterable, Iterator
from pathlib import Path

from backissues.parsing.parsed import ParsedFile
from backissues.writing.files import BATCH_SIZE, write_file, write_files
from backissues.writing.options import WriteOptions
from backissues.writing.report import FileReport

# A file, its parse (None when it could not be read) and its report or its error.
Written = tuple[Path, ParsedFile | None, FileReport | Exception]


def write_all(
    results: Iterable[tuple[Path, ParsedFile | Exception]], options: WriteOptions
) -> Iterator[Written]:
    """Write each parsed file, in order; a file that could not be read is passed on."""
    batch: list[tuple[Path, ParsedFile]] = []
    items = 0
    for path, parsed in results:
        if isinstance(parsed, Exception):
            yield from write_batch(batch, options)
            batch, items = [], 0
            yield path, None, parsed
            continue
        if parsed.parts is not None:  # a stream is written alone, as it is read
            yield from write_batch(batch, options)
            batch, items = [], 0
        batch.append((path, parsed))
        items += parsed.item_count()
        if parsed.parts is not None or options.dry_run or items >= BATCH_SIZE:
            yield from write_batch(batch, options)
            batch, items = [], 0
    yield from write_batch(batch, options)


def write_batch(batch: list[tuple[Path, ParsedFile]], options: WriteOptions) -> Iterator[Written]:
    if len(batch) > 1:
        try:
            reports = write_files([parsed for _, parsed in batch], options=options)
        except Exception:  # a file failed, or two share an item: each file again, alone
            pass
        else:
            for (path, parsed), report in zip(batch, reports, strict=True):
                yield path, parsed, report
            return
    for path, parsed in batch:
        try:
            yield path, parsed, write_file(parsed, options=options)
        except Exception as error:  # reported by the caller, with the file's name
            yield path, parsed, error
