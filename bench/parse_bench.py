"""Speed of the back-issue parsers on hostile and large input, against their targets.

    .venv/bin/python bench/parse_bench.py [--skip-big] [--json]

Times, in this process: shortcodes stripped from 20,000 unclosed brackets, Markdown made of
about 5 MB of HTML, and the WordPress theme unit test data parsed (from ../shared/wxr/, when
present); then, in a process of its own (tests/support/big_export.py), a 100 MB export of
which 10 MB are posts parsed, unless --skip-big. Prints the seconds of each beside its target,
and exits non-zero when one is over its target or nothing was measured. The unit tests check
what these parsers produce; this bench measures how long they take.
"""

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import benchsetup

THEME_DATA = benchsetup.ROOT.parent / "shared" / "wxr" / "themeunittestdata.wordpress.xml"
TARGETS = {"shortcodes": 2, "markdown_5_mb": 20, "theme_data": 5, "export_100_mb": 120}


def timed(call) -> float:
    started = time.perf_counter()
    call()
    return round(time.perf_counter() - started, 2)


def in_process() -> dict[str, float]:
    benchsetup.setup_django()
    from backissues.formats.wxr import parse_wxr
    from backissues.parsing.html_text import extract_shortcodes, html_to_markdown

    paragraph = "<p>" + "Sanctions and oil. " * 50 + "</p>\n"
    figures = {
        "shortcodes": timed(lambda: extract_shortcodes("[caption id=1] [embed] " * 20_000)),
        "markdown_5_mb": timed(lambda: html_to_markdown(paragraph * 5_000)),
    }
    if THEME_DATA.exists():
        figures["theme_data"] = timed(lambda: parse_wxr(THEME_DATA, THEME_DATA.name))
    else:
        print(f"no {THEME_DATA}: the theme data is left out", file=sys.stderr)
    return figures


def big_export() -> float:
    """Seconds to parse a 100 MB export, as the parser's process itself measured them."""
    with tempfile.TemporaryDirectory() as folder:
        command = [sys.executable, "-m", "tests.support.big_export", str(Path(folder, "big.xml"))]
        done = subprocess.run(
            [*command, "500", "4700"], capture_output=True, text=True, cwd=benchsetup.ROOT
        )
    if done.returncode != 0:
        raise SystemExit(f"the 100 MB export failed to parse:\n{done.stderr[-3000:]}")
    return round(float(done.stdout.split()[-1]), 2)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skip-big", action="store_true", help="leave out the 100 MB export")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    figures = in_process()
    if not args.skip_big:
        figures["export_100_mb"] = big_export()
    if not figures:
        raise SystemExit("nothing was measured")
    over = [name for name, seconds in figures.items() if seconds > TARGETS[name]]
    if args.json:
        print(json.dumps({"seconds": figures, "targets": TARGETS, "over": over}))
    else:
        for name, seconds in figures.items():
            print(f"{name:14} {seconds:>7} s   target {TARGETS[name]} s")
    if over:
        print("OVER TARGET: " + ", ".join(over), file=sys.stderr)
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
