"""Saving parsed back-issue files: their items, the items' old addresses and flat pages.

Each item is recognised by its source reference (a WXR guid, else a fingerprint of what
identifies it) and carries a hash of what the import wrote, so a re-run leaves unchanged items
untouched and an item an editor has changed since is kept unless `overwrite` says otherwise.

- `files`: the entry point, `write_file` (and `write_files`, several files in one transaction);
  `batching` groups a run's files into transactions.
- `options`, `report`: what the command asks, and what it is told of each file.
- `items`: what each item of a file is planned as (`plans`), and the rows and parts built of it;
  `matching`: how an item finds the site's row; `saving`, `bulk`: the rows written in bulk.
- `rows_by_name`: people, publications and tags found by name, or added; `slugs` for new rows.
- `figures`: figures and their image files; `pages`: flat pages; `old_addresses`: redirects.
- `validation`: rows checked as a form would; `search_index`: search entries merged in bulk.
"""

from backissues.writing.files import write_file, write_files
from backissues.writing.options import WriteOptions
from backissues.writing.report import KINDS, OUTCOMES, FileReport

__all__ = ["KINDS", "OUTCOMES", "FileReport", "WriteOptions", "write_file", "write_files"]
