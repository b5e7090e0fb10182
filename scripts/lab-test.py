#!/usr/bin/env python3
"""lab-test.py [--notebooks GLOB] [--out DIR] [--keep] -- run the figure notebooks in JupyterLab in a real browser.

Run from the project venv: .cache/venv/bin/python scripts/lab-test.py (make lab-test does). It

  1. copies the notebooks named by --notebooks (default fig*) from notebooks/ to OUT/notebooks (OUT, default
     out/lab, must lie inside the repository: the notebooks' Go code finds the module by walking up), and starts
     JupyterLab 4 from this Python on a free loopback port with a random token, its own Jupyter config, runtime,
     settings and workspace folders under OUT/jupyter, no news or update checks, no extension manager network,
     --expose-app-in-browser, the project-local "Go (pointwise)" kernel, and POINTWISE_OUT=OUT/figures; its
     output goes to OUT/jupyterlab.log;
  2. opens each notebook in a fresh page of one headless Chromium (Debian's, $CHROMIUM, driven by Playwright,
     which never downloads a browser), waits for the kernel to connect and answer, switches the notebook to quick
     mode as a user does (types "quick" over "full" in the parameters cell's `Mode = "full"`), runs Run All and
     waits until every code cell has run and the kernel is idle (--timeout, default 600 s). When the Explorer in
     the last cell shows its live widgets, on one notebook (--slider-notebook, default fig2*) it moves the slider
     with the keyboard and checks that the plot redraws in place (the <img> src and the label above it change);
     on every notebook it then presses Done, which ends the cell. GoNB's widgets connect through a websocket
     whose set-up races with Jupyter Server; the Explorer (lib/figure) puts a shim in the page that works around
     it, as for every user, and the acknowledgement's delay is printed (see ACK_JS);
  3. checks, from the notebook model's outputs: no error output; the banner `QUICK mode (Mode = "quick")`; at
     least one image/png output; every <img> of the outputs displayed (naturalWidth > 0, a non-empty box); the
     notebook's figure files (metadata.pointwise.figures, or for fig6 runs[0].figures) written to OUT/figures
     during the run; no console error, uncaught page exception or request leaving the machine;
  4. saves screenshots OUT/screenshots/NAME.png (the whole notebook, the window grown to its height, at most
     16000 px), NAME-end.png (the window at the Explorer's last plot) and, for the slider's notebook,
     NAME-slider.png (the plot redrawn for the moved slider);
  5. prints a line per notebook and `N passed, M failed`; exits 1 on any failure, naming the notebook, the cell
     and what went wrong.

The server, its kernels, their build and helper processes and the browser are stopped in every case (a pass, a
failure, a timeout, Ctrl-C or SIGTERM): every process this script started, directly or not, is recorded while it
runs, and any left at the end is killed by its id. OUT/notebooks (the executed notebooks, saved from JupyterLab)
and OUT/jupyter are removed after a pass unless --keep; after a failure they are kept for a look.
"""
import argparse
import fnmatch
import glob
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
KERNEL_NAME = "gonb-pointwise"
VIEWPORT = {"width": 1400, "height": 1000}


def log(msg):
    print(f"lab-test: {msg}", flush=True)


class Failure(Exception):
    """A check failed: the message names the notebook's cell and what went wrong."""


# ---------------------------------------------------------------------------------------------------------------
# Processes: everything this script starts, directly or not, is recorded, so that whatever is left at the end
# (a kernel whose server was killed, GoNB's gopls, a cell's program, a browser) is killed by its id.

