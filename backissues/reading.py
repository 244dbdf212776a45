"""One file in, one `ParsedFile` out: refuse what is not a back issue, pick the parser by content.

The format is told from the first few kilobytes, so a 100 MB WordPress export is never read
whole here: its parser streams it from the path.
"""

import multiprocessing
import os
import re
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from pathlib import Path

from backissues.formats.htmlpage import parse_html
from backissues.formats.textpage import parse_text
from backissues.formats.wxr import parse_wxr, stream_wxr
from backissues.parsing.errors import BackIssueError
from backissues.parsing.parsed import ParsedFile
from backissues.parsing.publication_index import PublicationIndex

SNIFF_BYTES = 8192
UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# Tab, line feed, form feed and carriage return are text; other C0 controls hint at binary.
CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\x0c\r") + b"\x7f"
MOST_CONTROL = 0.1
# Files parsed ahead per worker: enough to keep it busy, few enough to bound memory.
READ_AHEAD = 4

# What may stand before the first element: an XML declaration and comments.
PROLOGUE = re.compile(r"\s*(?:<\?xml[^>]*\?>\s*|<!--.*?-->\s*)*", re.DOTALL)
HTML_START = re.compile(r"<(?:!doctype\s+html|html|head|body|article)[\s>]", re.IGNORECASE)
WXR_NAMESPACE = "wordpress.org/export/"
# The largest file of each format imported: a text or HTML page is read whole (and takes
# several times its size in memory), an export is streamed. `import_backissues --max-size`.
DEFAULT_MAX_BYTES = {"text": 20_000_000, "html": 50_000_000, "wxr": 2_000_000_000}


def read_files(
    files: list[Path],
    publications: PublicationIndex | None = None,
    *,
    stream: bool = False,
    max_bytes: dict[str, int] = DEFAULT_MAX_BYTES,
) -> Iterator[tuple[Path, ParsedFile | Exception]]:
    """Each file's parse, or the error reading it, in order. With several files and cores, the
    next files are parsed in other processes while the caller writes this one to the database.
    With `stream`, a WordPress export is read in this process, its items given in parts
    (`ParsedFile.parts`) as its posts are converted in other processes. A file larger than its
    format's `max_bytes` is an error, unread."""
    # A worker for each core: the writing process mostly waits, on them or on the database.
    workers = min(os.cpu_count() or 1, len(files) - 1)
    if workers < 1:
        for path in files:
            # Alone, a large export may use all the cores to convert its posts.
            yield path, _parse_or_error(path, publications, max_bytes, parallel=True, stream=stream)
        return
    # Forked workers never touch the database: parsing needs none.
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:

        def submit(path: Path) -> Future | None:
            if stream and is_export(path):  # a stream cannot be handed from another process
                return None
            return pool.submit(_parse_or_error, path, publications, max_bytes)

        pending = iter(files)
        ahead: deque = deque()
        for path in islice(pending, READ_AHEAD * workers):
            ahead.append((path, submit(path)))
        while ahead:
            path, future = ahead.popleft()
            if (following := next(pending, None)) is not None:
                ahead.append((following, submit(following)))
            if future is None:
                parsed = _parse_or_error(path, publications, max_bytes, parallel=True, stream=True)
            else:
                parsed = future.result()
            yield path, parsed


def is_export(path: Path) -> bool:
    """Whether the file looks like a WordPress export; its reading tells what else it is."""
    try:
        return detect_format(_head(path)) == "wxr"
    except BackIssueError:
        return False


def _parse_or_error(
    path: Path,
    publications: PublicationIndex | None,
    max_bytes: dict[str, int],
    parallel: bool = False,
    stream: bool = False,
) -> ParsedFile | Exception:
    try:
        # In a worker, an export's posts are converted there, not in more processes.
        return read_file(
            path,
            str(path),
            publications=publications,
            parallel=parallel,
            stream=stream,
            max_bytes=max_bytes,
        )
    except Exception as error:  # handed to the caller, which reports it with the file's name
        return error


