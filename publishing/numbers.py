"""Whole numbers read from addresses and query strings, the one way every view reads them.

Only ASCII digits: `str.isdigit()` also takes "²", which `int()` refuses, and "٣", which it
reads as 3, a second spelling of an address that has one. And no larger than the largest 64-bit
integer, which is what PostgreSQL and SQLite store: a larger one is not a missing row to them
but an error (DataError on PostgreSQL, OverflowError on SQLite).
"""

LARGEST = 2**63 - 1


def whole_number(text: str | None) -> int | None:
    """`text` as a number from 0 to LARGEST, or None when it is not one."""
    if not text or not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if number <= LARGEST else None
