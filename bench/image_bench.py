"""Cost of an uploaded photo's renditions, and what a phone downloads for a briefing page.

    .venv/bin/python bench/image_bench.py [--json] [--no-browser]

1. Renditions: a 24-megapixel (6000 × 4000) JPEG, made here with photo-like content (smooth
   shapes, gradients and grain), is checked and stored as an upload is (`check_image`, then
   `store_image`: orientation, re-encoding, every rendition), in a fresh child process so its
   peak resident memory is this work's alone. Prints the time, the peak memory, and the bytes
   of WebP, AVIF and JPEG renditions at each width.
2. Page weight: the newest demo briefing gets a 4,000-pixel lead image; the page is served
   by a local server, and headless Chromium (/usr/bin/chromium, driven over DevTools) loads it
   emulating a phone: a 375-pixel wide viewport at device pixel ratio 2. Every byte the
   server sends is counted: HTML, CSS, images, and whatever else the browser asks for (all
   uncompressed: no gzip). Without Chromium (or with --no-browser) the image is chosen by the
   rule the browser follows: the first <source> whose type it supports (AVIF in current
   Chromium), and of its srcset the narrowest candidate at least as wide as the slot `sizes`
   gives at that viewport (375 px less the page's 2.5rem padding = 335 CSS px) times the
   pixel ratio (670 device pixels).
3. The home page the same way, its cards showing the demo's thumbnails: Chromium loads those
   its lazy loading reaches; by rule, every card's thumbnail counts (its `src`, the narrowest
   rendition, which a 7rem slot at DPR 2 takes), an upper bound.
"""

import argparse
import contextlib
import fcntl
import io
import json
import mimetypes
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, make_server

import benchsetup

ROOT = Path(__file__).resolve().parent.parent
PHOTO_SIZE = (6000, 4000)
LEAD_SIZE = (4000, 2250)
VIEWPORT, PIXEL_RATIO, PADDING_PX = 375, 2, 40
PAGE_BUDGET = 300 * 1024
CHROMIUM = "/usr/bin/chromium"


def setup_django(scratch: Path) -> None:
    os.environ.pop("AWS_STORAGE_BUCKET_NAME", None)
    benchsetup.setup_django(
        ENV_FILE=os.devnull,
        DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",  # the local server speaks plain HTTP
        DATABASE_URL=f"sqlite:///{scratch / 'bench.sqlite3'}",
        MEDIA_ROOT=str(scratch / "media"),
        STATIC_ROOT=str(ROOT / "static"),
    )


