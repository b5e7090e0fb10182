// Command gallery writes out/index.html, one self-contained page that shows
// every figure of pointwise's notebooks with its caption, its checks, and
// links to the executed notebook and to the CSVs.
//
// For each notebook under -notebooks it reads the figure ids in the
// notebook's metadata ({"pointwise": {"figures": [...]}}) and the caption
// from its first markdown cell (the heading and the paragraph after it), and
// for each figure id the files cmd/nbrun left in <out>/figures: <id>.png,
// <id>.svg, <id>.csv, <id>_<name>.csv and <id>_checks.csv. Links are
// relative, so the folder <out> can be copied or served as it is.
//
// The HTML renderings of the notebooks that cmd/nbrun wrote to
// <out>/notebooks load require.js and MathJax from ../assets: gallery copies
// the files they need there from Debian's packages (libjs-requirejs,
// libjs-mathjax), so that nothing is loaded from outside <out>.
package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"html/template"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	"pointwise/internal/nbformat"
	"pointwise/lib/figure"
)

func main() {
	var (
		nbDir = flag.String("notebooks", "notebooks", "folder of the figure notebooks")
		out   = flag.String("out", "out", "the output folder of cmd/nbrun; index.html is written there")
		js    = flag.String("js", "/usr/share/javascript", "Debian's JavaScript folder (packages libjs-requirejs, libjs-mathjax)")
		mode  = flag.String("mode", "", `"quick" or "full", shown on the page; empty reads $POINTWISE_QUICK`)
	)
	flag.Parse()
	if *mode == "" {
		*mode = figure.ModeName()
	}
	if err := run(*nbDir, *out, *js, *mode); err != nil {
		fmt.Fprintln(os.Stderr, "gallery:", err)
		os.Exit(1)
	}
}

// Entry is one notebook on the page.
type Entry struct {
	Name, Title string
	Caption     []template.HTML // paragraphs
	HTML, IPYNB string          // links, empty when missing
	Figures     []Figure
}

// Figure is one figure id of a notebook.
type Figure struct {
	ID       string
	PNG, SVG string
	CSVs     []string
	Checks   []Check
	Passed   int
	HasCheck bool
}

// Check is one row of <id>_checks.csv.
type Check struct {
	Name, Detail string
	Passed       bool
}

func run(nbDir, out, js, mode string) error {
	paths, err := filepath.Glob(filepath.Join(nbDir, "*.ipynb"))
	if err != nil {
		return err
	}
	if len(paths) == 0 {
		return fmt.Errorf("no notebook in %s", nbDir)
	}
	// The paper's figures first, then the open questions (ext*).
	sort.SliceStable(paths, func(i, j int) bool {
		fi, fj := strings.HasPrefix(filepath.Base(paths[i]), "fig"), strings.HasPrefix(filepath.Base(paths[j]), "fig")
		return fi && !fj
	})
	var all []Entry
	for _, p := range paths {
		es, err := entries(p, out)
		if err != nil {
			return err
		}
		all = append(all, es...)
	}
	if err := assets(out, js); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := page.Execute(&buf, struct {
		Mode    string
		Entries []Entry
	}{mode, all}); err != nil {
		return err
	}
	dst := filepath.Join(out, "index.html")
	if err := os.WriteFile(dst, buf.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Printf("gallery: wrote %s (%d notebooks)\n", dst, len(all))
	return nil
}

type notebook struct {
	Cells []struct {
		CellType string          `json:"cell_type"`
		Source   json.RawMessage `json:"source"`
	} `json:"cells"`
}

func exists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Size() > 0
}

// entries returns the notebook's entries on the page, one per run (Figure 6:
// one per data set).
func entries(path, out string) ([]Entry, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var nb notebook
	if err := json.Unmarshal(b, &nb); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	runs, err := nbformat.Runs(path)
	if err != nil {
		return nil, err
	}
	var es []Entry
	for _, r := range runs {
		e, err := entry(nb, r, out, len(runs) > 1)
		if err != nil {
			return nil, err
		}
		es = append(es, e)
	}
	return es, nil
}

