"""A search as readers type it, read once, and written as the query of either database: a
PostgreSQL tsquery (`to_tsquery`) or an FTS5 query for SQLite's index (search migration 0003).

The syntax is PostgreSQL's web search (`websearch_to_tsquery`) with prefixes: words are AND'ed;
"a phrase" needs its words together; -word leaves out the items holding it; `or` takes either
side, binding loosest ("a b or c" is "a and b" or "c"); word* matches every word starting so.
Whatever is typed, the query written is well formed: every term goes in quoted, made of letters
and digits only, so either database's own syntax (FTS5's NEAR( and ^ and column filters,
tsquery's & | ! :, stray quotes) is read as words or dropped. On SQLite a search (or one side of
an `or`) of left-out terms alone finds nothing: FTS5 has no "everything but".

German: FTS5's stemmer is English only. A German item's words are matched by prefix, each
word of the query cut to a stem by a light stemmer first ("Verhandlungen" finds
"Verhandlung"); umlauts and accents are folded by the index ("Gesprache" finds "Gespräche").
"""

import re
from dataclasses import dataclass, field

# A term: an optional minus, then a quoted phrase (to the end if its quote is not closed) or
# anything up to a space or a quote.
TOKEN = re.compile(r'(-?)(?:"([^"]*)"?|([^\s"]+))')
# The letters and digits FTS5's unicode61 tokenizer keeps as words.
WORD = re.compile(r"[^\W_]+")

# Endings a German word loses before prefix matching, longest first (after Snowball's step 1).
GERMAN_ENDINGS = ("ern", "em", "en", "er", "es", "e", "s")
# A German word is matched by prefix, and its stem kept, from this many letters: shorter
# prefixes match unrelated words.
GERMAN_STEM_MIN = 4


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]
    prefix: bool = False  # the last word matches as a prefix (word*)
    quoted: bool = False


@dataclass
class Alternative:
    """Terms that must all be present, and terms that must not be."""

    wanted: list[Term] = field(default_factory=list)
    excluded: list[Term] = field(default_factory=list)


def parse(text: str) -> list[Alternative]:
    """The alternatives `text` asks for, any of which an item may match: `or` separates them,
    binding loosest, as in PostgreSQL ("a b or c" is "a and b" or "c")."""
    alternatives = [Alternative()]
    for minus, phrase, bare in TOKEN.findall(text):
        current = alternatives[-1]
        if not minus and bare.lower() == "or":
            if current.wanted or current.excluded:
                alternatives.append(Alternative())
            continue
        words = tuple(WORD.findall(phrase or bare))
        if words:
            term = Term(words, prefix=bare.endswith("*"), quoted=bool(phrase))
            (current.excluded if minus else current.wanted).append(term)
    return alternatives


def german_stem(word: str) -> str:
    word = word.lower()
    for ending in GERMAN_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= GERMAN_STEM_MIN:
            return word[: -len(ending)]
    return word


def fts5_term(term: Term, german: bool) -> str:
    words, prefix = term.words, term.prefix
    if german and len(words) == 1 and not term.quoted and len(words[0]) >= GERMAN_STEM_MIN:
        words, prefix = (german_stem(words[0]),), True
    return '"' + " ".join(words) + '"' + (" *" if prefix else "")


def tsquery_term(term: Term) -> str:
    words = [f"'{word}'" for word in term.words]
    if term.prefix:
        words[-1] += ":*"
    return "(" + " <-> ".join(words) + ")"


def tsquery_text(alternatives: list[Alternative]) -> str:
    """`alternatives` as `to_tsquery` text, '' when they hold no term."""
    written = []
    for alternative in alternatives:
        terms = [tsquery_term(term) for term in alternative.wanted]
        terms += [f"!{tsquery_term(term)}" for term in alternative.excluded]
        if terms:
            written.append("(" + " & ".join(terms) + ")")
    return " | ".join(written)


def alternative_expression(alternative: Alternative, german: bool) -> str:
    wanted = " AND ".join(fts5_term(term, german) for term in alternative.wanted)
    if not alternative.excluded:
        return f"({wanted})"
    excluded = " OR ".join(fts5_term(term, german) for term in alternative.excluded)
    return f"(({wanted}) NOT ({excluded}))"


def fts5_expression(alternatives: list[Alternative], german: bool = False) -> str | None:
    """The FTS5 query of `alternatives`, read for German items or others; None when none asks
    for a word to be present."""
    readable = [
        alternative_expression(alternative, german)
        for alternative in alternatives
        if alternative.wanted
    ]
    return " OR ".join(readable) or None
