#!/usr/bin/python3
"""gallery-test.py OUT [SCREENSHOT] -- open OUT/index.html in headless Chromium and check it.

Drives Debian's /usr/bin/chromium over the DevTools protocol (Debian package
python3-websocket). Checks: the page loads; no console error, uncaught
exception or failed request; no request leaves the machine (only file: and
data: URLs); every <img> is displayed (naturalWidth > 0); every link resolves
(a local file that exists, or an anchor on the page). Then it opens every
linked notebook page with the same checks (their require.js and MathJax must
come from OUT/assets), and saves a screenshot of the gallery (default
OUT/gallery.png). Exits 1, listing every problem, if any check fails.
"""
import base64, json, os, shutil, subprocess, sys, tempfile, time, urllib.parse, urllib.request

import websocket  # Debian: python3-websocket

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


class Page:
    def __init__(self, ws_url):
        self.ws = websocket.create_connection(ws_url, timeout=30)
        self.next_id, self.events = 0, []
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(domain + ".enable")

    def call(self, method, **params):
        self.next_id += 1
        mid = self.next_id
        self.ws.send(json.dumps({"id": mid, "method": method, "params": params}))
        self.ws.settimeout(60)  # wait() and drain() leave a short timeout behind
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == mid:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            self.events.append(msg)

    def wait(self, method, timeout=30):
        end = time.time() + timeout
        for i, e in enumerate(self.events):
            if e.get("method") == method:
                del self.events[: i + 1]
                return e
        while time.time() < end:
            self.ws.settimeout(max(0.1, end - time.time()))
            try:
                msg = json.loads(self.ws.recv())
            except websocket.WebSocketTimeoutException:
                break
            self.events.append(msg)
            if msg.get("method") == method:
                return msg
        raise TimeoutError(f"no {method} within {timeout}s")

    def drain(self, seconds):
        end = time.time() + seconds
        while time.time() < end:
            self.ws.settimeout(max(0.05, end - time.time()))
            try:
                self.events.append(json.loads(self.ws.recv()))
            except websocket.WebSocketTimeoutException:
                return

    def eval(self, expr):
        r = self.call("Runtime.evaluate", expression=expr, returnByValue=True, awaitPromise=True)
        return r["result"].get("value")


def problems_in(events, where):
    out = []
    for e in events:
        m, p = e.get("method"), e.get("params", {})
        if m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
            out.append(f"{where}: console error: " + " ".join(str(a.get("value", a.get("description", ""))) for a in p.get("args", [])))
        elif m == "Runtime.exceptionThrown":
            d = p.get("exceptionDetails", {})
            out.append(f"{where}: uncaught exception: {d.get('text')} {d.get('exception', {}).get('description', '')}")
        elif m == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
            en = p["entry"]
            out.append(f"{where}: {en.get('source')} error: {en.get('text')} {en.get('url', '')}")
        elif m == "Network.requestWillBeSent":
            url = p.get("request", {}).get("url", "")
            if urllib.parse.urlparse(url).scheme not in ("file", "data"):
                out.append(f"{where}: request to a non-local URL: {url}")
        elif m == "Network.loadingFailed" and not p.get("canceled"):
            out.append(f"{where}: a request failed: {p.get('errorText')} (request {p.get('requestId')})")
    return out


def visit(page, url, where):
    page.events.clear()
    page.call("Page.navigate", url=url)
    page.wait("Page.loadEventFired")
    page.drain(1.0)  # late console messages, MathJax
    return problems_in(page.events, where)


def main():
    out = os.path.abspath(sys.argv[1])
    shot = sys.argv[2] if len(sys.argv) > 2 else os.path.join(out, "gallery.png")
    index = os.path.join(out, "index.html")
    if not os.path.exists(index):
        sys.exit(f"gallery-test: {index} does not exist: run cmd/gallery first")
    if not os.path.exists(CHROMIUM):
        sys.exit(f"gallery-test: {CHROMIUM} not found: install Debian's chromium (make setup does, as root)")
    profile = tempfile.mkdtemp(prefix="gallery-test-")
    proc = subprocess.Popen([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                             "--no-first-run", "--disable-extensions", "--remote-debugging-port=0",
                             "--user-data-dir=" + profile, "--window-size=1280,1600", "about:blank"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    problems = []
    try:
        port_file = os.path.join(profile, "DevToolsActivePort")
        for _ in range(300):
            if os.path.exists(port_file) and open(port_file).read().strip():
                break
            time.sleep(0.1)
        port = open(port_file).read().split()[0]
        targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list"))
        page = Page(next(t for t in targets if t["type"] == "page")["webSocketDebuggerUrl"])

        problems += visit(page, "file://" + index, "index.html")
        imgs = page.eval("[...document.images].map(i => ({src: i.getAttribute('src'), w: i.naturalWidth, done: i.complete}))")
        if not imgs:
            problems.append("index.html: no image on the page")
        for i in imgs:
            if not i["done"] or i["w"] <= 0:
                problems.append(f"index.html: image {i['src']} is not displayed (naturalWidth {i['w']})")
        hrefs = page.eval("[...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))")
        pages = []
        for h in hrefs:
            if h.startswith("#"):
                if not page.eval(f"document.getElementById({json.dumps(h[1:])}) !== null"):
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
        title = page.eval("document.title")
        page.call("Emulation.setDeviceMetricsOverride", width=1280, height=1600, deviceScaleFactor=1, mobile=False)
        data = page.call("Page.captureScreenshot", format="png")["data"]
        with open(shot, "wb") as f:
            f.write(base64.b64decode(data))
        for p in pages:
            problems += visit(page, "file://" + p, os.path.relpath(p, out))
        print(f"gallery-test: {title!r}: {len(imgs)} images, {len(hrefs)} links, {len(pages)} notebook pages opened; screenshot {shot}")
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(profile, ignore_errors=True)
    if problems:
        print("gallery-test: FAIL\n  " + "\n  ".join(problems))
        sys.exit(1)
    print("gallery-test: PASS (page loads, every image displayed, no console error, no non-local request, every link resolves)")


if __name__ == "__main__":
    main()
