"""Reading the old site's back issues: text pages, saved HTML pages and WordPress exports.

`reading.read_file` turns one file into a `parsed.ParsedFile`; `writer.write_file` saves it.
Each app parses its own block: `backissues.blocks.briefings` and `backissues.blocks.excerpts`.
"""