def _proc_stat(pid):
    """(ppid, start time) of pid from /proc, or None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            s = f.read()
    except OSError:
        return None
    fields = s[s.rindex(")") + 2:].split()  # after "pid (comm) "
    return int(fields[1]), int(fields[19])


class Processes:
    def __init__(self):
        self.me = os.getpid()
        self.seen = {}  # pid -> start time

    def scan(self):
        """Records every living descendant of this process."""
        children = {}
        for d in os.listdir("/proc"):
            if d.isdigit():
                st = _proc_stat(int(d))
                if st:
                    children.setdefault(st[0], []).append((int(d), st[1]))
        todo = [self.me]
        while todo:
            for pid, start in children.get(todo.pop(), []):
                if pid not in self.seen:
                    self.seen[pid] = start
                todo.append(pid)

    def alive(self):
        out = []
        for pid, start in self.seen.items():
            st = _proc_stat(pid)
            if st and st[1] == start:  # the same process, not a reused id
                try:
                    with open(f"/proc/{pid}/status") as f:
                        if "\nState:\tZ" in f.read():
                            continue  # a zombie: gone, waiting for its parent
                except OSError:
                    continue
                out.append(pid)
        return out

    def kill_left(self):
        """Kills every recorded process still alive (TERM, then KILL); returns how many were left."""
        self.scan()
        left = self.alive()
        for sig in (signal.SIGTERM, signal.SIGKILL):
            for pid in left:
                try:
                    os.kill(pid, sig)
                except OSError:
                    pass
            end = time.time() + 5
            while time.time() < end and self.alive():
                time.sleep(0.1)
            if not self.alive():
                break
        return len(left)


# ---------------------------------------------------------------------------------------------------------------
# The JupyterLab server.

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, out, procs):
        self.out, self.procs = out, procs
        self.token = secrets.token_hex(24)
        self.proc = self.log = None
        self.port = None

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"

    def api(self, path, method="GET", timeout=10):
        req = urllib.request.Request(self.base + path, method=method,
                                     headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(req, timeout=timeout) as r:
            body = r.read()
        return json.loads(body) if body else None

    def start(self, env):
        jdir = os.path.join(self.out, "jupyter")
        config = os.path.join(jdir, "config")
        os.makedirs(config, exist_ok=True)
        # A config of its own (a user's ~/.jupyter never applies): no news feed, no update check, an extension
        # manager that never asks PyPI, no terminals.
        with open(os.path.join(config, "jupyter_server_config.json"), "w") as f:
            json.dump({"LabApp": {"news_url": None,
                                  "check_for_updates_class": "jupyterlab.handlers.announcements.NeverCheckForUpdate",
                                  "extension_manager": "readonly"},
                       "ServerApp": {"terminals_enabled": False}}, f, indent=1)
        # The answer of a user who said No to JupyterLab's question about news (a toast over the screenshots).
        settings = os.path.join(jdir, "lab-settings", "@jupyterlab", "apputils-extension")
        os.makedirs(settings, exist_ok=True)
        with open(os.path.join(settings, "notification.jupyterlab-settings"), "w") as f:
            json.dump({"fetchNews": "false", "checkForUpdates": False}, f)
        env = dict(env, JUPYTER_CONFIG_DIR=config, JUPYTER_RUNTIME_DIR=os.path.join(jdir, "runtime"),
                   JUPYTERLAB_SETTINGS_DIR=os.path.join(jdir, "lab-settings"),
                   JUPYTERLAB_WORKSPACES_DIR=os.path.join(jdir, "lab-workspaces"))
        self.log = open(os.path.join(self.out, "jupyterlab.log"), "w")
        for attempt in range(3):  # the free port can be taken between free_port() and the server's bind
            self.port = free_port()
            cmd = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1", f"--port={self.port}",
                   "--port-retries=0", f"--IdentityProvider.token={self.token}",
                   f"--ServerApp.root_dir={os.path.join(self.out, 'notebooks')}", "--expose-app-in-browser",
                   "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate", "--LabApp.extension_manager=readonly"]
            # news_url must be None (an empty string would be fetched), which only the config file above can say;
            # the flags repeat the rest, so that the command in the log shows them.
            if os.geteuid() == 0:
                cmd.append("--allow-root")
            self.log.write(f"$ {' '.join(cmd)}\n")
            self.log.flush()
            self.proc = subprocess.Popen(cmd, env=env, cwd=os.path.join(self.out, "notebooks"), stdin=subprocess.DEVNULL,
                                         stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
            end = time.time() + 120
            while time.time() < end:
                self.procs.scan()
                try:
                    self.api("/api/status", timeout=2)
                    return
                except OSError:
                    pass
                if self.proc.poll() is not None:
                    break
                time.sleep(0.2)
            else:
                raise Failure(f"JupyterLab did not answer /api/status within 120 s (log: {self.log.name})")
            with open(self.log.name) as f:
                busy = "already in use" in f.read()
            if not busy:
                raise Failure(f"JupyterLab exited with status {self.proc.returncode} before answering (log: {self.log.name})")
        raise Failure(f"JupyterLab found no free port in 3 tries (log: {self.log.name})")

    def stop(self):
        """Shuts the kernels down through the API, then the server (TERM to its process group, then KILL)."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            try:
                for k in self.api("/api/kernels", timeout=5):
                    try:
                        self.api(f"/api/kernels/{k['id']}", method="DELETE", timeout=20)
                    except OSError:
                        pass
            except (OSError, ValueError):
                pass
            for sig in (signal.SIGTERM, signal.SIGKILL):
                try:
                    os.killpg(self.proc.pid, sig)
                except OSError:
                    pass
                try:
                    self.proc.wait(15)
                    break
                except subprocess.TimeoutExpired:
                    pass
        self.log.close()


# ---------------------------------------------------------------------------------------------------------------
# The page side. `jupyterapp` is JupyterLab's application (--expose-app-in-browser); its shell's current widget
# is the notebook panel the page opened.

# The panel of the notebook NAME once it is open and its kernel connected: its state, or a reason it is not.
PANEL_JS = """(name) => {
  const app = window.jupyterapp;
  if (!app) return {wait: 'window.jupyterapp (JupyterLab not started)'};
  const w = app.shell.currentWidget;
  if (!w || !w.context || !w.sessionContext || w.context.path !== name) return {wait: 'the notebook panel of ' + name};
  const s = w.sessionContext;
  const k = s.session && s.session.kernel;
  // The kernel answered kernel_info: that is what "ready" means here. JupyterLab shows a kernel's status as
  // "unknown" until a status message on iopub, and GoNB publishes none around kernel_info: the status stays
  // "unknown" (the status bar says so) until the first cell runs.
  if (k && window.__labtest_info !== k.id && !window.__labtest_info_asked) {
    window.__labtest_info_asked = true;
    k.info.then(() => { window.__labtest_info = k.id; }, () => {}).finally(() => { window.__labtest_info_asked = false; });
  }
  return {ready: !!(w.context.isReady && s.isReady), kernel: k ? k.name : null, display: s.kernelDisplayName,
          status: k ? k.status : null, connection: k ? k.connectionStatus : null, info: !!k && window.__labtest_info === k.id,
          dialog: document.querySelector('.jp-Dialog') ? document.querySelector('.jp-Dialog').innerText.slice(0, 300) : null};
}"""

