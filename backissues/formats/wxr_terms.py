"""An export's categories and tags: those its channel declares and those its posts carry.

WordPress keeps a term whether or not a post uses it, so the import does too. A term is told by
its taxonomy and slug, never by its name: two categories named "Foo" with the slugs `foo` and
`foo-bar` stay two, and a category and a tag of one name stay apart.
"""

import html
from collections import Counter
from collections.abc import Callable, Iterable
from urllib.parse import unquote

from lxml import etree

from backissues.parsing.parsed import ParsedTerm

# The taxonomies imported; WXR 1.0 wrote tags on posts with the domain "tag", and repeated
# each category without a domain.
TAXONOMIES = {"category": "category", "post_tag": "post_tag", "tag": "post_tag", "": "category"}
# A channel element declaring a term: its fields' names, as (taxonomy or None, slug, name,
# parent, description); a None taxonomy is read from the element itself.
_DECLARATIONS = {
    "wp:category": (
        "category",
        "wp:category_nicename",
        "wp:cat_name",
        "wp:category_parent",
        "wp:category_description",
    ),
    "wp:tag": ("post_tag", "wp:tag_slug", "wp:tag_name", None, "wp:tag_description"),
    "wp:term": (None, "wp:term_slug", "wp:term_name", "wp:term_parent", "wp:term_description"),
}


def is_declaration(name: str) -> bool:
    return name in _DECLARATIONS


def term_name(text: str) -> str:
    """A term's name as WordPress shows it: entities decoded, backslashes and quotes kept."""
    return " ".join(html.unescape(text).split())


def term_slug(text: str) -> str:
    return unquote(text.strip())


class ExportTerms:
    """The terms met so far, in order, once each; and those of other taxonomies, counted."""

    def __init__(self) -> None:
        self.terms: dict[tuple[str, str], ParsedTerm] = {}
        self.other: Counter = Counter()  # taxonomy -> terms not imported
        self.seen: set[tuple[str, str]] = set()  # posts' (domain, nicename) read already

    def declared(self, name: str, element: etree._Element, names: Callable[[str], str]) -> None:
        """A channel's <wp:category>, <wp:tag> or <wp:term>."""
        fields = {names(child.tag): (child.text or "") for child in element if _is_element(child)}
        taxonomy, slug, label, parent, description = _DECLARATIONS[name]
        taxonomy = taxonomy or fields.get("wp:term_taxonomy", "").strip()
        self.add(
            taxonomy,
            fields.get(slug, ""),
            fields.get(label, ""),
            fields.get(parent, "") if parent else "",
            fields.get(description, ""),
        )

    def on_item(self, terms: Iterable[tuple[str, str, str]]) -> None:
        """A post's (domain, nicename, name) terms; those without a nicename repeat another, and
        other taxonomies (a post format) are counted with the post."""
        for domain, nicename, name in terms:
            if nicename and domain in TAXONOMIES and (domain, nicename) not in self.seen:
                self.seen.add((domain, nicename))  # most posts repeat terms met before
                self.add(domain, nicename, name)

    def add(
        self, taxonomy: str, slug: str, name: str, parent: str = "", description: str = ""
    ) -> None:
        kind = TAXONOMIES.get(taxonomy)
        slug, name = term_slug(slug), term_name(name)
        if kind is None:
            self.other[taxonomy or "none"] += 1
            return
        if not slug and not name:
            return
        key = (kind, slug or name.casefold())
        known = self.terms.get(key)
        if known is None:
            self.terms[key] = ParsedTerm(kind, slug, name, term_slug(parent), description.strip())
        elif not known.description and description.strip():  # a post's copy has none
            known.description = description.strip()

    def not_imported(self) -> Counter:
        return Counter({f"term of taxonomy {t}": n for t, n in self.other.items()})


def _is_element(node: etree._Element) -> bool:
    return isinstance(node.tag, str)
