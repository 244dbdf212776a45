"""The importer: the old site's back issues (text pages, saved HTML pages, WordPress exports)
read into parsed structures and written to the content apps. Nothing else imports it.

- `management/commands/import_backissues.py`: the command, over `reading` and `writing`.
- `reading`: one file in, one `parsing.parsed.ParsedFile` out; picks the format's parser and
  reads many files in parallel.
- `formats/`: one parser per source format: `textpage`, `htmlpage`, `wxr`.
- `blocks/`: the parsers of one block of page text, `briefings` and `excerpts`, which the
  three formats share.
- `parsing/`: the shared helpers: `parsed` (what a parse gives), `errors`, `lines`, `dates`,
  `names` (people in bylines), `publication_index` (publications by any spelling),
  `language`, `html_text` (HTML to text lines and Markdown).
- `writing/`: a parsed file saved in one transaction (`writing.write_file`); see its map.
"""
