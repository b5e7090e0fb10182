package figure

import (
	"bytes"
	"fmt"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/janpfeifer/gonb/gonbui"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"pointwise/lib/internal/atomicfile"
)

// Figure is one figure of the paper: panels laid out on a grid, and the
// tables of the numbers they plot.
type Figure struct {
	// ID names the files: <ID>.png, <ID>.svg, <ID>.csv.
	ID string
	// Cols is the number of panels per row. If Cols is 0, it is the number of
	// panels, up to 3.
	Cols int
	// PanelWidth and PanelHeight are the size of one panel. Zero means the
	// package's PanelWidth and PanelHeight.
	PanelWidth, PanelHeight vg.Length

	panels []*plot.Plot
	tables []*Table
}

var idPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)

// New returns an empty figure. The id must be a lower-case file name stem
// such as "fig2" or "fig5-2d".
func New(id string, panels ...*plot.Plot) (*Figure, error) {
	if !idPattern.MatchString(id) {
		return nil, fmt.Errorf("figure: id %q invalid: use lower-case letters, digits, '-' and '_' (for example \"fig2\")", id)
	}
	return &Figure{ID: id, panels: panels}, nil
}

// Add appends panels, filled row by row.
func (f *Figure) Add(p ...*plot.Plot) { f.panels = append(f.panels, p...) }

// AddTable appends a table. The first table is written as <id>.csv; every
// other table needs a distinct non-empty Name and is written as
// <id>_<Name>.csv.
func (f *Figure) AddTable(t *Table) error {
	if t == nil {
		return fmt.Errorf("figure %s: nil table", f.ID)
	}
	if len(f.tables) > 0 {
		if t.Name == "" {
			return fmt.Errorf("figure %s: a second table needs a Name (it is written as %s_<name>.csv)", f.ID, f.ID)
		}
		for _, u := range f.tables[1:] {
			if u.Name == t.Name {
				return fmt.Errorf("figure %s: two tables named %q", f.ID, t.Name)
			}
		}
	}
	f.tables = append(f.tables, t)
	return nil
}

// Files holds a rendered figure: the file name of each output and its bytes.
type Files struct {
	Names []string
	Data  [][]byte
}

// Render draws the figure as PNG and SVG and formats its tables as CSV,
// without writing anything.
func (f *Figure) Render() (*Files, error) {
	if len(f.panels) == 0 {
		return nil, fmt.Errorf("figure %s: no panels: add at least one plot", f.ID)
	}
	if len(f.tables) == 0 {
		return nil, fmt.Errorf("figure %s: no table: every figure writes the CSV of its data", f.ID)
	}
	w, h, rows, cols, err := f.layout()
	if err != nil {
		return nil, err
	}
	out := &Files{}
	b, err := f.png(w, h, rows, cols)
	if err != nil {
		return nil, err
	}
	out.add(f.ID+".png", b)

	svg := vgsvg.New(w, h)
	f.draw(draw.New(svg), rows, cols)
	var buf bytes.Buffer
	if _, err := svg.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("figure %s: encoding SVG: %w", f.ID, err)
	}
	out.add(f.ID+".svg", buf.Bytes())

	for i, t := range f.tables {
		b, err := t.CSV()
		if err != nil {
			return nil, fmt.Errorf("figure %s: table %q: %w", f.ID, t.Name, err)
		}
		name := f.ID + ".csv"
		if i > 0 {
			name = f.ID + "_" + t.Name + ".csv"
		}
		out.add(name, b)
	}
	return out, nil
}

// PNG draws the figure as PNG only and writes nothing: for a plot that is
// shown but not published (Explorer.Draw), so it needs no table.
func (f *Figure) PNG() ([]byte, error) {
	if len(f.panels) == 0 {
		return nil, fmt.Errorf("figure %s: no panels: add at least one plot", f.ID)
	}
	w, h, rows, cols, err := f.layout()
	if err != nil {
		return nil, err
	}
	return f.png(w, h, rows, cols)
}

// layout returns the figure's size and its grid of panels.
func (f *Figure) layout() (w, h vg.Length, rows, cols int, err error) {
	if f.PanelWidth < 0 || f.PanelHeight < 0 || math.IsNaN(float64(f.PanelWidth)) || math.IsNaN(float64(f.PanelHeight)) ||
		math.IsInf(float64(f.PanelWidth), 0) || math.IsInf(float64(f.PanelHeight), 0) {
		return 0, 0, 0, 0, fmt.Errorf("figure %s: PanelWidth, PanelHeight = %v, %v out of range: need finite sizes ≥ 0 (0 means the default)", f.ID, f.PanelWidth, f.PanelHeight)
	}
	cols = f.Cols
	if cols <= 0 {
		cols = min(len(f.panels), 3)
	}
	rows = (len(f.panels) + cols - 1) / cols
	pw, ph := f.PanelWidth, f.PanelHeight
	if pw == 0 {
		pw = PanelWidth
	}
	if ph == 0 {
		ph = PanelHeight
	}
	return vg.Length(cols) * pw, vg.Length(rows) * ph, rows, cols, nil
}