# The notebook's state while it runs: per code cell its execution count, whether it is running or queued
# ([*]), its error outputs; the kernel's status; the live Explorer's widgets in the last code cell.
STATE_JS = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  const nb = w.content, s = w.sessionContext, k = s.session && s.session.kernel;
  const cells = [];
  nb.widgets.forEach((c, i) => {
    if (c.model.type !== 'code') return;
    const prompt = c.node.querySelector('.jp-InputArea-prompt');
    const outs = c.model.outputs.toJSON();
    cells.push({index: i, count: c.model.executionCount, state: c.model.executionState || null,
                star: !!(prompt && prompt.textContent.includes('*')),
                errors: outs.filter(o => o.output_type === 'error').map(o => o.ename + ': ' + o.evalue)});
  });
  let explorer = null;
  const last = nb.widgets.filter(c => c.model.type === 'code').pop();
  if (last) {
    const area = last.node.querySelector('.jp-Cell-outputArea') || last.node;
    const done = [...area.querySelectorAll('button')].find(b => b.textContent.trim() === 'Done');
    const label = [...area.querySelectorAll('span[id^="explore_"][id$="_label"]')].pop();
    const img = label ? label.parentElement.querySelector('img') : null;
    explorer = {done: !!done, doneId: done ? done.id : null,
                slider: (area.querySelector('input[type=range]') || {}).id || null,
                sliderCount: area.querySelectorAll('input[type=range]').length,
                selects: area.querySelectorAll('select').length,
                label: label ? label.textContent : null, src: img ? img.getAttribute('src') : null,
                width: img ? img.naturalWidth : 0};
  }
  return {kernel: k ? k.status : null, connection: k ? k.connectionStatus : null, cells, explorer,
          runAll: window.__labtest_runall === undefined ? null : window.__labtest_runall,
          runAllError: window.__labtest_runall_error || null,
          dialog: document.querySelector('.jp-Dialog') ? document.querySelector('.jp-Dialog').innerText.slice(0, 300) : null};
}"""

# The code cells' outputs from the notebook model, as nbformat JSON.
OUTPUTS_JS = """() => {
  const nb = window.jupyterapp.shell.currentWidget.content;
  return nb.widgets.map((c, i) => c.model.type === 'code'
    ? {index: i, count: c.model.executionCount, outputs: c.model.outputs.toJSON(), source: c.model.sharedModel.getSource().slice(0, 120)}
    : null).filter(x => x);
}"""

# The notebook's scrolling element (JupyterLab 4's windowed notebook scrolls an inner node).
SCROLLER_JS = """(() => { const nb = window.jupyterapp.shell.currentWidget.content;
  return nb.node.querySelector('.jp-WindowedPanel-outer') || nb.node; })()"""

# Every <img> of the notebook's outputs, scrolled into view one by one (the notebook renders off-screen cells
# lazily, content-visibility): loaded, its natural width, its box on the screen.
IMAGES_JS = """async () => {
  const nb = window.jupyterapp.shell.currentWidget.content;
  const out = [];
  const imgs = [...nb.node.querySelectorAll('.jp-OutputArea img')];
  for (const img of imgs) {
    img.scrollIntoView({block: 'center'});
    const end = performance.now() + 10000;
    while (performance.now() < end && !(img.complete && img.naturalWidth > 0)) await new Promise(r => setTimeout(r, 100));
    await new Promise(r => requestAnimationFrame(() => r()));
    const r = img.getBoundingClientRect();
    const cell = img.closest('.jp-Cell');
    out.push({cell: nb.widgets.findIndex(c => c.node === cell), complete: img.complete, natural: img.naturalWidth,
              w: r.width, h: r.height, src: (img.getAttribute('src') || '').slice(0, 40)});
  }
  return out;
}"""

# Selects the word `full` of the parameters cell's `Mode = "full"` in its editor (edit mode, focused), for the
# keyboard to type over it; returns the cell's index, or a reason.
SELECT_MODE_JS = """() => {
  const panel = window.jupyterapp.shell.currentWidget, nb = panel.content;
  const i = nb.widgets.findIndex(c => c.model.type === 'code' && (c.model.getMetadata('tags') || []).includes('parameters'));
  if (i < 0) return {error: 'no code cell tagged "parameters"'};
  const cell = nb.widgets[i];
  const lines = cell.model.sharedModel.getSource().split('\\n');
  const line = lines.findIndex(l => /^\\s*Mode\\s*=\\s*"full"/.test(l));
  if (line < 0) return {error: `cell ${i}: no line Mode = "full" in the parameters cell`};
  const column = lines[line].indexOf('"full"') + 1;
  nb.activeCellIndex = i;
  nb.mode = 'edit';
  cell.editor.focus();
  cell.editor.setSelection({start: {line, column}, end: {line, column: column + 4}});
  return {index: i, line: lines[line]};
}"""


# GoNB's widgets talk to the kernel through a websocket of their own, which GoNB's front-end script
# (gonb internal/websocket/websocket.js, run from the HTML output) opens to /api/kernels/<id>/channels while the
# cell runs; on its open event it sends comm_open, then waits 500 ms for the kernel's "#comm_open_ack" (a
# setTimeout it clears on the acknowledgement) and, failing that, closes the socket: no widgets. Two races, met
# first in the classic notebook server, are in JupyterLab 4 too (Jupyter Server
# 2.x's kernel websocket handler has the same logic):
#  - the server connects the new websocket's iopub socket to the kernel but, the kernel being busy, does not
#    "nudge" it until subscribed (jupyter_server/services/kernels/connection/channels.py, nudge(): "Do not nudge
#    busy kernels"), so the acknowledgement, published on iopub, can go out before that subscription exists and
#    be lost. Seen here without the shim: fig4's Explorer, on a loaded machine, timed out while JupyterLab's own
#    connection received the acknowledgement 10 ms after GoNB's script began waiting for it;
#  - the 500 ms wait, which a loaded machine can exceed.
# The Explorer (lib/figure/explore.go, ackShim) works around both races in the page, for every user: it
# passes the open event of GoNB's websocket 1.5 s late and lengthens the 500 ms wait to 15 s. This script, run
# in every page before JupyterLab loads, only records how long the acknowledgement took and whether the wait
# timed out; it leaves the wait as it finds it.
ACK_JS = """(() => {
  const setT = window.setTimeout, clearT = window.clearTimeout, started = new Map();
  window.__labtest_ack = {ms: [], timedOut: 0, starts: [], seen: []};
  window.setTimeout = function(f, ms, ...rest) {
    // 500 ms is GoNB's wait; 15000 ms is the Explorer's shim having lengthened it.
    if ((ms === 500 || ms === 15000) && typeof f === 'function' && String(f).includes('comm_open_ack')) {
      let id;
      const fire = function() { started.delete(id); window.__labtest_ack.timedOut++; return f.apply(this, arguments); };
      id = setT.call(window, fire, ms, ...rest);
      started.set(id, performance.now());
      window.__labtest_ack.starts.push(Math.round(performance.now()));
      return id;
    }
    return setT.call(window, f, ms, ...rest);
  };
  window.clearTimeout = function(id) {
    if (started.has(id)) {
      window.__labtest_ack.ms.push(Math.round(performance.now() - started.get(id)));
      started.delete(id);
    }
    return clearT.call(window, id);
  };
})()"""


def wait_for(page, fn, arg, timeout, what):
    """Polls fn(arg) in the page until it returns an object with ready true; returns it."""
    end = time.time() + timeout
    st = None
    while time.time() < end:
        st = page.evaluate(fn, arg)
        if st.get("ready"):
            return st
        time.sleep(0.25)
    raise Failure(f"{what}: not within {timeout:.0f} s (last state: {json.dumps(st)[:300]})")


def output_text(o):
    """The text of one nbformat output: stream text, text/plain, or an error's name and value."""
    if o.get("output_type") == "stream":
        t = o.get("text", "")
    elif o.get("output_type") == "error":
        t = f"{o.get('ename')}: {o.get('evalue')}"
    else:
        t = o.get("data", {}).get("text/plain", "")
    return "".join(t) if isinstance(t, list) else t


