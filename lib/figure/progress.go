package figure

import (
	"fmt"
	"html"
	"strings"
	"time"

	"github.com/janpfeifer/gonb/gonbui"
)

// Progress reports a long computation. Under GoNB it draws a progress bar
// that updates in place; everywhere it prints plain lines through Log, so a
// headless log shows one line per milestone (an epoch, an epsilon).
type Progress struct {
	title string
	id    string
	start time.Time
	last  time.Time
	shown bool
}

// NewProgress returns a progress report titled title.
func NewProgress(title string) *Progress {
	p := &Progress{title: title, start: time.Now()}
	if gonbui.IsNotebook {
		p.id = "progress_" + gonbui.UniqueId()
	}
	return p
}

// Update sets the bar to done of total with a short status. Updates closer
// than 200 ms apart are dropped, except the last one, so that a fast loop
// does not flood the front end.
func (p *Progress) Update(done, total int, status string) {
	if p.id == "" {
		return
	}
	now := time.Now()
	if p.shown && done < total && now.Sub(p.last) < 200*time.Millisecond {
		return
	}
	p.last = now
	frac := 0.0
	if total > 0 {
		frac = min(1, max(0, float64(done)/float64(total)))
	}
	eta := ""
	if done > 0 && done < total {
		left := time.Duration(float64(now.Sub(p.start)) * (1 - frac) / frac)
		eta = ", about " + left.Round(time.Second).String() + " left"
	}
	h := fmt.Sprintf(`<div style="font-family:monospace">%s: %d/%d (%.0f%%%s) %s<br>`+
		`<div style="width:24em;height:0.8em;background:#ddd"><div style="width:%.1f%%;height:100%%;background:#0072B2"></div></div></div>`,
		html.EscapeString(p.title), done, total, 100*frac, eta, html.EscapeString(status), 100*frac)
	// The first UpdateHtml creates the display that the later ones replace:
	// one bar per Progress, never a stale copy above the live one.
	p.shown = true
	gonbui.UpdateHtml(p.id, h)
}

// Log prints one plain line prefixed by the title and the elapsed time.
func (p *Progress) Log(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	fmt.Printf("%s [%s] %s\n", p.title, time.Since(p.start).Round(100*time.Millisecond), strings.TrimRight(msg, "\n"))
}
