package adversarial

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"pointwise/lib/attack"
)

// Auditor runs attack.Audit on a trained model. The zero value uses
// attack.AuditSettings' defaults (the first 1000 test images, PGD-20, 10
// restarts, APGD-CE 100, Square 1000 queries, ε = 0.5 for the chance
// check).
type Auditor struct {
	// Subset, Restarts, APGDSteps and SquareQueries are those of
	// attack.AuditSettings (0 means its default).
	Subset, Restarts, APGDSteps, SquareQueries int
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

// String returns the table as the notebook shows it: which model, the
// verdict, the report, and what each failure suggests.
func (a *AuditTable) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s training, seed %d (transfer from %s): %s\n", a.Training, a.Seed, a.Surrogate, a.Verdict())
	b.WriteString(a.Report.String())
	for _, f := range a.Report.Failures() {
		fmt.Fprintf(&b, "  -> %s: %s\n", f.Item, f.Detail)
	}
	return b.String()
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

// Run audits m at the L∞ radius eps on the test data, with surrogate's
// network (nil for none) as the transfer check's source, through r (read
// from its cache when it holds the table). The audit's attacks are seeded
// with m's training seed.
func (au *Auditor) Run(ctx context.Context, r *Runner, m, surrogate *Model, test Data, eps float64) (*AuditTable, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	if err := needModel(m, "model", test); err != nil {
		return nil, err
	}
	out := &AuditTable{Dataset: m.Data, Training: m.Config.Method.String(), Seed: m.Config.Seed}
	s := attack.AuditSettings[float32]{Subset: au.Subset, Restarts: au.Restarts, APGDSteps: au.APGDSteps,
		SquareQueries: au.SquareQueries, Seed: m.Config.Seed, Batch: EvalBatch}
	data := []string{m.Key, test.fingerprint()}
	if surrogate != nil {
		if err := needModel(surrogate, "surrogate", test); err != nil {
			return nil, err
		}
		out.Surrogate = surrogate.Config.Method.String()
		data = append(data, surrogate.Key)
	}
	settings := struct {
		Subset, Restarts, APGD, Square, Batch int
		Epsilon                               float64
	}{au.Subset, au.Restarts, au.APGDSteps, au.SquareQueries, EvalBatch, eps}
	rep, _, err := run(ctx, r, m.title("audit"), m.Key+"-audit", m.Config.Seed, settings, data, checkAudit,
		func(ctx context.Context, log Reporter) (*attack.AuditReport, error) {
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("adversarial: audit stopped: %w", context.Cause(ctx))
			}
			model, err := attack.NewNetworkModel(m.Net, EvalBatch)
			if err != nil {
				return nil, fmt.Errorf("adversarial: %w", err)
			}
			if surrogate != nil {
				if s.Surrogate, err = attack.NewNetworkModel(surrogate.Net, EvalBatch); err != nil {
					return nil, fmt.Errorf("adversarial: %w", err)
				}
			}
			rep, err := attack.Audit[float32](model, test.Split.X, test.Split.Y, eps, s)
			if err != nil {
				return nil, fmt.Errorf("adversarial: auditing %v: %w", m.Config.Method, err)
			}
			log.Log("audit %s", (&AuditTable{Report: rep}).Verdict())
			return rep, nil
		})
	if err != nil {
		return nil, err
	}
	out.Report = rep
	return out, nil
}

// checkAudit rejects a cached report without rows.
func checkAudit(rep *attack.AuditReport) error {
	if rep == nil || len(rep.Rows) == 0 {
		return errors.New("an audit report needs rows")
	}
	return nil
}
