package figure

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math"
	"testing"
)

func TestGray(t *testing.T) {
	// 2 rows of 3: the top row dark to light, the bottom row the range's ends.
	img, err := Gray([]float32{0, 0.5, 1, 1, 0, 0.25}, 3, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 3 || b.Dy() != 2 {
		t.Fatalf("bounds %v, want 3 x 2", b)
	}
	// round(255 v): 0.5 -> 128 (127.5 rounds up), 0.25 -> 64 (63.75).
	want := []uint8{0, 128, 255, 255, 0, 64}
	for i, w := range want {
		if got := img.GrayAt(i%3, i/3).Y; got != w {
			t.Errorf("pixel (%d, %d) = %d, want %d", i%3, i/3, got, w)
		}
	}
	// A signed range: -eps black, 0 mid-grey, eps white; a rounding excess of
	// the ball is clamped.
	const eps = 0.1
	img, err = Gray([]float64{-eps, 0, eps, eps + 1e-7}, 4, -eps, eps)
	if err != nil {
		t.Fatal(err)
	}
	if got := img.Pix; !bytes.Equal(got, []uint8{0, 128, 255, 255}) {
		t.Errorf("signed range: pixels %v, want [0 128 255 255]", got)
	}
}

// box is the bounding box of the pixels of img of colour c, and their
// number.
func box(img image.Image, c color.RGBA) (image.Rectangle, int) {
	var r image.Rectangle
	n := 0
	b := img.Bounds()
	for py := b.Min.Y; py < b.Max.Y; py++ {
		for px := b.Min.X; px < b.Max.X; px++ {
			if color.RGBAModel.Convert(img.At(px, py)) != c {
				continue
			}
			p := image.Rect(px, py, px+1, py+1)
			if n == 0 {
				r = p
			} else {
				r = r.Union(p)
			}
			n++
		}
	}
	return r, n
}

// uniform returns a w x h picture of colour c.
func uniform(c color.RGBA, w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.SetRGBA(x, y, c)
		}
	}
	return img
}

func decode(t *testing.T, f *Figure) image.Image {
	t.Helper()
	b, err := f.PNG()
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// TestImageGridLayout draws three uniform tiles, red, green and blue (colours
// no anti-aliased text produces), two per row, and finds them in the PNG:
// square (their images are), as large as the panel allows, the first row
// left to right and the second row below it; the alert caption is
// vermillion. A picture blue over green then checks that an image's first
// row is drawn at the top, and a wide one that it keeps its aspect ratio.
func TestImageGridLayout(t *testing.T) {
	red, green, blue := color.RGBA{255, 0, 0, 255}, color.RGBA{0, 255, 0, 255}, color.RGBA{0, 0, 255, 255}
	panel, err := ImageGrid("layout", 2, []string{"row one", "row two"}, []Tile{
		{Image: uniform(red, 8, 8), Caption: "red"}, {Image: uniform(green, 8, 8), Caption: "green", Alert: true},
		{Image: uniform(blue, 8, 8), Caption: "blue"},
	})
	if err != nil {
		t.Fatal(err)
	}
	f, _ := New("grid", panel)
	f.PanelWidth = 2 * PanelWidth
	img := decode(t, f)
	boxes := map[string]image.Rectangle{}
	for name, c := range map[string]color.RGBA{"red": red, "green": green, "blue": blue} {
		r, n := box(img, c)
		if n == 0 {
			t.Fatalf("%s tile not drawn", name)
		}
		if d := r.Dx() - r.Dy(); d < -2 || d > 2 {
			t.Errorf("%s tile is %d x %d px: want a square (its image is)", name, r.Dx(), r.Dy())
		}
		// The panel is 8.5 cm high at 150 dpi, 502 px: two rows of tiles
		// with captions and the title leave each well over 150 px.
		if r.Dy() < 150 {
			t.Errorf("%s tile is %d px high: want the tiles as large as the panel allows", name, r.Dy())
		}
		if n < r.Dx()*r.Dy()*9/10 {
			t.Errorf("%s tile: %d of its box's %d pixels: want it filled", name, n, r.Dx()*r.Dy())
		}
		boxes[name] = r
	}
	if r, g := boxes["red"], boxes["green"]; !(g.Min.X > r.Max.X) || abs(g.Min.Y-r.Min.Y) > 2 {
		t.Errorf("green tile %v not right of the red tile %v on the same row", g, r)
	}
	if r, b := boxes["red"], boxes["blue"]; !(b.Min.Y > r.Max.Y) || abs(b.Min.X-r.Min.X) > 2 {
		t.Errorf("blue tile %v not below the red tile %v in the first column", b, r)
	}
	g := boxes["green"]
	found := false
	for py := g.Max.Y; py < min(g.Max.Y+60, img.Bounds().Max.Y) && !found; py++ {
		for px := g.Min.X; px < g.Max.X && !found; px++ {
			c := color.RGBAModel.Convert(img.At(px, py)).(color.RGBA)
			found = c.R > 180 && c.G > 60 && c.G < 140 && c.B < 60 // vermillion, 0xD55E00
		}
	}
	if !found {
		t.Error("no vermillion caption under the alert tile")
	}

	// Orientation and aspect: blue over green, twice as wide as high.
	half := image.NewRGBA(image.Rect(0, 0, 16, 8))
	for y := range 8 {
		for x := range 16 {
			half.SetRGBA(x, y, map[bool]color.RGBA{true: blue, false: green}[y < 4])
		}
	}
	if panel, err = ImageGrid("", 1, nil, []Tile{{Image: half}}); err != nil {
		t.Fatal(err)
	}
	f, _ = New("half", panel)
	img = decode(t, f)
	bb, _ := box(img, blue)
	gb, _ := box(img, green)
	if !(bb.Max.Y <= gb.Min.Y+2) {
		t.Errorf("blue half %v not above the green half %v: the image is upside down", bb, gb)
	}
	if w, h := bb.Dx(), bb.Dy()+gb.Dy(); math.Abs(float64(w)/float64(h)-2) > 0.05 {
		t.Errorf("a 16 x 8 picture drawn %d x %d px: want its aspect ratio, 2", w, h)
	}
}

// TestPNGMatchesRender checks that PNG draws what Render writes as <id>.png,
// without needing a table.
func TestPNGMatchesRender(t *testing.T) {
	f, err := sample()
	if err != nil {
		t.Fatal(err)
	}
	files, err := f.Render()
	if err != nil {
		t.Fatal(err)
	}
	b, err := f.PNG()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, files.Data[0]) {
		t.Error("PNG differs from Render's PNG")
	}
	g, _ := New("notable", NewPlot("no table", "x", "y"))
	if _, err := g.PNG(); err != nil {
		t.Errorf("PNG of a figure without a table: %v", err)
	}
}
