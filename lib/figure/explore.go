package figure

import (
	"encoding/base64"
	"fmt"
	"html"
	"os"
	"strings"
	"time"

	"github.com/janpfeifer/gonb/gonbui"
	"github.com/janpfeifer/gonb/gonbui/comms"
	"github.com/janpfeifer/gonb/gonbui/dom"
	"github.com/janpfeifer/gonb/gonbui/protocol"
	"github.com/janpfeifer/gonb/gonbui/widgets"
)

// Control is one widget of an Explorer: a menu when Options is not empty,
// otherwise a slider over the integers Min … Max. Default is the slider's
// value or the index of the menu's option.
type Control struct {
	Label    string
	Options  []string
	Min, Max int
	Default  int
	// Format, if non-nil, writes a slider's value in the label above the
	// plot, for a slider over indices: func(i int) string { return
	// fmt.Sprint(Epsilons[i]) }. If it is nil, the label shows the integer.
	Format func(int) string
}

// Explorer redraws a plot in place as the reader moves GoNB widgets
// (gonbui/widgets): one per Control, and a Done button. Widgets need a live
// front end: in a headless run (nbconvert: GoNB has no Jupyter kernel id) or
// outside a notebook, or when no front end answers within Wait, Run draws the
// defaults once and returns, so a headless run never hangs.
//
// While the widgets are live the cell is running and the kernel busy: the
// session ends, keeping the last plot, at Done or after Idle without a change.
// Put an Explorer in its notebook's last cell, so that "Run All" has run every
// other cell by then.
type Explorer struct {
	Controls []Control
	// Draw returns the PNG for the controls' values (in the order of
	// Controls).
	Draw func(values []int) ([]byte, error)
	// Wait is how long Run waits for the widgets to answer, showing the
	// defaults meanwhile. If Wait is 0, it is 30 seconds: a notebook's first
	// widgets connect to GoNB through a new websocket, which can take several
	// seconds on a busy machine.
	Wait time.Duration
	// Idle ends the live session after this long without a change, keeping
	// the last plot in the notebook. If Idle is 0, it is DefaultIdle.
	Idle time.Duration
}

// DefaultIdle is how long a live Explorer waits for a change before it ends:
// long enough to read a plot and move a slider, short enough that a kernel
// left busy by a forgotten Explorer frees itself soon.
const DefaultIdle = 3 * time.Minute

// DoneLabel is the label of the button that ends a live Explorer.
const DoneLabel = "Done"

// Run shows the plot and, in a live notebook, the widgets, and redraws on
// every change until Done is pressed or Idle passes without a change.
func (e Explorer) Run() error {
	if err := e.validate(); err != nil {
		return err
	}
	values := make([]int, len(e.Controls))
	for i, c := range e.Controls {
		values[i] = c.Default
	}
	png, err := e.draw(values)
	if err != nil {
		return err
	}
	wait, idle := e.Wait, e.Idle
	if wait == 0 {
		wait = 30 * time.Second
	}
	if idle == 0 {
		idle = DefaultIdle
	}
	if !gonbui.IsNotebook {
		return nil
	}
	if os.Getenv(protocol.GONB_JUPYTER_KERNEL_ID_ENV) == "" {
		// GoNB sets the kernel id only under a Jupyter server; under nbconvert
		// widgets cannot connect, and a program that ends while GoNB is still
		// trying to reach a front end makes the kernel die.
		fmt.Printf("explore: no live front end (headless run): showing the defaults, %s\n", e.describe(values))
		gonbui.DisplayPng(png)
		return nil
	}
	type change struct{ control, value int }
	// The widgets go into div, above the plot, which shows the defaults at
	// once while the widgets connect.
	div := dom.CreateTransientDiv()
	id := "explore_" + gonbui.UniqueId()
	label := id + "_label"
	show := func() {
		gonbui.UpdateHtml(id, fmt.Sprintf(`<div><span id=%q style="font-family:monospace">%s</span><br><img src="data:image/png;base64,%s"></div>`,
			label, html.EscapeString(e.describe(values)), base64.StdEncoding.EncodeToString(png)))
	}
	show()
	type live struct {
		chans []*comms.AddressChan[int]
		done  *comms.AddressChan[int]
	}
	gonbui.ScriptJavascript(ackShim)
	ready := make(chan live, 1)
	go func() {
		defer func() { recover() }() // no front end: the fallback below shows the defaults
		var chans []*comms.AddressChan[int]
		for _, c := range e.Controls {
			dom.Append(div, fmt.Sprintf(`<span style="margin:0 0.4em 0 1em">%s</span>`, html.EscapeString(c.Label)))
			if len(c.Options) > 0 {
				w := widgets.Select(c.Options).SetDefault(c.Default).AppendTo(div).Done()
				chans = append(chans, w.Listen().LatestOnly())
			} else {
				w := widgets.Slider(c.Min, c.Max, c.Default).AppendTo(div).Done()
				chans = append(chans, w.Listen().LatestOnly())
			}
		}
		dom.Append(div, `<span style="margin:0 0.4em 0 1em"></span>`)
		done := widgets.Button(DoneLabel).AppendTo(div).Done()
		ready <- live{chans, done.Listen().LatestOnly()}
	}()
	var l live
	select {
	case l = <-ready:
	case <-time.After(wait):
		return e.end(id, div, png, fmt.Sprintf("explore: the widgets did not answer within %v (a front end without GoNB's widgets, or a slow connection: re-run the cell to retry): showing the defaults, %s\n", wait, e.describe(values)))
	}
	changes := make(chan change, len(l.chans))
	for i, ch := range l.chans {
		go func() {
			for v := range ch.C {
				changes <- change{i, v}
			}
		}()
	}
	for {
		select {
		case c := <-changes:
			values[c.control] = c.value
			next, err := e.draw(values)
			if err != nil {
				dom.SetInnerText(label, "error: "+err.Error())
				continue
			}
			png = next
			show()
		case <-l.done.C:
			return e.end(id, div, png, fmt.Sprintf("explore: done; last settings %s\n", e.describe(values)))
		case <-time.After(idle):
			return e.end(id, div, png, fmt.Sprintf("explore: ended after %v without a change (re-run the cell to explore again); last settings %s\n", idle, e.describe(values)))
		}
	}
}