def photo_jpeg(width: int, height: int) -> bytes:
    """Photo-like content: blurred shapes and gradients with fine grain, as a camera would give,
    rather than pure noise (which no encoder can shrink) or flat colour (which any can)."""
    from PIL import Image, ImageChops, ImageFilter

    small = (max(1, width // 60), max(1, height // 60))
    channels = []
    for sigma in (90, 70, 80):
        blobs = Image.effect_noise(small, sigma).resize((width, height), Image.Resampling.BICUBIC)
        gradient = Image.linear_gradient("L").resize((width, height))
        channels.append(ImageChops.blend(blobs, gradient, 0.35))
    base = Image.merge("RGB", channels).filter(ImageFilter.GaussianBlur(2))
    grain = Image.effect_noise((width, height), 12).convert("RGB")
    image = ImageChops.add(base, grain, scale=1.0, offset=-12)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def peak_rss_mb() -> float:
    """This process's peak resident memory. VmHWM starts afresh at exec; ru_maxrss would carry
    the parent's peak, which made the photo, into the child."""
    status = Path("/proc/self/status")
    if status.exists():
        found = re.search(r"VmHWM:\s+(\d+) kB", status.read_text())
        if found:
            return int(found.group(1)) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


# --- 1. Renditions, in a child process ------------------------------------------------------


def renditions_child(photo_path: str) -> None:
    scratch = Path(tempfile.mkdtemp(prefix="image-bench-child-"))
    try:
        setup_django(scratch)
        from django.core.files import File
        from django.core.files.storage import FileSystemStorage

        from images.checks import check_image
        from images.stored import store_image

        storage = FileSystemStorage(location=scratch / "media")
        baseline = peak_rss_mb()
        with open(photo_path, "rb") as file:
            started = time.perf_counter()
            check_image(File(file))
            checked = time.perf_counter()
            stored = store_image(storage, "figures/bench/photo.jpg", File(file))
            done = time.perf_counter()
        sizes = {
            f"{r['type'].split('/')[1]} {r['width']}w": storage.size(r["name"])
            for r in stored.renditions
        }
        print(
            json.dumps(
                {
                    "check_seconds": round(checked - started, 2),
                    "store_and_renditions_seconds": round(done - checked, 2),
                    "total_seconds": round(done - started, 2),
                    "renditions": len(stored.renditions),
                    "peak_rss_mb": round(peak_rss_mb(), 1),
                    "baseline_rss_mb": round(baseline, 1),
                    "original_bytes": storage.size(stored.name),
                    "rendition_bytes": sizes,
                }
            )
        )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def measure_renditions(scratch: Path) -> dict:
    photo = scratch / "photo-24mp.jpg"
    photo.write_bytes(photo_jpeg(*PHOTO_SIZE))
    result = subprocess.run(
        [sys.executable, __file__, "--child", str(photo)],
        capture_output=True,
        text=True,
        check=True,
    )
    measured = json.loads(result.stdout.strip().splitlines()[-1])
    measured["source_bytes"] = photo.stat().st_size
    measured["source_size"] = "{} x {}".format(*PHOTO_SIZE)
    return measured


# --- 2. Page weight -------------------------------------------------------------------------


class CountingServer:
    """The site (static and media files too) on a local port, counting the bytes it sends."""

    def __init__(self, media_root: Path):
        from django.core.wsgi import get_wsgi_application

        self.django = get_wsgi_application()
        self.media_root = media_root
        self.sent: list[tuple[str, int]] = []
        self.server = make_server("127.0.0.1", 0, self.app, handler_class=QuietHandler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def app(self, environ, start_response):
        path = environ["PATH_INFO"]
        folders = {"/static/": ROOT / "static", "/media/": self.media_root}
        for prefix, folder in folders.items():
            if path.startswith(prefix):
                body = self.file(folder / path[len(prefix) :], start_response)
                break
        else:
            body = b"".join(self.django(environ, start_response))
        self.sent.append((path, len(body)))
        return [body]

    def file(self, path: Path, start_response) -> bytes:
        if not path.is_file():
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return b"not found"
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        start_response("200 OK", [("Content-Type", kind)])
        return path.read_bytes()

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def briefing_with_lead_image() -> str:
    from django.core.files.base import ContentFile
    from django.core.management import call_command

    from briefings.models import Briefing, Figure

    call_command("migrate", verbosity=0)
    call_command("load_demo_content", stdout=io.StringIO())
    briefing = Briefing.objects.published().order_by("-published_at").first()
    figure = Figure.objects.filter(briefing=briefing).first() or Figure(briefing=briefing)
    figure.image = ContentFile(photo_jpeg(*LEAD_SIZE), name="lead-4000.jpg")
    figure.alt = figure.alt or "Cranes over a container port"
    figure.save()
    return briefing.get_absolute_url()


def chosen_by_rule(html: str) -> list[str]:
    """The images a browser takes (see the module's docstring): the lead <picture>'s
    candidate, and each card thumbnail's `src`."""
    chosen = re.findall(r'<img class="card-image" src="([^"]+)"', html)
    picture = re.search(r"<picture>(.*?)</picture>", html, re.S)
    if picture is None:
        return chosen
    srcset = re.search(r'srcset="([^"]+)"', picture.group(1)).group(1)
    needed = (VIEWPORT - PADDING_PX) * PIXEL_RATIO
    candidates = sorted(
        (int(width), url) for url, width in re.findall(r"(\S+) (\d+)w", srcset.replace(",", " "))
    )
    lead = next((url for width, url in candidates if width >= needed), candidates[-1][1])
    return [lead, *chosen]


class DevTools:
    """Chromium driven through the DevTools protocol on a pipe (fds 3 and 4, messages ended by
    NUL), which needs neither chromedriver nor a WebSocket client."""

    def __init__(self, profile: Path):
        to_browser_r, self.to_browser = high_fds(os.pipe())
        self.from_browser, from_browser_w = high_fds(os.pipe())
        args = ["--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe"]
        command = [CHROMIUM, *args, f"--user-data-dir={profile}", "about:blank"]
        self.process = spawn_with_fds(command, {3: to_browser_r, 4: from_browser_w})
        os.close(to_browser_r)
        os.close(from_browser_w)
        self.next_id, self.buffer, self.events = 0, b"", []

    def send(self, method: str, session: str | None = None, **params) -> dict:
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self.to_browser, json.dumps(message).encode() + b"\0")
        while True:
            reply = self.receive()
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def receive(self) -> dict:
        while b"\0" not in self.buffer:
            chunk = os.read(self.from_browser, 65536)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def wait_for(self, event: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while not any(e.get("method") == event for e in self.events):
            if time.monotonic() > deadline:
                raise RuntimeError(f"no {event} within {timeout} s")
            self.events.append(self.receive())

    def close(self) -> None:
        with contextlib.suppress(RuntimeError):  # it may close the pipe before answering
            self.send("Browser.close")
        self.process.wait(timeout=30)
        os.close(self.to_browser)
        os.close(self.from_browser)


def high_fds(fds: tuple[int, int]) -> tuple[int, int]:
    """The pipe's ends moved above 10, clear of the fds 3 and 4 the browser expects them at."""
    moved = tuple(fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in fds)
    for fd in fds:
        os.close(fd)
    return moved


def spawn_with_fds(command: list[str], fds: dict[int, int]) -> subprocess.Popen:
    """Start `command` with `fds` at the given numbers, putting this process's own back after:
    the database or the server's socket may be using them here. Call it before threads start."""
    saved = {}
    for number in fds:
        try:
            saved[number] = os.dup(number)
        except OSError:  # not open here
            saved[number] = None
    try:
        for number, fd in fds.items():
            os.dup2(fd, number)
        return subprocess.Popen(
            command, pass_fds=tuple(fds), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
    finally:
        for number, copy in saved.items():
            if copy is None:
                os.close(number)
            else:
                os.dup2(copy, number)
                os.close(copy)


def load_in_chromium(browser: DevTools, url: str) -> str:
    """Load the page as a phone would. Chromium's headless window is at least 500 pixels wide,
    so the phone's screen (375 × 812 CSS px at DPR 2) is emulated through DevTools."""
    target = browser.send("Target.createTarget", url="about:blank")["targetId"]
    session = browser.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
    browser.send(
        "Emulation.setDeviceMetricsOverride",
        session,
        width=VIEWPORT,
        height=812,
        deviceScaleFactor=PIXEL_RATIO,
        mobile=True,
    )
    browser.send("Network.enable", session)
    browser.send("Network.setCacheDisabled", session, cacheDisabled=True)
    browser.send("Page.enable", session)
    browser.events.clear()
    browser.send("Page.navigate", session, url=url)
    browser.wait_for("Page.loadEventFired")
    time.sleep(0.5)  # a late request (the icon) may follow the load event
    script = "innerWidth + ' x ' + innerHeight + ' CSS px, DPR ' + devicePixelRatio"
    return browser.send("Runtime.evaluate", session, expression=script)["result"]["value"]


def measure_page(scratch: Path, use_browser: bool, url: str) -> dict:
    use_browser = use_browser and Path(CHROMIUM).exists()
    server = CountingServer(scratch / "media")
    browser = DevTools(scratch / "chromium-profile") if use_browser else None
    with server:
        if browser:
            try:
                viewport = load_in_chromium(browser, server.url + url)
            finally:
                browser.close()
            method = f"headless Chromium, viewport {viewport}"
        else:
            import urllib.request

            html = urllib.request.urlopen(server.url + url).read().decode()
            for link in [
                re.search(r'href="(/static/css/[^"]+)"', html).group(1),
                *chosen_by_rule(html),
            ]:
                urllib.request.urlopen(server.url + link).read()
            method = f"srcset rule, {VIEWPORT} px viewport, DPR {PIXEL_RATIO}"
    total = sum(size for _, size in server.sent)
    if total == 0 or len(server.sent) < 2:
        raise RuntimeError(f"{url}: nothing measured ({server.sent})")
    return {
        "method": method,
        "page": url,
        "requests": [{"path": path, "bytes": size} for path, size in server.sent],
        "total_bytes": total,
        "budget_bytes": PAGE_BUDGET,
        "within_budget": total < PAGE_BUDGET,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--no-browser", action="store_true", help="pick the image by rule")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        renditions_child(args.child)
        return
    scratch = Path(tempfile.mkdtemp(prefix="image-bench-"))
    try:
        renditions = measure_renditions(scratch)
        setup_django(scratch)
        briefing = briefing_with_lead_image()
        pages = [measure_page(scratch, not args.no_browser, url) for url in [briefing, "/"]]
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if args.json:
        print(json.dumps({"renditions": renditions, "pages": pages}, indent=2))
        return
    report(renditions, pages)


def report(renditions: dict, pages: list[dict]) -> None:
    sizes = renditions["rendition_bytes"]
    print(f"Renditions of a {renditions['source_size']} JPEG ({renditions['source_bytes']:,} B)")
    print(f"  check (header, then one decode): {renditions['check_seconds']} s")
    print(
        f"  normalise + {renditions['renditions']} renditions: "
        f"{renditions['store_and_renditions_seconds']} s"
    )
    print(
        f"  peak memory: {renditions['peak_rss_mb']} MB resident "
        f"({renditions['baseline_rss_mb']} MB before)"
    )
    widths = sorted({int(key.split()[1][:-1]) for key in sizes})
    for width in widths:
        row = [
            f"{kind} {sizes[f'{kind} {width}w']:>9,} B"
            for kind in ("jpeg", "webp", "avif")
            if f"{kind} {width}w" in sizes
        ]
        print(f"  {width:>5} px: " + "   ".join(row))
    headings = [f"Briefing page with a {LEAD_SIZE[0]}-pixel lead image", "Home page, its cards"]
    for heading, page in zip(headings, pages, strict=True):
        print(f"{heading} ({page['method']})")
        for request in page["requests"]:
            print(f"  {request['bytes']:>9,} B  {request['path']}")
        verdict = "under" if page["within_budget"] else "OVER"
        print(f"  total {page['total_bytes']:,} B, {verdict} the {PAGE_BUDGET:,} B budget")


if __name__ == "__main__":
    main()