# ---------------------------------------------------------------------------------------------------------------
# One notebook.

def figure_ids(path):
    """The figure files a notebook writes with its default parameters: metadata.pointwise.figures, or the first
    run's (fig6: Dataset = "mnist", the parameters cell's default)."""
    with open(path) as f:
        meta = json.load(f).get("metadata", {}).get("pointwise", {})
    if meta.get("figures"):
        return list(meta["figures"])
    runs = meta.get("runs") or []
    return list(runs[0].get("figures", [])) if runs else []


# Console errors known to be harmless, as (regular expression, reason) pairs matched against the message. None
# so far: JupyterLab 4.6 in this set-up (no news, no update check, read-only extension manager) logs no console
# error while the figure notebooks run, and JupyterLab's own kernel connection ignores, silently, the comm
# messages of GoNB's widgets that it receives too.
HARMLESS_CONSOLE = [
]


class NotebookRun:
    def __init__(self, args, server, browser, procs, path):
        self.args, self.server, self.browser, self.procs = args, server, browser, procs
        self.path = path
        self.name = os.path.basename(path)[:-len(".ipynb")]
        self.slider = fnmatch.fnmatch(self.name, args.slider_notebook)
        self.console, self.notes = [], []
        self.figures = figure_ids(path)
        with open(path) as f:
            code = [c for c in json.load(f)["cells"] if c["cell_type"] == "code"]
        # The figure notebooks end with an Explorer (figure.Explorer in the last code cell); another notebook
        # (ext*) is run and checked without one.
        self.explorer = bool(code) and "figure.Explorer" in "".join(code[-1]["source"])

    def on_console(self, msg):
        if msg.type in ("error", "assert"):
            loc = msg.location or {}
            self.console.append(f"console {msg.type}: {msg.text} ({loc.get('url', '')}:{loc.get('lineNumber', '')})")

    def on_pageerror(self, err):
        self.console.append(f"uncaught exception: {err}")

    def on_request(self, req):
        url = req.url
        if not (url.startswith(self.server.base + "/") or url.startswith(("data:", "blob:", "about:"))
                or re.match(r"^wss?://127\.0\.0\.1:%d/" % self.server.port, url)):
            self.console.append(f"request leaving the machine: {url}")

    def on_requestfailed(self, req):
        failure = req.failure or ""
        # A request JupyterLab itself cancels (a page closing, a poll replaced) is not a failure of the page.
        if "ERR_ABORTED" in failure:
            return
        self.console.append(f"request failed: {req.method} {req.url}: {failure}")

    def run(self):
        t0 = time.time()
        context = self.browser.new_context(viewport=VIEWPORT)
        context.add_init_script(ACK_JS)
        page = context.new_page()
        self.page = page
        page.on("console", self.on_console)
        page.on("pageerror", self.on_pageerror)
        page.on("request", self.on_request)
        page.on("requestfailed", self.on_requestfailed)
        page.on("websocket", lambda ws: self.on_request(ws))
        try:
            return self._run(page, t0)
        except Exception:
            try:  # what the page showed
                shot = os.path.join(self.args.out, "screenshots", f"{self.name}-failure.png")
                page.screenshot(path=shot, timeout=15000)
                self.notes.append(f"screenshot of the failure: {os.path.relpath(shot)}")
            except Exception:
                pass
            raise
        finally:
            try:  # the kernel of this notebook: shut down through its session, so the next one has the CPU
                page.evaluate("""async () => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
                    if (w && w.sessionContext) await Promise.race([w.sessionContext.shutdown(), new Promise(r => setTimeout(r, 20000))]); }""")
            except Exception:
                pass
            try:
                context.close()
            except Exception:
                pass

    def _run(self, page, t0):
        name, args = self.name, self.args
        # ?reset: a fresh workspace, so only this notebook opens.
        page.goto(f"{self.server.base}/lab/tree/{name}.ipynb?reset&token={self.server.token}", wait_until="load")
        st = wait_for(page, PANEL_JS, f"{name}.ipynb", 120, "JupyterLab to open the notebook")
        end = time.time() + 120
        while not (st.get("kernel") and st.get("info") and st.get("status") in ("idle", "unknown")
                   and st.get("connection") == "connected"):
            if st.get("dialog"):
                raise Failure(f"a dialog instead of the kernel: {st['dialog']!r} (is the {KERNEL_NAME} kernel installed? make kernel)")
            if time.time() > end:
                raise Failure(f"the kernel is not idle and connected within 120 s: {json.dumps(st)}")
            time.sleep(0.25)
            st = page.evaluate(PANEL_JS, f"{name}.ipynb")
        # JupyterLab's own kernel connection subscribes to iopub too, so it sees GoNB's acknowledgement of the
        # widgets' comm: when, beside when GoNB's script started waiting for it (ACK_JS).
        page.evaluate("""() => { const k = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
            k.iopubMessage.connect((_, msg) => { const d = msg.content && msg.content.data;
              if (msg.header.msg_type === 'comm_msg' && d && d.address === '#comm_open_ack')
                window.__labtest_ack.seen.push(Math.round(performance.now())); }); }""")
        if st["kernel"] != KERNEL_NAME:
            raise Failure(f"the notebook runs kernel {st['kernel']!r} ({st['display']}), not {KERNEL_NAME}")
        self.procs.scan()

        # Quick mode, as a user sets it: type "quick" over "full" in the parameters cell.
        sel = page.evaluate(SELECT_MODE_JS)
        if sel.get("error"):
            raise Failure(sel["error"])
        page.keyboard.type("quick")
        page.keyboard.press("Escape")  # command mode
        src = page.evaluate("(i) => window.jupyterapp.shell.currentWidget.content.widgets[i].model.sharedModel.getSource()",
                            sel["index"])
        if not re.search(r'^\s*Mode\s*=\s*"quick"', src, re.M):
            line = next((l for l in src.split("\n") if "Mode" in l), "")
            raise Failure(f"cell {sel['index']}: typing \"quick\" over \"full\" left the line {line.strip()!r}")

        # Run All, as the menu does; its promise settles when the last cell has run.
        page.evaluate("""() => { window.__labtest_runall = undefined;
            window.jupyterapp.commands.execute('notebook:run-all-cells').then(
              ok => { window.__labtest_runall = ok === undefined ? true : ok; },
              e => { window.__labtest_runall = false; window.__labtest_runall_error = String(e); }); }""")
        t_run = time.time()
        end = t_run + args.timeout
        widgets_seen = pressed = False
        redraw = None
        idle_since = None
        while True:
            self.procs.scan()
            st = page.evaluate(STATE_JS)
            if st["dialog"]:
                raise Failure(f"a dialog appeared while the notebook ran: {st['dialog']!r}")
            if st["kernel"] == "dead" or st["connection"] == "disconnected":
                raise Failure(f"the kernel is {st['kernel']} ({st['connection']}) while the notebook runs: "
                              f"see {self.server.log.name}")
            ex = st["explorer"] or {}
            if ex.get("done") and not pressed:
                widgets_seen = True
                if not ex.get("slider") and not ex.get("selects"):
                    raise Failure(f"the Explorer's Done button is shown without its widgets: {json.dumps(ex)}")
                if self.slider:
                    redraw = self.move_slider(page, ex)
                self.press_done(page, ex["doneId"])
                pressed = True
                t_done = time.time()
            errors = [c for c in st["cells"] if c["errors"]]
            pending = [c for c in st["cells"] if c["star"] or c["state"] == "running"]
            unrun = [c for c in st["cells"] if c["count"] is None]
            settled = st["kernel"] == "idle" and not pending and (st["runAll"] is not None or errors)
            if settled and (not unrun or errors):
                idle_since = idle_since or time.time()
                if time.time() - idle_since > 1.0:
                    break
            else:
                idle_since = None
            if time.time() > end:
                where = pending[0]["index"] if pending else (unrun[0]["index"] if unrun else None)
                raise Failure(f"Run All did not finish within {args.timeout:.0f} s (cell {where} still "
                              f"{'running' if pending else 'not run'}; kernel {st['kernel']}; Explorer {json.dumps(ex)[:200]})")
            time.sleep(0.5)
        elapsed_run = time.time() - t_run
        self.ack = page.evaluate("() => window.__labtest_ack")
        if st["runAllError"]:
            raise Failure(f"Run All failed in the page: {st['runAllError']}")

        # The outputs, from the notebook model.
        cells = page.evaluate(OUTPUTS_JS)
        problems = []
        for c in cells:
            for o in c["outputs"]:
                if o.get("output_type") == "error":
                    # GoNB's error output says only how the cell's program ended; what it printed to stderr
                    # (a panic's message and stack) says why.
                    stderr = "".join(output_text(e) for e in c["outputs"] if e.get("name") == "stderr").strip().split("\n")
                    tb = "\n      ".join(re.sub(r"\x1b\[[0-9;]*m", "", l) for l in o.get("traceback", [])[:8] + stderr[:12])
                    problems.append(f"cell {c['index']} ({c['source'].splitlines()[0] if c['source'] else ''!r}): "
                                    f"error output {o.get('ename')}: {o.get('evalue')}\n      {tb}")
        unrun = [c["index"] for c in cells if c["count"] is None]
        if unrun:
            problems.append(f"cells {unrun} did not run (Run All stopped early)")
        broken = bool(problems)
        text = "\n".join(output_text(o) for c in cells for o in c["outputs"])
        banner = next((l for l in text.split("\n") if "QUICK mode" in l), None)
        if banner is None:
            first = next((output_text(o) for c in cells for o in c["outputs"]), "")
            problems.append(f"no output says `QUICK mode`; the first output reads {first.strip()[:200]!r}")
        elif 'Mode = "quick"' not in banner:
            problems.append(f"the banner does not name the parameters cell's Mode as the source of quick mode: {banner!r}")
        figdir = os.path.join(self.args.out, "figures")
        if banner and figdir not in banner:
            problems.append(f"the banner does not say figures go to {figdir} (POINTWISE_OUT): {banner!r}")
        pngs = sum(1 for c in cells for o in c["outputs"] if "image/png" in o.get("data", {}))
        if pngs == 0:
            problems.append("no image/png output in the notebook")
        said = next((output_text(o).strip() for o in (cells[-1]["outputs"] if cells else [])
                     if output_text(o).startswith("explore:")), "no Explorer output")
        if broken or not self.explorer:
            pass  # no Explorer, or it ran after an error or not at all: nothing to say about its widgets
        elif not widgets_seen:
            problems.append(f"cell {cells[-1]['index'] if cells else '?'}: the Explorer never showed its live widgets "
                            f"(a slider or menu and a Done button) in JupyterLab; it said: {said[:300]!r}; "
                            f"GoNB's websocket comm: {self.ack_summary()}")
        elif self.slider and redraw is None:
            problems.append(f"cell {cells[-1]['index']}: the Explorer has no slider to move (--slider-notebook {self.args.slider_notebook})")
        elif not said.startswith("explore: done"):
            problems.append(f"cell {cells[-1]['index']}: the Explorer did not end at Done; it said: {said[:300]!r}")

        # What the reader sees: every image displayed.
        imgs = page.evaluate(IMAGES_JS)
        for i in imgs:
            if not (i["complete"] and i["natural"] > 0 and i["w"] > 0 and i["h"] > 0):
                problems.append(f"cell {i['cell']}: an image is not displayed (complete {i['complete']}, naturalWidth "
                                f"{i['natural']}, box {i['w']:.0f}x{i['h']:.0f}, src {i['src']}...)")
        if pngs and len(imgs) < pngs:
            problems.append(f"{pngs} image/png outputs in the model but only {len(imgs)} <img> on the page")

        # The figure files, written during this run.
        for fid in self.figures:
            for ext in (".png", ".svg"):
                f = os.path.join(figdir, fid + ext)
                if not os.path.exists(f):
                    problems.append(f"figure file {f} was not written")
                elif os.path.getmtime(f) < t_run - 1 or os.path.getsize(f) == 0:
                    problems.append(f"figure file {f} is empty or older than this run")
        if not self.figures:
            problems.append("the notebook's metadata names no figure (metadata.pointwise.figures or runs[0].figures)")

        self.screenshots(page)
        # Save the executed notebook (OUT/notebooks), for a look after a failure or with --keep.
        try:
            page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
        except Exception as e:
            self.notes.append(f"could not save the notebook: {e}")
        page.wait_for_timeout(500)  # late console messages
        for m in self.console:
            if not any(re.search(p, m) for p, _ in HARMLESS_CONSOLE):
                problems.append(m)
        if problems:
            raise Failure("\n    ".join(problems))
        what = [f"{pngs} images", "banner"]
        if redraw:
            what.append(f"slider redraw {redraw}")
        what.append(f"Done after {t_done - t_run:.1f} s" if pressed else "no Explorer")
        if self.ack["ms"] or self.ack["timedOut"]:
            what.append(f"comm ack {'/'.join(map(str, self.ack['ms']))} ms" +
                        (f", {self.ack['timedOut']} timed out" if self.ack["timedOut"] else ""))
        return f"{time.time() - t0:.1f}s ({', '.join(what)}; Run All {elapsed_run:.1f} s)"

    def ack_summary(self):
        """What ACK_JS and JupyterLab's own connection saw of GoNB's comm_open acknowledgement."""
        a = self.ack or {}
        parts = [f"waited {len(a.get('starts', []))} time(s) for the acknowledgement",
                 f"answered after {a.get('ms')} ms" if a.get("ms") else "",
                 f"timed out {a['timedOut']} time(s) (GoNB waits 500 ms, the Explorer's shim 15 s)"
                 if a.get("timedOut") else ""]
        for start in (a.get("starts") or [])[len(a.get("ms") or []):]:
            seen = [t - start for t in a.get("seen", []) if t >= start - 50]
            parts.append(f"JupyterLab's own connection saw it {seen[0]} ms after GoNB began waiting" if seen else
                         "no connection saw it on iopub (lost, or never sent)")
        return "; ".join(p for p in parts if p)

    def press_done(self, page, done_id):
        """Clicks the Explorer's Done button; again if the Explorer has not ended 10 s later (the button's
        listener is attached by a script that can run just after the button appears), as a user would."""
        button = page.locator(f"#{done_id}")
        for attempt in range(3):
            button.click(timeout=30000)
            try:
                button.wait_for(state="detached", timeout=10000)
                return
            except Exception:
                if attempt == 2:
                    raise Failure("the Explorer did not end after Done was clicked three times, 10 s apart")
                self.notes.append("Done clicked again: the Explorer had not ended 10 s after the first click")

    def move_slider(self, page, ex):
        """Moves the Explorer's slider to its other end with the keyboard (Home or End on the focused slider,
        which fires input and change as a drag does); waits for the plot to redraw in place. Returns a summary."""
        slider = page.locator(f"#{ex['slider']}")
        slider.scroll_into_view_if_needed(timeout=10000)
        value, lo, hi = (int(slider.evaluate(f"e => e.{a}")) for a in ("value", "min", "max"))
        key, want = ("Home", lo) if value == hi else ("End", hi)
        before = ex
        t0 = time.time()
        slider.focus()
        slider.press(key)
        got = int(slider.evaluate("e => e.value"))
        if got != want:
            raise Failure(f"pressing {key} on the Explorer's slider set it to {got}, not {want}")
        end = t0 + 120
        while time.time() < end:
            ex = page.evaluate(STATE_JS)["explorer"] or {}
            if ex.get("src") and ex["src"] != before["src"] and ex.get("label") != before["label"]:
                break
            time.sleep(0.25)
        else:
            raise Failure(f"the Explorer's plot did not redraw within 120 s after the slider moved {value} -> {want} "
                          f"(label still {ex.get('label')!r}, image {'unchanged' if ex.get('src') == before['src'] else 'changed'})")
        if ex["label"].startswith("error"):
            raise Failure(f"the Explorer reported {ex['label']!r} after the slider moved to {want}")
        if not ex.get("width"):
            raise Failure("the Explorer's redrawn image is not displayed (naturalWidth 0)")
        self.redraw_label = (before["label"], ex["label"])
        # The redrawn state, for a look.
        page.evaluate("""() => { const l = [...document.querySelectorAll('span[id^="explore_"][id$="_label"]')].pop();
            const img = l && l.parentElement.querySelector('img'); if (img) img.scrollIntoView({block: 'end'}); }""")
        page.wait_for_timeout(300)
        page.screenshot(path=os.path.join(self.args.out, "screenshots", f"{self.name}-slider.png"))
        log(f"{self.name}: slider {value} -> {want}: redrawn in {time.time() - t0:.1f} s, label {before['label']!r} -> {ex['label']!r}")
        return f"{value}->{want} in {time.time() - t0:.1f}s"

    def screenshots(self, page):
        """NAME.png: the whole notebook, from the top (the page grown to the notebook's height, at most 16000
        px); NAME-end.png: the window at the Explorer's last plot."""
        shots = os.path.join(self.args.out, "screenshots")
        page.evaluate("() => { window.jupyterapp.shell.currentWidget.content.activeCellIndex = 0; }")
        height = page.evaluate(f"() => {{ const s = {SCROLLER_JS}; s.scrollTop = 0; return s.scrollHeight + window.innerHeight - s.clientHeight; }}")
        page.set_viewport_size({"width": VIEWPORT["width"], "height": int(min(max(height + 40, VIEWPORT["height"]), 16000))})
        page.wait_for_timeout(1500)  # layout, images decoded
        page.evaluate(f"() => {{ {SCROLLER_JS}.scrollTop = 0; }}")
        page.wait_for_timeout(300)
        page.screenshot(path=os.path.join(shots, f"{self.name}.png"))
        page.set_viewport_size(VIEWPORT)
        page.wait_for_timeout(500)
        # The last cell active (JupyterLab keeps the active cell in view), its last image at the window's bottom.
        for _ in range(10):
            inside = page.evaluate("""() => { const nb = window.jupyterapp.shell.currentWidget.content;
                nb.activeCellIndex = nb.widgets.length - 1;
                const imgs = nb.node.querySelectorAll('.jp-OutputArea img');
                if (!imgs.length) return true;
                const img = imgs[imgs.length - 1];
                img.scrollIntoView({block: 'end'});
                const r = img.getBoundingClientRect();
                return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight + 1; }""")
            page.wait_for_timeout(300)
            if inside:
                break
        page.screenshot(path=os.path.join(shots, f"{self.name}-end.png"))


