"""What the format parsers share: the parsed structures and the importer's error, and helpers
for lines, dates, people's names, publications' names, language and HTML."""
