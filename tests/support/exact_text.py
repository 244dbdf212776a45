"""Text that must reach readers exactly, and what a reader's browser shows of its <pre> blocks."""

import html
import re

from hypothesis import strategies as st

# Printable characters of any script (no controls, surrogates, private or unassigned points).
_CHARACTERS = st.characters(exclude_categories=("Cc", "Cs", "Co", "Cn"))
# What a line may start with that Markdown, HTML or our fences would read as markup.
LINE_STARTS = [
    *["", " ", "    ", "\t", "\t\t", " \t ", "# ", "#", "### ", "- ", "-", "* ", "+ ", "1. "],
    *["2) ", "> ", ">", "> > ", "```", "````", "``` x", "~~~", "===", "---", "\\", "\\\\", "\\#"],
    *["<", "</pre>", "<b>", "&", "&amp;", "&lt;", "]]>", "|", "[a](b)", "*x*", "_x_", "`x`"],
]
_LINE = st.tuples(
    st.sampled_from(LINE_STARTS),
    st.text(st.one_of(_CHARACTERS, st.sampled_from(" \t<>&\\`*_#")), max_size=30),
    st.sampled_from(["", " ", "  ", "\t"]),
).map("".join)
PREFORMATTED = st.lists(_LINE, min_size=1, max_size=8).map("\n".join)

_PRE = re.compile(r"<pre><code>(.*?)</code></pre>", re.DOTALL)


def preformatted_shown(rendered: str) -> list[str]:
    """The text of each <pre><code> block in rendered HTML, as a browser shows it."""
    return [html.unescape(code) for code in _PRE.findall(rendered)]