def read_file(
    path: Path,
    source: str,
    *,
    publications: PublicationIndex | None = None,
    parallel: bool = True,
    stream: bool = False,
    max_bytes: dict[str, int] = DEFAULT_MAX_BYTES,
) -> ParsedFile:
    """Parse one back-issue file; every error names `source`. `publications` (built once per
    run) lets the parsers recognise a publication by any of its spellings. With `stream`, a
    WordPress export's items come in parts as it is read (`stream_wxr`). A file larger than
    its format's `max_bytes` is refused unread."""
    try:
        return _read(path, source, publications, parallel, stream, max_bytes)
    except BackIssueError as error:
        raise error.located(source) from error


def _read(
    path: Path,
    source: str,
    publications: PublicationIndex | None,
    parallel: bool,
    stream: bool,
    max_bytes: dict[str, int],
) -> ParsedFile:
    file_format = detect_format(_head(path))
    check_size(path, file_format, max_bytes[file_format])
    if file_format == "wxr":
        read_export = stream_wxr if stream else parse_wxr
        return read_export(path, source, parallel=parallel)
    text, encoding = decode(path.read_bytes())
    parse = parse_html if file_format == "html" else parse_text
    parsed = parse(text, source, publications)
    parsed.encoding = encoding
    parsed.prerender()
    return parsed


def check_size(path: Path, file_format: str, limit: int) -> None:
    """Refuse a file larger than its format's limit, by its size, before it is read."""
    size = path.stat().st_size
    if size > limit:
        raise BackIssueError(
            f"{size:,} bytes, more than the {limit:,} allowed for a {file_format} file "
            f"(--max-size {file_format}=BYTES changes it)"
        )


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as file:
            head = file.read(SNIFF_BYTES)
    except OSError as error:
        raise BackIssueError(f"cannot be read: {error.strerror}") from error
    if not head.removeprefix(UTF8_BOM).strip():
        raise BackIssueError("the file is empty")
    if head.startswith(UTF16_BOMS):
        raise BackIssueError("the file is UTF-16 text; save it as UTF-8 and import it again")
    if looks_binary(head):
        raise BackIssueError("not a text file (binary content): not a back issue")
    return head


def looks_binary(head: bytes) -> bool:
    """NUL bytes, or more than a tenth control characters, as text never has."""
    if b"\0" in head:
        return True
    controls = len(head) - len(head.translate(None, CONTROL_BYTES))
    return controls > MOST_CONTROL * len(head)


def detect_format(head: bytes) -> str:
    """Which parser a file needs, "wxr", "html" or "text", told from its first bytes."""
    # Latin-1 decodes any byte; the markers looked for are ASCII.
    start = head.removeprefix(UTF8_BOM).decode("latin-1")
    rest = start[PROLOGUE.match(start).end() :]
    if rest[:4].lower() == "<rss" and WXR_NAMESPACE in start:
        return "wxr"
    if HTML_START.match(rest):
        return "html"
    if start.lstrip().startswith("<?xml"):
        raise BackIssueError("an XML file but not a WordPress export (no <rss> with its namespace)")
    return "text"


def decode(data: bytes) -> tuple[str, str]:
    """The text of a file and the encoding it was read with: UTF-8, else Windows-1252."""
    try:
        return data.removeprefix(UTF8_BOM).decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise BackIssueError(
            f"byte 0x{data[error.start]:02x} at offset {error.start} is neither UTF-8 "
            "nor Windows-1252",
            location=f"line {line}",
        ) from error


def collect_files(paths: list[Path]) -> list[Path]:
    """The files to import, in order: each file given, and the files under each directory
    given, sorted (hidden ones, like `.DS_Store`, left out). A missing path is an error."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = (p for p in path.rglob("*") if p.is_file() and not is_hidden(p, path))
            files.extend(sorted(found))
        elif path.is_file():
            files.append(path)
        else:
            raise BackIssueError("no such file or directory", source=str(path))
    return list(dict.fromkeys(files))


def is_hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)