func entry(nb notebook, r nbformat.Run, out string, several bool) (Entry, error) {
	var err error
	name := r.Name
	e := Entry{Name: name, Title: name}
	for _, c := range nb.Cells {
		if c.CellType == "markdown" {
			e.Title, e.Caption = caption(nbformat.Text(c.Source), name)
			break
		}
	}
	if several {
		e.Title += " (" + name + ")"
	}
	if exists(filepath.Join(out, "notebooks", name+".html")) {
		e.HTML = "notebooks/" + name + ".html"
	}
	if exists(filepath.Join(out, "notebooks", name+".ipynb")) {
		e.IPYNB = "notebooks/" + name + ".ipynb"
	}
	for _, id := range r.Figures {
		f := Figure{ID: id}
		if exists(filepath.Join(out, "figures", id+".png")) {
			f.PNG = "figures/" + id + ".png"
		}
		if exists(filepath.Join(out, "figures", id+".svg")) {
			f.SVG = "figures/" + id + ".svg"
		}
		csvs, _ := filepath.Glob(filepath.Join(out, "figures", id+"_*.csv"))
		if exists(filepath.Join(out, "figures", id+".csv")) {
			csvs = append([]string{filepath.Join(out, "figures", id+".csv")}, csvs...)
		}
		for _, c := range csvs {
			if !strings.HasSuffix(c, "_checks.csv") {
				f.CSVs = append(f.CSVs, "figures/"+filepath.Base(c))
			}
		}
		if f.Checks, err = readChecks(filepath.Join(out, "figures", id+"_checks.csv")); err != nil {
			return Entry{}, err
		}
		f.HasCheck = len(f.Checks) > 0
		for _, c := range f.Checks {
			if c.Passed {
				f.Passed++
			}
		}
		e.Figures = append(e.Figures, f)
	}
	return e, nil
}

func readChecks(path string) ([]Check, error) {
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	var checks []Check
	for i, r := range rows {
		if i == 0 || len(r) < 3 {
			continue // header
		}
		checks = append(checks, Check{Name: r[0], Passed: r[1] == "true", Detail: r[2]})
	}
	return checks, nil
}

var (
	codeSpan = regexp.MustCompile("`([^`]+)`")
	emSpan   = regexp.MustCompile(`\*([^*\s][^*]*)\*`)
	link     = regexp.MustCompile(`\[([^\]]+)\]\([^)]+\)`)
)

// caption returns the heading of a markdown cell and its first paragraph,
// with code spans and emphasis kept.
func caption(md, fallback string) (string, []template.HTML) {
	title := fallback
	var paras []template.HTML
	for _, block := range strings.Split(strings.TrimSpace(md), "\n\n") {
		block = strings.TrimSpace(block)
		if strings.HasPrefix(block, "#") && title == fallback {
			title = strings.TrimSpace(strings.TrimLeft(strings.SplitN(block, "\n", 2)[0], "#"))
			continue
		}
		if block != "" && len(paras) == 0 {
			s := template.HTMLEscapeString(link.ReplaceAllString(strings.Join(strings.Fields(block), " "), "$1"))
			s = codeSpan.ReplaceAllString(s, "<code>$1</code>")
			s = emSpan.ReplaceAllString(s, "<em>$1</em>")
			paras = append(paras, template.HTML(s))
		}
	}
	return title, paras
}

// assets copies require.js and the parts of MathJax that nbconvert's pages
// load into <out>/assets, when Debian's packages of them are installed.
func assets(out, js string) error {
	pages, _ := filepath.Glob(filepath.Join(out, "notebooks", "*.html"))
	if len(pages) == 0 {
		return nil
	}
	dst := filepath.Join(out, "assets")
	if _, err := os.Stat(filepath.Join(js, "requirejs", "require.min.js")); os.IsNotExist(err) {
		// Optional: without them the pages show their math as TeX source.
		fmt.Printf("gallery: no require.js and MathJax in %s: the notebook pages show math as TeX source (to typeset it: sudo apt-get install libjs-requirejs libjs-mathjax)\n", js)
		return nil
	}
	if err := copyFile(filepath.Join(js, "requirejs", "require.min.js"), filepath.Join(dst, "require.min.js")); err != nil {
		return fmt.Errorf("require.js (Debian package libjs-requirejs): %v", err)
	}
	mj := filepath.Join(js, "mathjax")
	for _, part := range []string{"MathJax.js", "config", "extensions", "jax/input/TeX", "jax/element",
		"jax/output/CommonHTML", "fonts/HTML-CSS/TeX/woff"} {
		if err := copyTree(filepath.Join(mj, part), filepath.Join(dst, "mathjax", part)); err != nil {
			return fmt.Errorf("MathJax (Debian package libjs-mathjax): %v", err)
		}
	}
	return nil
}

