"""Fenced code blocks whose text reaches readers exactly: tabs, spaces and blank lines kept.

Python-Markdown expands tabs and empties blank-looking lines of the whole text before any
block is read, so fences are taken out first. A fence is a line of three or more backticks at
the start of a line (or of a quoted line), alone or with one word; it ends at a backtick line
at least as long, or, as in CommonMark, at the end of the text or of its quote. Every line is
read once.
"""

import html
import re

from markdown import Extension
from markdown.preprocessors import NormalizeWhitespace

# The fence may name a language in one word; a line going on in words is prose that happens to
# start with backticks, not a fence.
_OPENING = re.compile(r"(?P<quote>(?:> ?)*)(?P<fence>`{3,})[ \t]*[^`\s]*[ \t]*")


class _ExactCodeBlocks(NormalizeWhitespace):
    """Markdown's whitespace normalising, for the text between fenced code blocks only."""

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines).replace("\r\n", "\n").replace("\r", "\n")
        lines = text.split("\n")
        result: list[str] = []
        prose: list[str] = []
        index = 0
        while index < len(lines):
            opening = _OPENING.fullmatch(lines[index])
            if opening is None:
                prose.append(lines[index])
                index += 1
                continue
            code, index = _code_until_closing(lines, index + 1, opening)
            result += super().run(prose)[:-2]  # without the blank lines it adds at the end
            prose = []
            quote = opening.group("quote")
            placeholder = self.md.htmlStash.store(f"<pre><code>{_escape(code)}</code></pre>")
            result += ["", quote + placeholder, ""]
        return result + super().run(prose)


def _code_until_closing(lines: list[str], start: int, opening: re.Match) -> tuple[str, int]:
    """The code's text from line `start`, and the index of the first line after the block."""
    quote, fence = opening.group("quote"), opening.group("fence")
    closing = re.compile(re.escape(quote) + f"`{{{len(fence)},}}[ \t]*")
    code = []
    index = start
    for index in range(start, len(lines)):
        line = lines[index]
        if closing.fullmatch(line):
            return "\n".join(code), index + 1
        if line.startswith(quote):
            code.append(line[len(quote) :])
        elif quote and line == quote.rstrip():
            code.append("")
        else:  # the quote ends, and the block with it
            return "\n".join(code), index
    return "\n".join(code), len(lines)


def _escape(code: str) -> str:
    # Markdown's placeholders are plain characters the normalising would have removed.
    return html.escape(code.replace("\x02", "").replace("\x03", ""), quote=False)


class ExactCodeBlocks(Extension):
    """Replaces Markdown's whitespace normalising with one that leaves fenced code as written."""

    def extendMarkdown(self, md) -> None:  # noqa: N802 (Markdown's name)
        md.preprocessors.register(_ExactCodeBlocks(md), "normalize_whitespace", 30)


def fenced(code: str) -> str:
    """`code` as a fenced block this renderer gives back exactly: its fence is longer than
    any run of backticks in it."""
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}\n{code}\n{fence}"
