"""What in a page could run script, found the way a browser parses it (html5lib).

`findings(html)` lists each executable form: a script element other than our own static files
and JSON-LD, an event-handler attribute, a link or source with a scripting or data scheme,
frames, plugins, SVG and MathML (which carry scripts of their own), styles that load code,
a <base> or a meta refresh. Our templates use none of these, so any one found came from
content.
"""

import json
import re

import html5lib

URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "data", "poster", "background", "cite", "srcdoc"}
    | {"codebase", "dynsrc", "lowsrc", "ping", "srcset", "xlink:href", "manifest", "icon"}
)
FORBIDDEN_ELEMENTS = frozenset(
    {"iframe", "frame", "frameset", "object", "embed", "applet", "svg", "math", "base"}
    | {"portal", "style", "template"}
)
RUNNING_SCHEMES = ("javascript:", "vbscript:", "livescript:", "data:")
# As the URL standard reads an address: C0 controls and spaces around it are dropped, and tabs
# and line breaks anywhere in it ("java\tscript:" is javascript:).
_AROUND = "".join(map(chr, range(0x21)))
_ANYWHERE = re.compile(r"[\t\n\r]")
_CODE_IN_STYLE = re.compile(r"expression\s*\(|javascript:|vbscript:|behavio(u)?r\s*:|@import", re.I)


def local_name(name: str) -> str:
    """A tag or attribute name without its namespace; xlink's href keeps its prefix."""
    if name.startswith("{http://www.w3.org/1999/xlink}"):
        return "xlink:" + name.rsplit("}", 1)[1]
    return name.rsplit("}", 1)[-1].lower()


def runs_script(url: str) -> bool:
    """Whether a browser would read `url` (entities already decoded) as a running scheme."""
    return _ANYWHERE.sub("", url.strip(_AROUND)).lower().startswith(RUNNING_SCHEMES)


def findings(html: str, fragment: bool = False) -> list[str]:
    parse = html5lib.parseFragment if fragment else html5lib.parse
    root = parse(html, namespaceHTMLElements=False)
    found = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue  # a comment
        tag = local_name(element.tag)
        if tag == "script":
            found += script_findings(element)
        elif tag in FORBIDDEN_ELEMENTS:
            found.append(f"<{tag}> element")
        elif tag == "meta" and element.get("http-equiv", "").lower() == "refresh":
            found.append("meta refresh")
        elif tag == "link" and not is_our_link(element):
            found.append(f"<link> to {element.get('href')!r}")
        for name, value in element.attrib.items():
            attribute = local_name(name)
            if attribute.startswith("on"):
                found.append(f"<{tag} {attribute}=...> event handler")
            elif attribute in URL_ATTRIBUTES and runs_script(value):
                found.append(f"<{tag} {attribute}={value!r}>")
            elif attribute == "style" and _CODE_IN_STYLE.search(value):
                found.append(f"<{tag} style={value!r}>")
    return found


def script_findings(element) -> list[str]:
    text = element.text or ""
    if element.get("type") == "application/ld+json":
        if "</script" in text.lower() or "<!--" in text:
            return ["JSON-LD holding </script or <!--"]
        try:
            json.loads(text)
        except ValueError:
            return ["JSON-LD that is not JSON"]
        return []
    if element.get("src", "").startswith("/static/") and not text.strip():
        return []
    return [f"<script> {text[:60]!r}"]


def is_our_link(element) -> bool:
    rel = element.get("rel", "").lower().split()
    href = element.get("href", "")
    if runs_script(href):
        return False
    if "stylesheet" in rel or "import" in rel or "preload" in rel:
        return href.startswith("/static/")
    return True