# ---------------------------------------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0].split(" -- ")[1])
    ap.add_argument("--notebooks", default="fig*", help="glob of the notebooks in notebooks/ (default fig*)")
    ap.add_argument("--out", default=os.path.join("out", "lab"), help="working and results folder (default out/lab)")
    ap.add_argument("--source", default=os.path.join(ROOT, "notebooks"),
                    help="folder the notebooks are copied from (default notebooks/; another one tests this test)")
    ap.add_argument("--keep", action="store_true", help="keep OUT/notebooks (the executed notebooks) and OUT/jupyter after a pass")
    ap.add_argument("--timeout", type=float, default=600, help="seconds for one notebook's Run All (default 600)")
    ap.add_argument("--slider-notebook", default="fig2*", help="glob of the notebooks whose Explorer slider is moved (default fig2*)")
    args = ap.parse_args()
    args.out = os.path.abspath(args.out)

    if os.path.relpath(args.out, ROOT).startswith(os.pardir) or os.path.abspath(args.out) == ROOT:
        sys.exit(f"lab-test: --out {args.out} must be a folder inside the repository {ROOT}: the notebooks' Go code "
                 "finds the module by walking up from the notebook's folder")
    pattern = args.notebooks if args.notebooks.endswith(".ipynb") else args.notebooks + ".ipynb"
    paths = sorted(glob.glob(os.path.join(args.source, pattern)))
    if not paths:
        sys.exit(f"lab-test: no notebook matches {args.notebooks!r} in {args.source}")
    try:
        from playwright.sync_api import sync_playwright
        import jupyterlab  # noqa: F401
    except ImportError as e:
        sys.exit(f"lab-test: {sys.executable} cannot import {e.name}: run me with the project venv, "
                 ".cache/venv/bin/python (make venv)")
    if not os.access(CHROMIUM, os.X_OK):
        sys.exit(f"lab-test: {CHROMIUM} not found: install Debian's chromium (apt-get install chromium; make browser does "
                 "as root) or set CHROMIUM")

    # The project's kernel and tools, unless the caller (make) already points Jupyter at them.
    env = dict(os.environ)
    jdir = os.path.join(ROOT, ".cache", "jupyter")
    env.setdefault("JUPYTER_PATH", jdir)
    env.setdefault("JUPYTER_DATA_DIR", jdir)
    bindir = os.path.join(ROOT, ".cache", "bin")
    if bindir not in env.get("PATH", "").split(os.pathsep):
        env["PATH"] = bindir + os.pathsep + env.get("PATH", "/usr/local/bin:/usr/bin:/bin")
    if not any(os.path.exists(os.path.join(d, "kernels", KERNEL_NAME, "kernel.json"))
               for d in env["JUPYTER_PATH"].split(os.pathsep) + [env["JUPYTER_DATA_DIR"]]):
        sys.exit(f"lab-test: the {KERNEL_NAME} kernel is not in {env['JUPYTER_PATH']}: run make kernel")
    # Quick mode comes from the edited parameters cell, which the banner must name: not from the environment.
    env.pop("POINTWISE_QUICK", None)
    env["POINTWISE_OUT"] = os.path.join(args.out, "figures")

    # A clean OUT: only the folders this script makes (OUT may be a folder holding other things).
    for sub in ("notebooks", "figures", "screenshots", "jupyter", "cache"):
        shutil.rmtree(os.path.join(args.out, sub), ignore_errors=True)
    for sub in ("notebooks", "figures", "screenshots"):
        os.makedirs(os.path.join(args.out, sub))
    for p in paths:
        shutil.copy(p, os.path.join(args.out, "notebooks"))

    procs = Processes()
    server = Server(args.out, procs)
    results, failures = [], 0
    interrupted = None

    def on_term(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")
    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGHUP, on_term)

    pw = browser = None
    t_start = time.time()
    try:
        server.start(env)
        log(f"JupyterLab on {server.base} (log {os.path.relpath(server.log.name)}); notebooks in {os.path.relpath(args.out)}/notebooks")
        pw = sync_playwright().start()
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        procs.scan()
        for p in paths:
            nb = NotebookRun(args, server, browser, procs, p)
            try:
                summary = nb.run()
                log(f"ok {nb.name} in {summary}")
                for n in nb.notes:
                    log(f"  note: {n}")
                results.append(True)
            except Failure as e:
                failures += 1
                results.append(False)
                log(f"FAIL {nb.name}: {e}")
            except Exception as e:  # Playwright's own errors (a closed page, a timeout): this notebook fails
                failures += 1
                results.append(False)
                log(f"FAIL {nb.name}: {type(e).__name__}: {str(e)[:1500]}")
            if not results[-1]:
                for n in nb.notes:
                    log(f"  note: {n}")
    except KeyboardInterrupt as e:
        interrupted = str(e) or "Ctrl-C"
    except Failure as e:
        log(f"FAIL: {e}")
        failures += 1
    finally:
        for what, stop in (("the browser", lambda: browser and browser.close()), ("Playwright", lambda: pw and pw.stop()),
                           ("JupyterLab", server.stop)):
            try:
                stop()
            except BaseException as e:
                log(f"note: stopping {what}: {type(e).__name__}: {e}")
        left = procs.kill_left()
        if left:
            log(f"note: killed {left} process(es) left behind by the server or the browser")
    if interrupted:
        log(f"interrupted ({interrupted}) during {len(results) + 1 if len(results) < len(paths) else len(results)} of "
            f"{len(paths)} notebooks; the server and the browser are stopped")
        print(f"{sum(results)} passed, {failures + 1} failed", flush=True)
        sys.exit(130)
    if not failures and not args.keep:
        for sub in ("notebooks", "jupyter"):
            shutil.rmtree(os.path.join(args.out, sub), ignore_errors=True)
    elif failures:
        log(f"kept for a look: {os.path.relpath(args.out)}/notebooks (executed), {os.path.relpath(args.out)}/jupyterlab.log")
    passed = sum(results)
    log(f"{time.time() - t_start:.0f} s in all; screenshots in {os.path.relpath(args.out)}/screenshots")
    print(f"{passed} passed, {failures} failed", flush=True)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
