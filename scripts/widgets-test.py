#!/usr/bin/python3
"""widgets-test.py [--notebook NB.ipynb] [--screenshot PNG] -- move a figure.Explorer's widgets in a real browser.

Starts a Jupyter Notebook server (classic UI, Debian's jupyter-notebook) on a free local port with the
project-local GoNB kernel (JUPYTER_DATA_DIR/JUPYTER_PATH = .cache/jupyter, .cache/bin on PATH, POINTWISE_QUICK=1,
figures written to a temporary folder), opens a notebook in headless Chromium over the DevTools protocol (as
scripts/gallery-test.py does), runs all its cells, and then, on the last Explorer of the page:

  - its live widgets appear (a slider and a menu), with the label and the plot above the image;
  - setting the slider to another value (value + input/change events, as a user's drag) redraws the plot in
    place: the <img> src changes and the label names the new value;
  - the same for the menu.

Before running the cells it works around, in the page, two races that can keep GoNB's widgets from connecting
(see ACK_SHIM; --no-shim leaves them) and prints how long the kernel took to acknowledge GoNB's websocket comm.

Without --notebook it runs a two-cell notebook written on the fly (an Explorer over sin(k x) with a slider and a
menu), which checks the Explorer's live path in about half a minute. With --notebook (for instance
notebooks/fig4-hard-points-chebyshev.ipynb) it runs that notebook in quick mode first, which takes as long as the
notebook does. Exits 1, saying which step failed, on any failure. Only processes it started are stopped.
"""
import argparse, base64, json, os, secrets, shutil, socket, subprocess, sys, tempfile, time, urllib.request

import websocket  # Debian: python3-websocket

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
PYTHON = os.environ.get("PYTHON", "/usr/bin/python3")

# The notebook of the default run: one Explorer with a slider and a menu.
SMALL = [
    "%goworkfix",
    """import (
	"fmt"
	"math"
	"time"

	"pointwise/lib/figure"
)

// draw plots f(k x) on [-1, 1] for f = sin or cos.
func draw(k, f int) ([]byte, error) {
	xs, ys := make([]float64, 201), make([]float64, 201)
	for i := range xs {
		xs[i] = -1 + float64(i)/100
		ys[i] = []func(float64) float64{math.Sin, math.Cos}[f](float64(k) * xs[i])
	}
	p := figure.NewPlot("widgets test", "x", "y")
	if err := figure.Line(p, "f(k x)", 0, xs, ys); err != nil {
		return nil, err
	}
	fig, err := figure.New("widgets-test", p)
	if err != nil {
		return nil, err
	}
	return fig.PNG()
}

%%
err := figure.Explorer{
	Controls: []figure.Control{
		{Label: "k", Min: 1, Max: 9, Default: 2, Format: func(k int) string { return fmt.Sprintf("%d (period %.2f)", k, 2*math.Pi/float64(k)) }},
		{Label: "f", Options: []string{"sin", "cos"}},
	},
	Draw: func(v []int) ([]byte, error) { return draw(v[0], v[1]) },
	Idle: 2 * time.Minute,
}.Run()
if err != nil {
	panic(err)
}""",
]


def small_notebook(path):
    cells = [{"cell_type": "code", "id": f"c{i}", "metadata": {}, "source": src, "outputs": [], "execution_count": None}
             for i, src in enumerate(SMALL)]
    nb = {"nbformat": 4, "nbformat_minor": 5, "cells": cells,
          "metadata": {"kernelspec": {"name": "gonb", "display_name": "Go (gonb)", "language": "go"},
                       "language_info": {"name": "go", "file_extension": ".go", "mimetype": "text/x-go"}}}
    with open(path, "w") as f:
        json.dump(nb, f)


