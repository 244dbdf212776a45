"""One parser per source format, each giving a `ParsedFile`: text pages, saved HTML pages and
WordPress exports (WXR)."""
