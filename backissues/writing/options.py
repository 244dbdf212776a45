"""What the command asks of the writing of a run's files."""

from dataclasses import dataclass, field
from pathlib import Path

from backissues.parsing.publication_index import PublicationIndex
from backissues.writing.rows_by_name import RunNames


@dataclass
class WriteOptions:
    dry_run: bool = False
    overwrite: bool = False
    series: str = ""  # for briefings whose source names none
    tags: list[str] = field(default_factory=list)  # put on every item
    media_root: Path | None = None  # a local copy of wp-content/uploads
    # Built once per run from the database; loaded by write_file when not given.
    publications: PublicationIndex | None = None
    # People, publications and tags by name, for all the files written with these options.
    known: RunNames = field(default_factory=RunNames)