// png draws the figure, w × h, as PNG.
func (f *Figure) png(w, h vg.Length, rows, cols int) ([]byte, error) {
	c := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(DPI))
	f.draw(draw.New(c), rows, cols)
	var buf bytes.Buffer
	// Best speed: the default level took 3.7 times as long on Figure 5's
	// heat maps (184 against 50 ms) and 1.4 times on the line plots, for
	// files 4-25% smaller; every redraw of an Explorer waits for it.
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, c.Image()); err != nil {
		return nil, fmt.Errorf("figure %s: encoding PNG: %w", f.ID, err)
	}
	return buf.Bytes(), nil
}

func (o *Files) add(name string, b []byte) {
	o.Names = append(o.Names, name)
	o.Data = append(o.Data, b)
}

func (f *Figure) draw(dc draw.Canvas, rows, cols int) {
	if IsQuick() {
		dc = markQuick(dc)
	}
	grid := make([][]*plot.Plot, rows)
	for r := range grid {
		grid[r] = make([]*plot.Plot, cols)
		for c := range grid[r] {
			if k := r*cols + c; k < len(f.panels) {
				grid[r][c] = f.panels[k]
			}
		}
	}
	tiles := draw.Tiles{
		Rows: rows, Cols: cols,
		PadX: vg.Millimeter * 4, PadY: vg.Millimeter * 4,
		PadTop: vg.Millimeter * 2, PadBottom: vg.Millimeter * 2,
		PadLeft: vg.Millimeter * 2, PadRight: vg.Millimeter * 2,
	}
	canvases := plot.Align(grid, tiles, dc)
	for r := range grid {
		for c, p := range grid[r] {
			if p != nil {
				p.Draw(canvases[r][c])
			}
		}
	}
}

// QuickMark is the text written across the top of every image drawn in
// Quick mode.
const QuickMark = "QUICK MODE: reduced settings for tests, not the paper's figure"

// markQuick writes QuickMark on a vermillion band across the top of dc and
// returns the canvas below the band, where the panels go.
func markQuick(dc draw.Canvas) draw.Canvas {
	band := vg.Length(titleSize) * 1.8
	top := dc.Max.Y
	dc.FillPolygon(Palette[1], []vg.Point{{X: dc.Min.X, Y: top}, {X: dc.Max.X, Y: top}, {X: dc.Max.X, Y: top - band}, {X: dc.Min.X, Y: top - band}})
	ts := draw.TextStyle{Color: color.White, Font: font.From(plot.DefaultFont, vg.Length(titleSize)), XAlign: draw.XCenter, YAlign: draw.YCenter, Handler: plot.DefaultTextHandler}
	dc.FillText(ts, vg.Point{X: (dc.Min.X + dc.Max.X) / 2, Y: top - band/2}, QuickMark)
	return draw.Crop(dc, 0, 0, 0, -band)
}

// Save renders the figure and writes its files into dir (created if
// missing). Each file is written to a temporary name and renamed, so a reader
// never sees a partial file. It returns the paths written.
func (f *Figure) Save(dir string) ([]string, error) {
	files, err := f.Render()
	if err != nil {
		return nil, err
	}
	return files.Save(dir)
}

// Save writes the rendered files into dir.
func (o *Files) Save(dir string) ([]string, error) {
	if err := mkdirAll(dir); err != nil {
		return nil, err
	}
	paths := make([]string, len(o.Names))
	for i, name := range o.Names {
		paths[i] = filepath.Join(dir, name)
		if err := WriteFileAtomic(paths[i], o.Data[i]); err != nil {
			return paths[:i], err
		}
	}
	return paths, nil
}

// Publish renders the figure, writes it into OutDir, shows the PNG inline
// under GoNB and prints the paths written.
func (f *Figure) Publish() error {
	files, err := f.Render()
	if err != nil {
		return err
	}
	paths, err := files.Save(OutDir())
	if err != nil {
		return err
	}
	if gonbui.IsNotebook {
		gonbui.DisplayPng(files.Data[0])
	}
	fmt.Printf("%s: wrote %s\n", f.ID, strings.Join(paths, ", "))
	return nil
}

// WriteFileAtomic writes data to path through a temporary file in the same
// folder, synced and renamed over path: a crash leaves either the old file
// or the new one, never a truncated one.
func WriteFileAtomic(path string, data []byte) error {
	if err := atomicfile.Write(path, data); err != nil {
		return fmt.Errorf("figure: %w", err)
	}
	return nil
}

func mkdirAll(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("figure: cannot create output folder %s: %w", dir, err)
	}
	return nil
}