class Page:
    """A Chromium tab driven over the DevTools protocol."""

    def __init__(self, ws_url):
        self.ws = websocket.create_connection(ws_url, timeout=30)
        self.next_id, self.events = 0, []
        for domain in ("Page", "Runtime"):
            self.call(domain + ".enable")

    def call(self, method, **params):
        self.next_id += 1
        mid = self.next_id
        self.ws.send(json.dumps({"id": mid, "method": method, "params": params}))
        self.ws.settimeout(60)
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == mid:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            self.events.append(msg)

    def eval(self, expr):
        r = self.call("Runtime.evaluate", expression=expr, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in r:
            raise RuntimeError(f"page script failed: {r['exceptionDetails'].get('text')} in {expr[:80]}")
        return r["result"].get("value")

    def until(self, expr, timeout, what):
        """Polls the JavaScript expression until it is truthy; returns its value."""
        end = time.time() + timeout
        while time.time() < end:
            v = self.eval(expr)
            if v:
                return v
            time.sleep(0.5)
        raise TimeoutError(f"{what}: not within {timeout:.0f} s")

    def console_errors(self):
        out = []
        for e in self.events:
            m, p = e.get("method"), e.get("params", {})
            if m == "Runtime.exceptionThrown":
                d = p.get("exceptionDetails", {})
                out.append(f"uncaught exception: {d.get('text')} {d.get('exception', {}).get('description', '')}")
            elif m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
                out.append("console error: " + " ".join(str(a.get("value", a.get("description", ""))) for a in p.get("args", [])))
        return out


# The last Explorer on the page: its label span (explore_<id>_label), the <img> beside it, and the widgets of
# the transient div just before it (the slider and the menu GoNB's widgets package creates).
STATE = """(() => {
  const labels = [...document.querySelectorAll('span[id^="explore_"][id$="_label"]')];
  if (!labels.length) return null;
  const label = labels[labels.length - 1];
  const img = label.parentElement.querySelector('img');
  const sliders = [...document.querySelectorAll('input[type=range][id^="gonb_slider_"]')];
  const selects = [...document.querySelectorAll('select[id^="gonb_select_"]')];
  return {label: label.textContent, src: img ? img.getAttribute('src') : null,
          width: img ? img.naturalWidth : 0,
          slider: sliders.length ? sliders[sliders.length - 1].id : null,
          select: selects.length ? selects[selects.length - 1].id : null,
          errors: [...document.querySelectorAll('.output_error, .output_stderr')].map(e => e.textContent.slice(0, 300))};
})()"""


# Two races between GoNB's front-end script (gonb internal/websocket/websocket.js) and the classic notebook
# server, both of which close GoNB's websocket comm and with it every widget:
#  - GoNB opens its own websocket to the kernel while the cell runs, and sends comm_open as soon as it opens.
#    The server connects that websocket's iopub socket to the kernel but, the kernel being busy, does not
#    "nudge" it until subscribed (notebook/services/kernels/handlers.py, ZMQChannelsHandler.nudge), so the
#    kernel's acknowledgement, published on iopub, can go out before the subscription is in place and be lost.
#  - The script waits only 500 ms for that acknowledgement, which a loaded machine can exceed.
# This shim, run in the page before any cell, passes the open event of GoNB's websocket (the one without a
# session_id: Jupyter's own carry one) to GoNB's script 1.5 s late, gives the acknowledgement 15 s, and records
# how long it took (window.__gonb_ack_ms), which the test prints.
ACK_SHIM = """(() => {
  if (window.__gonb_ack_shim) return true;
  window.__gonb_ack_shim = true;
  const WS = window.WebSocket;
  const Patched = function(url, protocols) {
    const ws = protocols === undefined ? new WS(url) : new WS(url, protocols);
    if (/\\/api\\/kernels\\/[^/]+\\/channels$/.test(String(url))) {
      let handler = null;
      Object.defineProperty(ws, 'onopen', {configurable: true, get() { return handler; }, set(h) { handler = h; }});
      ws.addEventListener('open', ev => setTimeout(() => handler && handler.call(ws, ev), 1500));
      window.__gonb_sockets = (window.__gonb_sockets || 0) + 1;
    }
    return ws;
  };
  Patched.prototype = WS.prototype;
  for (const k of ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED']) Patched[k] = WS[k];
  window.WebSocket = Patched;
  const setT = window.setTimeout, clearT = window.clearTimeout, started = new Map();
  window.setTimeout = function(f, ms, ...rest) {
    if (ms === 500 && typeof f === 'function' && String(f).includes('comm_open_ack')) {
      const id = setT.call(window, f, 15000, ...rest);
      started.set(id, performance.now());
      return id;
    }
    return setT.call(window, f, ms, ...rest);
  };
  window.clearTimeout = function(id) {
    if (started.has(id)) {
      (window.__gonb_ack_ms = window.__gonb_ack_ms || []).push(Math.round(performance.now() - started.get(id)));
      started.delete(id);
    }
    return clearT.call(window, id);
  };
  return true;
})()"""


def set_widget(page, element_id, value):
    """Sets a slider or menu as a user would: new value, then input and change events."""
    page.eval(f"""(() => {{
      const el = document.getElementById({json.dumps(element_id)});
      el.value = {json.dumps(str(value))};
      el.dispatchEvent(new Event('input', {{bubbles: true}}));
      el.dispatchEvent(new Event('change', {{bubbles: true}}));
      return el.value;
    }})()""")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--notebook", help="notebook to run (default: a small Explorer notebook written on the fly)")
    ap.add_argument("--screenshot", help="save a screenshot of the page after the last redraw")
    ap.add_argument("--timeout", type=float, default=600, help="seconds for running the notebook's cells")
    ap.add_argument("--out", help="POINTWISE_OUT for the notebook (default: a temporary folder); out/quick/figures "
                    "lets the Figure 6 notebooks read the networks cached by make test")
    ap.add_argument("--no-shim", action="store_true", help="leave GoNB's websocket set-up as it is (see ACK_SHIM)")
    args = ap.parse_args()
    for path, what in ((CHROMIUM, "Debian's chromium"), (os.path.join(ROOT, ".cache/jupyter/kernels/gonb/kernel.json"),
                                                         "the project-local GoNB kernel (make kernel)")):
        if not os.path.exists(path):
            sys.exit(f"widgets-test: {path} missing: need {what}")
    if subprocess.run([PYTHON, "-c", "import notebook.notebookapp"], capture_output=True).returncode != 0:
        sys.exit(f"widgets-test: {PYTHON} cannot import notebook: need Debian's jupyter-notebook (the classic UI)")
    start = time.time()
    tmp = tempfile.mkdtemp(prefix="widgets-test-")
    name = os.path.basename(args.notebook) if args.notebook else "explorer.ipynb"
    if args.notebook:
        shutil.copy(args.notebook, os.path.join(tmp, name))
    else:
        small_notebook(os.path.join(tmp, name))
    port, token = free_port(), secrets.token_hex(16)
    env = dict(os.environ,
               PATH=os.path.join(ROOT, ".cache/bin") + os.pathsep + os.environ.get("PATH", "/usr/bin:/bin"),
               JUPYTER_DATA_DIR=os.path.join(ROOT, ".cache/jupyter"), JUPYTER_PATH=os.path.join(ROOT, ".cache/jupyter"),
               JUPYTER_CONFIG_DIR=os.path.join(tmp, "config"), JUPYTER_RUNTIME_DIR=os.path.join(tmp, "runtime"),
               POINTWISE_QUICK="1", POINTWISE_OUT=os.path.abspath(args.out) if args.out else os.path.join(tmp, "figures"))
    server_log = open(os.path.join(tmp, "server.log"), "w")
    server = subprocess.Popen([PYTHON, "-m", "notebook", "--no-browser", f"--port={port}", "--port-retries=0",
                               "--ip=127.0.0.1", f"--NotebookApp.token={token}", f"--NotebookApp.notebook_dir={tmp}"]
                              + (["--allow-root"] if os.geteuid() == 0 else []),
                              env=env, cwd=tmp, stdout=server_log, stderr=subprocess.STDOUT)
    profile = os.path.join(tmp, "chromium")
    browser = page = None
    failure = None
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if server.poll() is not None:
                    raise RuntimeError(f"the notebook server exited ({server.returncode}); see {server_log.name}")
                time.sleep(0.1)
        else:
            raise TimeoutError("the notebook server did not answer within 30 s")
        browser = subprocess.Popen([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                                    "--no-first-run", "--disable-extensions", "--remote-debugging-port=0",
                                    "--user-data-dir=" + profile, "--window-size=1400,1600", "about:blank"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port_file = os.path.join(profile, "DevToolsActivePort")
        for _ in range(300):
            if os.path.exists(port_file) and open(port_file).read().strip():
                break
            time.sleep(0.1)
        dport = open(port_file).read().split()[0]
        targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{dport}/json/list"))
        page = Page(next(t for t in targets if t["type"] == "page")["webSocketDebuggerUrl"])
        page.call("Page.navigate", url=f"{base}/notebooks/{name}?token={token}")
        page.until("!!(window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected())",
                   120, "the notebook's GoNB kernel to connect")
        if not args.no_shim:
            page.eval(ACK_SHIM)
        page.eval("Jupyter.notebook.execute_all_cells(), true")
        t0 = time.time()
        state = page.until(f"(() => {{ const s = {STATE}; return s && s.src && s.slider && s.select ? s : null; }})()",
                           args.timeout, "the Explorer's live widgets and plot")
        print(f"widgets-test: cells ran, Explorer live after {time.time() - t0:.0f} s: {state['label']!r}, image {state['width']} px wide")
        if not args.no_shim:
            print(f"widgets-test: GoNB's websocket comm: {page.eval('window.__gonb_sockets')} opened, acknowledged after "
                  f"{page.eval('window.__gonb_ack_ms')} ms (GoNB allows 500 ms)")
        if state["errors"]:
            raise RuntimeError("error output on the page: " + " | ".join(state["errors"]))
        if not state["width"]:
            raise RuntimeError("the Explorer's image is not displayed (naturalWidth 0)")
        slider_value = page.eval(f"document.getElementById({json.dumps(state['slider'])}).value")
        slider_max = page.eval(f"document.getElementById({json.dumps(state['slider'])}).max")
        moves = [(state["slider"], int(slider_max) if int(slider_value) != int(slider_max) else int(slider_value) - 1, "slider"),
                 (state["select"], 1 - int(page.eval(f"document.getElementById({json.dumps(state['select'])}).value")) % 2, "menu")]
        for element, value, kind in moves:
            before = state
            t0 = time.time()
            set_widget(page, element, value)
            state = page.until(f"(() => {{ const s = {STATE}; return s && s.src && s.src !== {json.dumps(before['src'])} && "
                               f"s.label !== {json.dumps(before['label'])} ? s : null; }})()",
                               60, f"the plot to redraw after the {kind} moved to {value}")
            if state["label"].startswith("error"):
                raise RuntimeError(f"the Explorer reported {state['label']!r} after the {kind} moved")
            print(f"widgets-test: {kind} -> {value}: redrawn in {time.time() - t0:.1f} s, label {before['label']!r} -> {state['label']!r}")
        if args.screenshot:
            page.eval(f"document.getElementById({json.dumps(state['slider'])}).scrollIntoView(), true")
            time.sleep(0.5)
            data = page.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)["data"]
            with open(args.screenshot, "wb") as f:
                f.write(base64.b64decode(data))
            print(f"widgets-test: screenshot {args.screenshot}")
        # Jupyter's own comm manager also receives GoNB's comm messages and logs "Comm promise not found" for
        # them: expected. Anything else is printed, not judged (widgets work, as checked above).
        other = [e for e in page.console_errors() if "Comm promise not found" not in e]
        if other:
            print("widgets-test: note, the browser's console: " + " | ".join(other))
    except Exception as e:  # reported below, after the clean-up
        failure = f"{type(e).__name__}: {e}"
        try:  # what the page showed, for the report
            outs = page.eval("[...document.querySelectorAll('.output_area')].map(e => e.innerText.slice(0, 400))")
            print("widgets-test: the page's outputs:\n  " + "\n  ".join(o.replace("\n", "\n    ") for o in outs))
            print("widgets-test: the browser's console errors:\n  " + "\n  ".join(page.console_errors()))
            data = page.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)["data"]
            with open(os.path.join(tmp, "failure.png"), "wb") as f:
                f.write(base64.b64decode(data))
            print(f"widgets-test: screenshot of the failure in {tmp}/failure.png")
        except Exception:
            pass
    finally:
        try:  # stop the kernels through the server, then the server and the browser (ours only)
            for k in json.load(urllib.request.urlopen(f"{base}/api/kernels?token={token}", timeout=5)):
                req = urllib.request.Request(f"{base}/api/kernels/{k['id']}?token={token}", method="DELETE")
                urllib.request.urlopen(req, timeout=30)
        except OSError:
            pass
        for proc in (browser, server):
            if proc is None:
                continue
            proc.terminate()
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
        server_log.close()
        if failure:
            print(f"widgets-test: server log kept in {server_log.name}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    if failure:
        print(f"widgets-test: FAIL ({name}): {failure}")
        sys.exit(1)
    print(f"widgets-test: PASS ({name}): live widgets redraw the plot in place ({time.time() - start:.0f} s)")


if __name__ == "__main__":
    main()
