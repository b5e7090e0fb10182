package classroom

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path"
	"reflect"
	"runtime"
	"slices"
	"strconv"
	"strings"
)

// ErrOffLimits is wrapped by the error of a checker whose function uses a
// package of this module that the exercise asks the student not to use
// (cheb.ChebyshevPoints in an exercise that asks for the Chebyshev points).
var ErrOffLimits = errors.New("off limits in this exercise")

// module is the import path of this module ("pointwise"): its packages are
// the ones an exercise may put off limits.
var module = strings.TrimSuffix(reflect.TypeOf(Head{}).PkgPath(), "/lib/classroom")

// ownCode returns nil when the function f, a student's answer, and every
// function, method, variable and type of its source file that it uses refer
// to no package of this module but those allowed: an import path
// ("pointwise/lib/cheb") or a path and a name ("pointwise/lib/classroom.Head").
// The standard library and other modules are always allowed.
//
// It reads the file the Go runtime names for f: GoNB's main.go in a notebook,
// which holds every declaration of the notebook's cells, so a helper in
// another cell is checked too. A function that is itself one of this
// module's (a library function passed as the answer) is refused unless
// allowed. A binary built with -trimpath names no readable file: ownCode says
// so rather than pass the answer unchecked.
func ownCode(f any, allowed ...string) error {
	v := reflect.ValueOf(f)
	if v.Kind() != reflect.Func || v.IsNil() {
		return fmt.Errorf("classroom: %T is not a function", f)
	}
	fn := runtime.FuncForPC(v.Pointer())
	if fn == nil {
		return fmt.Errorf("classroom: cannot find the code of the function to check (%T)", f)
	}
	full := fn.Name()
	file, line := fn.FileLine(fn.Entry())
	pkg, name := splitFuncName(full)
	if pkg != "main" && !strings.HasSuffix(file, "_test.go") {
		// Not a notebook's function nor a test's: a library function.
		if inModule(pkg) && !allow(allowed, pkg, name) {
			return fmt.Errorf("your answer is %s.%s, a function of %s: %w; write it yourself", path.Base(pkg), name, pkg, ErrOffLimits)
		}
		return nil
	}
	src, err := os.ReadFile(file)
	if err != nil {
		return fmt.Errorf("classroom: cannot read the code of %s to check which packages it uses (%v): was it built with -trimpath?", name, err)
	}
	return scanSource(file, src, line, name, allowed)
}

// splitFuncName splits a runtime function name such as
// "pointwise/lib/cheb.ChebyshevPoints" or "main.main.func1" into its package
// path and the rest.
func splitFuncName(full string) (pkg, name string) {
	slash := strings.LastIndex(full, "/")
	dot := strings.Index(full[slash+1:], ".")
	if dot < 0 {
		return "", full
	}
	return full[:slash+1+dot], full[slash+2+dot:]
}

func inModule(path string) bool { return path == module || strings.HasPrefix(path, module+"/") }

// allow reports whether name of package path may be used.
func allow(allowed []string, path, name string) bool {
	return !inModule(path) || slices.Contains(allowed, path) || slices.Contains(allowed, path+"."+name)
}

