package figure

import (
	"fmt"
	"image"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Gray returns the grey-scale picture of pixels, rows of width values (top
// row first, row-major, as dataset.Split stores an image), mapped linearly
// from lo (black) to hi (white): 0 and 1 for images in [0, 1], -ε and ε for a
// perturbation. Values at most max(1e-5·(hi − lo), 1e-6) outside [lo, hi]
// (rounding, as in a float32 perturbation x' − x) are clamped. It returns an
// error when width does not divide len(pixels), lo ≥ hi, or a value is not
// finite or further outside [lo, hi].
func Gray[T float32 | float64](pixels []T, width int, lo, hi float64) (*image.Gray, error) {
	if width < 1 || len(pixels) == 0 || len(pixels)%width != 0 {
		return nil, fmt.Errorf("figure: %d pixels with width %d: need width ≥ 1 dividing a non-zero number of pixels", len(pixels), width)
	}
	if !finite(lo) || !finite(hi) || !(lo < hi) {
		return nil, fmt.Errorf("figure: grey range lo, hi = %g, %g out of range: need finite lo < hi", lo, hi)
	}
	img := image.NewGray(image.Rect(0, 0, width, len(pixels)/width))
	tol := max(1e-5*(hi-lo), 1e-6)
	for i, p := range pixels {
		v := float64(p)
		if !finite(v) || v < lo-tol || v > hi+tol {
			return nil, fmt.Errorf("figure: pixel %d = %g out of range: need a finite value in [%g, %g]", i, v, lo, hi)
		}
		img.Pix[i] = uint8(math.Round(255 * min(max((v-lo)/(hi-lo), 0), 1)))
	}
	return img, nil
}

// Tile is one picture of an ImageGrid and the caption drawn under it.
type Tile struct {
	Image   image.Image
	Caption string
	// Alert draws the caption in vermillion (Palette[1]), for instance for a
	// misclassified image.
	Alert bool
}

// ImageGrid returns a panel that shows the tiles cols per row, row after
// row, each with its caption under it, and rowLabels (nil, or at most one
// per row) at the left of the rows. The tiles are drawn as large as the
// panel allows, all in the cell of the first tile's aspect ratio, each keeping
// its own; there are no axes. It returns an error when cols < 1, there is no
// tile, a tile has no image, or there are more row labels than rows.
func ImageGrid(title string, cols int, rowLabels []string, tiles []Tile) (*plot.Plot, error) {
	if cols < 1 {
		return nil, fmt.Errorf("figure: image grid %q: cols = %d out of range: need ≥ 1", title, cols)
	}
	if len(tiles) == 0 {
		return nil, fmt.Errorf("figure: image grid %q: no tiles: need at least one", title)
	}
	for i, t := range tiles {
		if t.Image == nil || t.Image.Bounds().Empty() {
			return nil, fmt.Errorf("figure: image grid %q: tile %d has no image: need a non-empty image.Image (see Gray)", title, i)
		}
	}
	rows := (len(tiles) + cols - 1) / cols
	if len(rowLabels) > rows {
		return nil, fmt.Errorf("figure: image grid %q: %d row labels for %d rows: need at most one per row", title, len(rowLabels), rows)
	}
	p := NewPlot(title, "", "")
	p.HideAxes()
	p.X.Padding, p.Y.Padding = 0, 0
	p.Add(&imageGrid{cols: cols, rows: rows, labels: rowLabels, tiles: tiles})
	return p, nil
}

// imageGrid is the plot.Plotter of ImageGrid: it lays its tiles out on the
// data canvas when drawn, so that they keep their aspect ratio at any panel
// size.
type imageGrid struct {
	cols, rows int
	labels     []string
	tiles      []Tile
}

var _ plot.Plotter = (*imageGrid)(nil)

// Plot implements plot.Plotter.
func (g *imageGrid) Plot(c draw.Canvas, p *plot.Plot) {
	sty := text.Style{Color: color.Black, Font: p.X.Tick.Label.Font, Handler: p.X.Tick.Label.Handler,
		XAlign: draw.XCenter, YAlign: draw.YTop}
	sty.Font.Size = tickSize
	gap := vg.Points(4)
	var capH vg.Length
	for _, t := range g.tiles {
		if t.Caption != "" {
			capH = 1.3 * sty.FontExtents().Height
		}
	}
	var labelW vg.Length
	for _, l := range g.labels {
		labelW = max(labelW, sty.Width(l)+gap)
	}
	b := g.tiles[0].Image.Bounds()
	aspect := vg.Length(b.Dy()) / vg.Length(b.Dx()) // cell height / width
	w, h := c.Max.X-c.Min.X-labelW, c.Max.Y-c.Min.Y
	cellW := (w - vg.Length(g.cols-1)*gap) / vg.Length(g.cols)
	if byH := (h - vg.Length(g.rows)*capH - vg.Length(g.rows-1)*gap) / vg.Length(g.rows) / aspect; byH < cellW {
		cellW = byH
	}
	if cellW <= 0 {
		return // no room
	}
	cellH := cellW * aspect
	gridW := labelW + vg.Length(g.cols)*cellW + vg.Length(g.cols-1)*gap
	gridH := vg.Length(g.rows)*(cellH+capH) + vg.Length(g.rows-1)*gap
	left := c.Min.X + (c.Max.X-c.Min.X-gridW)/2 + labelW
	top := c.Max.Y - (h-gridH)/2
	frame := draw.LineStyle{Color: color.Gray{Y: 160}, Width: vg.Points(0.5)}
	for i, t := range g.tiles {
		r, col := i/g.cols, i%g.cols
		x0, y1 := left+vg.Length(col)*(cellW+gap), top-vg.Length(r)*(cellH+capH+gap)
		tb := t.Image.Bounds()
		iw, ih := cellW, cellW*vg.Length(tb.Dy())/vg.Length(tb.Dx())
		if ih > cellH {
			iw, ih = cellH*vg.Length(tb.Dx())/vg.Length(tb.Dy()), cellH
		}
		rect := vg.Rectangle{Min: vg.Point{X: x0 + (cellW-iw)/2, Y: y1 - (cellH+ih)/2}}
		rect.Max = vg.Point{X: rect.Min.X + iw, Y: rect.Min.Y + ih}
		c.DrawImage(rect, sharp(t.Image))
		c.StrokeLines(frame, []vg.Point{rect.Min, {X: rect.Max.X, Y: rect.Min.Y}, rect.Max, {X: rect.Min.X, Y: rect.Max.Y}, rect.Min})
		if t.Caption != "" {
			s := sty
			if t.Alert {
				s.Color = Color(1)
			}
			c.FillText(s, vg.Point{X: x0 + cellW/2, Y: y1 - cellH - 0.15*capH}, t.Caption)
		}
	}
	ls := sty
	ls.XAlign, ls.YAlign = draw.XRight, draw.YCenter
	for r, l := range g.labels {
		c.FillText(ls, vg.Point{X: left - gap, Y: top - vg.Length(r)*(cellH+capH+gap) - cellH/2}, l)
	}
}

// sharp returns img enlarged by nearest neighbour to at least 256 pixels
// across, so that the canvas's bilinear scaling blurs only the borders
// between its pixels, not whole pixels.
func sharp(img image.Image) image.Image {
	b := img.Bounds()
	k := (256 + max(b.Dx(), b.Dy()) - 1) / max(b.Dx(), b.Dy())
	if k <= 1 {
		return img
	}
	out := image.NewRGBA(image.Rect(0, 0, k*b.Dx(), k*b.Dy()))
	for y := range out.Rect.Dy() {
		for x := range out.Rect.Dx() {
			out.Set(x, y, img.At(b.Min.X+x/k, b.Min.Y+y/k))
		}
	}
	return out
}
