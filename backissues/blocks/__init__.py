"""The parsers of one block of a back-issue page as text lines: a briefing, or an excerpt."""