// end removes the live widgets and plot and leaves the last plot, with a
// line saying why the session ended, as the cell's lasting output.
func (e Explorer) end(id, div string, png []byte, why string) error {
	gonbui.UpdateHtml(id, "")
	dom.SetInnerHtml(div, "")
	fmt.Print(why)
	gonbui.DisplayPng(png)
	return nil
}

// draw calls Draw, turning a panic (a notebook's must) into an error, so
// that a live session reports it under the widgets and goes on.
func (e Explorer) draw(values []int) (png []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			png, err = nil, fmt.Errorf("figure: Explorer.Draw panicked at %s: %v", e.describe(values), r)
		}
	}()
	return e.Draw(values)
}

// validate returns an error naming the first bad setting.
func (e Explorer) validate() error {
	if e.Draw == nil {
		return fmt.Errorf("figure: Explorer.Draw is nil: need a function returning the PNG for the controls' values")
	}
	if e.Wait < 0 || e.Idle < 0 {
		return fmt.Errorf("figure: Explorer Wait, Idle = %v, %v out of range: need ≥ 0 (0 means the default)", e.Wait, e.Idle)
	}
	for i, c := range e.Controls {
		switch {
		case len(c.Options) > 0 && (c.Default < 0 || c.Default >= len(c.Options)):
			return fmt.Errorf("figure: Controls[%d] (%q) Default = %d out of range: need an option index 0 to %d", i, c.Label, c.Default, len(c.Options)-1)
		case len(c.Options) == 0 && c.Min > c.Max:
			return fmt.Errorf("figure: Controls[%d] (%q) slider Min, Max = %d, %d out of range: need Min ≤ Max", i, c.Label, c.Min, c.Max)
		case len(c.Options) == 0 && (c.Default < c.Min || c.Default > c.Max):
			return fmt.Errorf("figure: Controls[%d] (%q) Default = %d out of range: need Min ≤ Default ≤ Max = %d to %d", i, c.Label, c.Default, c.Min, c.Max)
		}
	}
	return nil
}

// describe formats the controls' values: "n = 17, grid = equispaced".
func (e Explorer) describe(values []int) string {
	var parts []string
	for i, c := range e.Controls {
		v := fmt.Sprint(values[i])
		switch {
		case len(c.Options) > 0 && values[i] >= 0 && values[i] < len(c.Options):
			v = c.Options[values[i]]
		case len(c.Options) == 0 && c.Format != nil:
			v = c.Format(values[i])
		}
		parts = append(parts, c.Label+" = "+v)
	}
	return strings.Join(parts, ", ")
}

// ackShim works around two races in how GoNB's widgets connect, seen in
// JupyterLab 4 and the classic Notebook alike: GoNB's page script opens a
// websocket of its own to the kernel, sends comm_open when it opens and gives
// up on the widgets unless the kernel's "#comm_open_ack" arrives within
// 500 ms. Jupyter Server subscribes a new websocket to a busy kernel's
// messages only later, so an acknowledgement sent at once can be lost, and a
// loaded machine can take longer than 500 ms. The shim, run in the page once
// before the first widget, passes the open event of that websocket (the one
// without a session_id: JupyterLab's own carry one) 1.5 s late and waits 15 s
// for the acknowledgement. Without it, the widgets failed to appear in 2 of
// 17 notebook runs of make lab-test on a loaded 2-core machine.
const ackShim = `(() => {
  if (window.__pointwise_ack_shim) return;
  window.__pointwise_ack_shim = true;
  const WS = window.WebSocket;
  const Patched = function(url, protocols) {
    const ws = protocols === undefined ? new WS(url) : new WS(url, protocols);
    if (/\/api\/kernels\/[^/?]+\/channels$/.test(String(url))) {
      let handler = null;
      Object.defineProperty(ws, 'onopen', {configurable: true, get() { return handler; }, set(h) { handler = h; }});
      ws.addEventListener('open', ev => setTimeout(() => handler && handler.call(ws, ev), 1500));
    }
    return ws;
  };
  Patched.prototype = WS.prototype;
  for (const k of ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED']) Patched[k] = WS[k];
  window.WebSocket = Patched;
  const setT = window.setTimeout;
  window.setTimeout = function(f, ms, ...rest) {
    if (ms === 500 && typeof f === 'function' && String(f).includes('comm_open_ack')) {
      ms = 15000;
    }
    return setT.call(window, f, ms, ...rest);
  };
})();`
