package adversarial

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"

	"pointwise/lib/attack"
)

// Auditor runs attack.Audit on a trained model and caches the table. The
// zero value uses attack.AuditSettings' defaults (the first 1000 test
// images, PGD-20, 10 restarts, APGD-CE 100, Square 1000 queries, ε = 0.5 for
// the chance check) and caches nothing.
type Auditor struct {
	// Subset, Restarts, APGDSteps and SquareQueries are those of
	// attack.AuditSettings (0 means its default).
	Subset, Restarts, APGDSteps, SquareQueries int
	// Seed seeds the audit's attacks.
	Seed uint64
	// CacheDir, if not "", keeps each table in <model key>-audit-<hash>.json.
	CacheDir string
	// Log, if non-nil, receives one line per audit.
	Log func(format string, args ...any)
}

// AuditTable is one model's audit table (attack.Audit's report, with the
// model it audits).
type AuditTable struct {
	Dataset, Training string
	Seed              uint64
	// Surrogate is the training whose model crafted the transfer check's
	// inputs ("" when there was none).
	Surrogate string
	Report    *attack.AuditReport
}

// AuditColumns are the columns of AuditValues' rows, the figure's
// <id>_audit.csv.
var AuditColumns = []string{"dataset", "training", "seed", "item", "passed", "skipped", "value", "detail"}

// Values returns the table's rows in the order of AuditColumns, for
// figure.Table.Append.
func (a *AuditTable) Values() [][]any {
	var out [][]any
	for _, r := range a.Report.Rows {
		out = append(out, []any{a.Dataset, a.Training, fmt.Sprint(a.Seed), r.Item, r.Passed, r.Skipped, r.Value, r.Detail})
	}
	return out
}

// Verdict returns "passed (13 of 13 checks)" or "FAILED k of 13 checks: ..."
// naming the failed items.
func (a *AuditTable) Verdict() string {
	f := a.Report.Failures()
	if len(f) == 0 {
		return fmt.Sprintf("passed (%d checks)", len(a.Report.Rows))
	}
	names := make([]string, len(f))
	for i, r := range f {
		names[i] = r.Item
	}
	return fmt.Sprintf("FAILED %d of %d checks: %s", len(f), len(a.Report.Rows), strings.Join(names, "; "))
}

type auditDoc struct {
	Subset, Restarts, APGD, Square int
	Seed                           uint64
	Epsilon                        float64
	Model, Surrogate, Test         string
}

// cachedRow stores an attack.AuditRow, whose NaN value (a skipped check)
// JSON cannot hold.
type cachedRow struct {
	attack.AuditRow
	Value *float64
}

// Run audits m at the L∞ radius eps on the test data, with surrogate's
// network (nil for none) as the transfer check's source.
func (au *Auditor) Run(ctx context.Context, m, surrogate *Model, test Data, eps float64) (*AuditTable, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	if m == nil || m.Net == nil {
		return nil, errors.New("adversarial: model without a network: need one from Trainer.Train")
	}
	if err := test.check("test"); err != nil {
		return nil, err
	}
	out := &AuditTable{Dataset: m.Data, Training: m.Config.Method.String(), Seed: m.Config.Seed}
	d := auditDoc{Subset: au.Subset, Restarts: au.Restarts, APGD: au.APGDSteps, Square: au.SquareQueries, Seed: au.Seed,
		Epsilon: eps, Model: m.Key, Test: test.Fingerprint()}
	if surrogate != nil {
		d.Surrogate, out.Surrogate = surrogate.Key, surrogate.Config.Method.String()
	}
	var cachePath string
	if au.CacheDir != "" {
		k := key("audit", m.Config, test.Name, d.Test, d)
		cachePath = filepath.Join(au.CacheDir, m.Key+"-audit-"+k[strings.LastIndexByte(k, '-')+1:]+".json")
		if rep, err := readAudit(cachePath); err == nil {
			out.Report = rep
			au.logf("%v: audit read from the cache (%s)", m.Config.Method, filepath.Base(cachePath))
			return out, nil
		} else if !errors.Is(err, os.ErrNotExist) {
			au.logf("%v: cached audit unusable, auditing again: %v", m.Config.Method, err)
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s := attack.AuditSettings[float32]{Subset: au.Subset, Restarts: au.Restarts, APGDSteps: au.APGDSteps,
		SquareQueries: au.SquareQueries, Seed: au.Seed, Batch: DefaultEvalBatch}
	model, err := attack.NewNetworkModel(m.Net, DefaultEvalBatch)
	if err != nil {
		return nil, fmt.Errorf("adversarial: %w", err)
	}
	if surrogate != nil {
		if s.Surrogate, err = attack.NewNetworkModel(surrogate.Net, DefaultEvalBatch); err != nil {
			return nil, fmt.Errorf("adversarial: %w", err)
		}
	}
	rep, err := attack.Audit[float32](model, test.Split.X, test.Split.Y, eps, s)
	if err != nil {
		return nil, fmt.Errorf("adversarial: auditing %v: %w", m.Config.Method, err)
	}
	out.Report = rep
	au.logf("%v: audit %s", m.Config.Method, out.Verdict())
	if cachePath != "" {
		rows := make([]cachedRow, len(rep.Rows))
		for i, r := range rep.Rows {
			rows[i].AuditRow = r
			if !math.IsNaN(r.Value) && !math.IsInf(r.Value, 0) {
				v := r.Value
				rows[i].Value = &v
			}
		}
		b, _ := json.MarshalIndent(struct {
			Epsilon float64
			N       int
			Rows    []cachedRow
		}{rep.Epsilon, rep.N, rows}, "", "  ")
		if err := os.MkdirAll(au.CacheDir, 0o755); err != nil {
			return nil, fmt.Errorf("adversarial: cache directory: %w", err)
		}
		if err := writeFileAtomic(cachePath, b); err != nil {
			return nil, fmt.Errorf("adversarial: caching the audit: %w", err)
		}
	}
	return out, nil
}

func (au *Auditor) logf(format string, args ...any) {
	if au.Log != nil {
		au.Log(format, args...)
	}
}

func readAudit(path string) (*attack.AuditReport, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var doc struct {
		Epsilon float64
		N       int
		Rows    []cachedRow
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(doc.Rows) == 0 {
		return nil, fmt.Errorf("%s: no rows", path)
	}
	rep := &attack.AuditReport{Epsilon: doc.Epsilon, N: doc.N}
	for _, r := range doc.Rows {
		row := r.AuditRow
		row.Value = math.NaN()
		if r.Value != nil {
			row.Value = *r.Value
		}
		rep.Rows = append(rep.Rows, row)
	}
	return rep, nil
}