// scanSource checks the function that starts at line of the Go file src
// (named file, for errors), and what it uses of the file, against allowed.
// name is how errors call the function.
func scanSource(file string, src []byte, line int, name string, allowed []string) error {
	fset := token.NewFileSet()
	af, err := parser.ParseFile(fset, file, src, parser.SkipObjectResolution)
	if err != nil {
		return fmt.Errorf("classroom: cannot parse the code of %s: %v", name, err)
	}
	imports := map[string]string{} // local name → import path
	for _, im := range af.Imports {
		p, err := strconv.Unquote(im.Path.Value)
		if err != nil {
			continue
		}
		local := importName(p)
		if im.Name != nil {
			local = im.Name.Name
		}
		if local == "." && inModule(p) && !slices.Contains(allowed, p) {
			return fmt.Errorf("the notebook imports %s with a dot (import . %q), so the check cannot tell what %s uses: %w; import it by name", p, p, name, ErrOffLimits)
		}
		imports[local] = p
	}

	// Top-level declarations by name, and methods by name.
	decls := map[string][]ast.Node{}
	methods := map[string][]ast.Node{}
	for _, d := range af.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv != nil {
				methods[d.Name.Name] = append(methods[d.Name.Name], d)
			} else {
				decls[d.Name.Name] = append(decls[d.Name.Name], d)
			}
		case *ast.GenDecl:
			for _, s := range d.Specs {
				switch s := s.(type) {
				case *ast.ValueSpec:
					for _, n := range s.Names {
						decls[n.Name] = append(decls[n.Name], s)
					}
				case *ast.TypeSpec:
					decls[s.Name.Name] = append(decls[s.Name.Name], s)
				}
			}
		}
	}

	// The function itself: the innermost function declaration or literal
	// that starts on line (all of them, if several start there).
	var roots []ast.Node
	ast.Inspect(af, func(n ast.Node) bool {
		switch n.(type) {
		case *ast.FuncDecl, *ast.FuncLit:
			if fset.Position(n.Pos()).Line == line {
				roots = append(roots, n)
				return false
			}
		}
		return true
	})
	if len(roots) == 0 {
		return fmt.Errorf("classroom: cannot find the code of %s at %s:%d", name, file, line)
	}

	// Walk what the function uses, breadth first, remembering through which
	// declaration each was reached.
	via := map[ast.Node]string{}
	queue := slices.Clone(roots)
	seen := map[ast.Node]bool{}
	for _, r := range roots {
		seen[r], via[r] = true, name
	}
	push := func(n ast.Node, from string) {
		if !seen[n] {
			seen[n], via[n] = true, from
			queue = append(queue, n)
		}
	}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		who := via[n]
		var bad error
		ast.Inspect(n, func(x ast.Node) bool {
			if bad != nil {
				return false
			}
			switch x := x.(type) {
			case *ast.SelectorExpr:
				if id, ok := x.X.(*ast.Ident); ok {
					if p, ok := imports[id.Name]; ok {
						if !allow(allowed, p, x.Sel.Name) {
							bad = fmt.Errorf("%s uses %s.%s (package %s): %w; write the code yourself%s", who, id.Name, x.Sel.Name, p, ErrOffLimits, allowedNote(allowed))
						}
						return false
					}
				}
				for _, m := range methods[x.Sel.Name] {
					push(m, declName(m, who))
				}
			case *ast.Ident:
				for _, d := range decls[x.Name] {
					push(d, declName(d, who))
				}
			}
			return true
		})
		if bad != nil {
			return bad
		}
	}
	return nil
}

// declName names a declaration reached from who, for errors: "helper (used by
// chebyshevPoints)".
func declName(n ast.Node, who string) string {
	var name string
	switch n := n.(type) {
	case *ast.FuncDecl:
		name = n.Name.Name
	case *ast.ValueSpec:
		name = n.Names[0].Name
	case *ast.TypeSpec:
		name = n.Name.Name
	}
	return fmt.Sprintf("%s (used by %s)", name, who)
}

// allowedNote says which packages of the module an exercise allows.
func allowedNote(allowed []string) string {
	if len(allowed) == 0 {
		return " with the standard library"
	}
	return " (of pointwise's packages only " + strings.Join(allowed, ", ") + " may be used here)"
}

// importName is the name a package is imported under by default: the last
// element of its path, or the one before a major version suffix ("v2").
func importName(p string) string {
	base := path.Base(p)
	if len(base) > 1 && base[0] == 'v' && strings.Trim(base[1:], "0123456789") == "" {
		base = path.Base(path.Dir(p))
	}
	return strings.TrimPrefix(base, "go-")
}