// copyTree copies a file or a folder, following symbolic links (Debian
// links MathJax's fonts from other packages).
func copyTree(src, dst string) error {
	st, err := os.Stat(src)
	if err != nil {
		return err
	}
	if !st.IsDir() {
		return copyFile(src, dst)
	}
	ents, err := os.ReadDir(src)
	if err != nil {
		return err
	}
	for _, e := range ents {
		if err := copyTree(filepath.Join(src, e.Name()), filepath.Join(dst, e.Name())); err != nil {
			return err
		}
	}
	return nil
}

func copyFile(src, dst string) error {
	if a, err := os.Stat(src); err == nil {
		if b, err := os.Stat(dst); err == nil && b.Size() == a.Size() && !b.ModTime().Before(a.ModTime()) {
			return nil
		}
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	o, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(o, in); err != nil {
		o.Close()
		return err
	}
	return o.Close()
}

var page = template.Must(template.New("page").Funcs(template.FuncMap{
	"base": filepath.Base,
	"all":  func(f Figure) bool { return f.HasCheck && f.Passed == len(f.Checks) },
	"has":  func(s []string, v string) bool { return slices.Contains(s, v) },
}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>pointwise: figures</title>
<link rel="icon" href="data:,">
<style>
body { font-family: system-ui, sans-serif; max-width: 68rem; margin: 2rem auto; padding: 0 1rem; color: #222; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
.mode { color: #555; margin-top: 0; }
.mode b.quick { color: #b35900; }
nav a { margin-right: 1rem; }
section { border-top: 1px solid #ccc; padding-top: 1rem; margin-top: 2rem; }
h2 { font-size: 1.25rem; margin: 0 0 0.4rem; }
.caption { max-width: 52rem; }
figure { margin: 1rem 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { font-size: 0.9rem; color: #444; }
table.checks { border-collapse: collapse; font-size: 0.9rem; margin: 0.5rem 0; }
table.checks td, table.checks th { border: 1px solid #ddd; padding: 0.2rem 0.5rem; text-align: left; vertical-align: top; }
.pass { color: #1a7f37; font-weight: bold; }
.fail { color: #c62828; font-weight: bold; }
.links a { margin-right: 0.8rem; }
.missing { color: #c62828; }
code { background: #f4f4f4; padding: 0 0.2em; }
</style>
</head>
<body>
<h1>pointwise: the figures of Barati et al., ICPR 2020</h1>
<p class="mode">Mode: <b class="{{.Mode}}">{{.Mode}}</b>{{if eq .Mode "quick"}} (reduced settings for tests: not the paper's figures){{end}}.
Each figure links to its executed notebook and to the CSV of the numbers it plots.</p>
<nav>{{range .Entries}}<a href="#{{.Name}}">{{.Title}}</a> {{end}}</nav>
{{range .Entries}}
<section id="{{.Name}}">
<h2>{{.Title}}</h2>
{{range .Caption}}<p class="caption">{{.}}</p>{{end}}
<p class="links">Notebook:
{{if .HTML}}<a href="{{.HTML}}">executed notebook (HTML)</a>{{else}}<span class="missing">not executed (run make figures)</span>{{end}}
{{if .IPYNB}}<a href="{{.IPYNB}}">.ipynb with outputs</a>{{end}}
</p>
{{range .Figures}}
<figure id="fig-{{.ID}}">
{{if .PNG}}<img src="{{.PNG}}" alt="Figure {{.ID}}">{{else}}<p class="missing">{{.ID}}: no figure written yet.</p>{{end}}
<figcaption>
<b>{{.ID}}</b>{{if .HasCheck}}: <span class="{{if all .}}pass{{else}}fail{{end}}">{{.Passed}} of {{len .Checks}} checks passed</span>{{else}}: no checks recorded{{end}}
<span class="links">{{if .SVG}}<a href="{{.SVG}}">SVG</a>{{end}}{{range .CSVs}}<a href="{{.}}">{{base .}}</a>{{end}}{{if .HasCheck}}<a href="figures/{{.ID}}_checks.csv">{{.ID}}_checks.csv</a>{{end}}</span>
</figcaption>
</figure>
{{if .HasCheck}}<table class="checks"><tr><th></th><th>check</th><th>detail</th></tr>
{{range .Checks}}<tr><td class="{{if .Passed}}pass{{else}}fail{{end}}">{{if .Passed}}PASS{{else}}FAIL{{end}}</td><td>{{.Name}}</td><td>{{.Detail}}</td></tr>
{{end}}</table>{{end}}
{{end}}
</section>
{{end}}
</body>
</html>
`))
