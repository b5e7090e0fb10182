#!/usr/bin/env python3
"""gallery-test.py OUT [SCREENSHOT] -- open OUT/index.html in headless Chromium and check it.

Run from the project venv (.cache/venv/bin/python; make gallery-quick does): Playwright drives Debian's Chromium
($CHROMIUM, default /usr/bin/chromium; Playwright never downloads a browser). Checks: the page loads; no console
error, uncaught exception or failed request; no request leaves the machine (only file: and data: URLs); every
<img> is displayed (naturalWidth > 0); every link resolves (a local file that exists, or an anchor on the page).
Then it opens every linked notebook page with the same checks (their require.js and MathJax must come from
OUT/assets), and saves a screenshot of the gallery (default OUT/gallery.png). Exits 1, listing every problem, if
any check fails.
"""
import json
import os
import sys
import urllib.parse

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
VIEWPORT = {"width": 1280, "height": 1600}


class Watch:
    """What a page reported while it loaded: console errors, uncaught exceptions, failed and non-local requests."""

    def __init__(self, page):
        self.where, self.problems = "", []
        page.on("console", self.console)
        page.on("pageerror", lambda err: self.problems.append(f"{self.where}: uncaught exception: {err}"))
        page.on("request", self.request)
        page.on("requestfailed", self.failed)
        # A request that would leave the machine is reported (above) and never sent.
        page.route(lambda url: urllib.parse.urlparse(url).scheme not in ("file", "data"), lambda route: route.abort())

    def console(self, msg):
        # Chromium's log entries (a resource that failed to load, a blocked request) come here too, as errors.
        if msg.type in ("error", "assert"):
            url = (msg.location or {}).get("url", "")
            self.problems.append(f"{self.where}: console {msg.type}: {msg.text}" + (f" ({url})" if url else ""))

    def request(self, req):
        if urllib.parse.urlparse(req.url).scheme not in ("file", "data"):
            self.problems.append(f"{self.where}: request to a non-local URL: {req.url}")

    def failed(self, req):
        # A request the page itself cancels (net::ERR_ABORTED) is not a failure, as with DevTools' "canceled";
        # nor is one aborted above (net::ERR_FAILED), already reported as non-local.
        if "ERR_ABORTED" not in (req.failure or "") and urllib.parse.urlparse(req.url).scheme in ("file", "data"):
            self.problems.append(f"{self.where}: a request failed: {req.failure} ({req.url})")


def visit(page, watch, url, where):
    """Loads url and returns the problems it reported, including late ones (a second to settle: MathJax)."""
    watch.where, watch.problems = where, []
    try:
        page.goto(url, wait_until="load", timeout=60000)
    except Exception as e:  # a page that does not load is one problem among the others
        watch.problems.append(f"{where}: did not load: {str(e).splitlines()[0]}")
        return watch.problems
    page.wait_for_timeout(1000)
    return list(watch.problems)


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__.split("\n")[0])
    out = os.path.abspath(sys.argv[1])
    shot = sys.argv[2] if len(sys.argv) > 2 else os.path.join(out, "gallery.png")
    index = os.path.join(out, "index.html")
    if not os.path.exists(index):
        sys.exit(f"gallery-test: {index} does not exist: run cmd/gallery first")
    if not os.access(CHROMIUM, os.X_OK):
        sys.exit(f"gallery-test: {CHROMIUM} not found: install Debian's chromium (make browser does, as root) or set CHROMIUM")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sys.exit(f"gallery-test: {sys.executable} cannot import playwright: run me with the project venv, "
                 ".cache/venv/bin/python (make venv)")

    problems = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport=VIEWPORT)
            watch = Watch(page)
            problems += visit(page, watch, "file://" + index, "index.html")
            imgs = page.evaluate("[...document.images].map(i => ({src: i.getAttribute('src'), w: i.naturalWidth, done: i.complete}))")
            if not imgs:
                problems.append("index.html: no image on the page")
            for i in imgs:
                if not i["done"] or i["w"] <= 0:
                    problems.append(f"index.html: image {i['src']} is not displayed (naturalWidth {i['w']})")
            hrefs = page.evaluate("[...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))")
            pages = []
            for h in hrefs:
                if h.startswith("#"):
                    if not page.evaluate(f"document.getElementById({json.dumps(h[1:])}) !== null"):
                        problems.append(f"index.html: link {h} names no element")
                    continue
                u = urllib.parse.urlparse(h)
                if u.scheme or u.netloc:
                    problems.append(f"index.html: link {h} leaves the gallery folder")
                    continue
                target = os.path.normpath(os.path.join(out, urllib.parse.unquote(u.path)))
                if not os.path.exists(target):
                    problems.append(f"index.html: link {h} does not resolve ({target} missing)")
                elif target.endswith(".html"):
                    pages.append(target)
            title = page.evaluate("document.title")
            page.screenshot(path=shot)  # the window, 1280x1600, at the top of the gallery
            for p in pages:
                problems += visit(page, watch, "file://" + p, os.path.relpath(p, out))
            print(f"gallery-test: {title!r}: {len(imgs)} images, {len(hrefs)} links, {len(pages)} notebook pages opened; screenshot {shot}")
        finally:
            browser.close()
    if problems:
        print("gallery-test: FAIL\n  " + "\n  ".join(problems))
        sys.exit(1)
    print("gallery-test: PASS (page loads, every image displayed, no console error, no non-local request, every link resolves)")


if __name__ == "__main__":
    main()
