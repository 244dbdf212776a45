"""A WordPress export of about 100 MB parsed in a process of its own, which then prints what
it found and what it cost: posts read, file size, peak memory and seconds.

    python -m tests.support.big_export PATH POSTS SKIPPED_ITEMS

Each post carries about 20 KB of text; the skipped items (menu entries, as an export holds
many) are as big, so most of the file is read past. Run in its own process so that the peak
is the parser's, not a test runner's.
"""

import os
import sys
import time

BODY = "<p>" + "Oil, ports and sanctions in an invented region. " * 40 + "</p>\n\n"
ITEM = (
    "<item><title>Item {n}</title><link>https://e.example/{n}/</link>"
    "<guid>https://e.example/?p={n}</guid><content:encoded><![CDATA[" + BODY * 10 + "]]>"
    "</content:encoded><wp:post_id>{n}</wp:post_id><wp:post_type>{type}</wp:post_type>"
    "<wp:status>publish</wp:status><wp:post_date_gmt>2020-01-01 00:00:00</wp:post_date_gmt>"
    "</item>\n"
)


def write_export(path: str, posts: int, skipped: int) -> None:
    with open(path, "w") as out:
        out.write(
            '<rss version="2.0" xmlns:wp="https://wordpress.org/export/1.2/" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><wp:wxr_version>1.2</wp:wxr_version>\n'
        )
        for n in range(posts + skipped):
            kind = "post" if n < posts * 10 and n % 10 == 0 else "nav_menu_item"
            out.write(ITEM.replace("{n}", str(n)).replace("{type}", kind))
        out.write("</channel></rss>\n")


def peak_bytes() -> int:
    # VmHWM starts afresh at exec; ru_maxrss would carry the forking process's peak.
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) * 1024


def main() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    django.setup()
    from backissues.formats.wxr import parse_wxr

    path, posts, skipped = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    write_export(path, posts, skipped)
    started = time.perf_counter()
    parsed = parse_wxr(path, "big.xml")
    seconds = time.perf_counter() - started
    print(len(parsed.articles), os.path.getsize(path), peak_bytes(), seconds)


if __name__ == "__main__":
    main()
