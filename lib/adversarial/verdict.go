package adversarial

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// AuditSummary is one model's audit as read back from the audit CSV.
type AuditSummary struct {
	Dataset, Training, Seed string
	// Checks counts the rows; Failed names the checks that failed, and
	// Details gives their sentences, in the same order.
	Checks          int
	Failed, Details []string
}

// Verdict returns "passed (13 checks)" or "FAILED k of 13 checks: ...".
func (a AuditSummary) Verdict() string {
	if len(a.Failed) == 0 {
		return fmt.Sprintf("passed (%d checks)", a.Checks)
	}
	return fmt.Sprintf("FAILED %d of %d checks: %s", len(a.Failed), a.Checks, strings.Join(a.Failed, "; "))
}

// ReadAuditCSV reads a table with the header AuditColumns (in any order)
// and returns one summary per model, in the order of first appearance.
func ReadAuditCSV(path string) ([]AuditSummary, error) {
	recs, col, err := readTable(path, AuditColumns)
	if err != nil {
		return nil, err
	}
	var out []AuditSummary
	idx := map[string]int{}
	for line, rec := range recs[1:] {
		k := rec[col["dataset"]] + "\x00" + rec[col["training"]] + "\x00" + rec[col["seed"]]
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, AuditSummary{Dataset: rec[col["dataset"]], Training: rec[col["training"]], Seed: rec[col["seed"]]})
		}
		passed, err := strconv.ParseBool(rec[col["passed"]])
		if err != nil {
			return nil, fmt.Errorf("adversarial: %s line %d column passed: %w", path, line+2, err)
		}
		out[i].Checks++
		if !passed {
			out[i].Failed = append(out[i].Failed, rec[col["item"]])
			out[i].Details = append(out[i].Details, rec[col["detail"]])
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("adversarial: %s: no audit rows", path)
	}
	return out, nil
}

// margin is the smallest difference, in accuracy, that the verdicts call a
// difference: 1 point, or the larger min-max spread over seeds of the two
// accuracies compared when that is more.
func margin(a, b Stat) float64 { return max(0.01, a.Spread(), b.Spread()) }

// verdict compares hard (h) with PGD (p) training under one attack at ε,
// in one sentence that quotes the spread over seeds when there are several:
// differences within margin (1 point or the seeds' spread) are "about as
// robust as".
func verdict(attackName string, eps float64, h, p, s Stat) string {
	d := h.Mean - p.Mean
	verdict := "about as robust as"
	switch m := margin(h, p); {
	case d > m:
		verdict = "more robust than"
	case d < -m:
		verdict = "less robust than"
	}
	return fmt.Sprintf("Under %s at eps_train = %g, hard training at %v is %s PGD training at %v: %+.1f points; standard training keeps %v.",
		attackName, eps, h, verdict, p, 100*d, s)
}

// gainVerdict says in words whether hard training's gain over standard
// training under PGD (h − s) survives the ensemble (he − se): it survives
// when the ensemble's gain exceeds margin (1 point or the seeds' spread).
func gainVerdict(h, s, he, se Stat) string {
	g, ge := h.Mean-s.Mean, he.Mean-se.Mean
	kept := ""
	if g > 0 {
		kept = fmt.Sprintf(", %.0f%% of it", 100*math.Max(ge, 0)/g)
	}
	switch {
	case g <= margin(h, s):
		return fmt.Sprintf("Hard training shows no gain over standard training under PGD-20 (%+.1f points) for the ensemble to confirm; under the ensemble the difference is %+.1f points.", 100*g, 100*ge)
	case ge > margin(he, se):
		return fmt.Sprintf("Hard training's gain over standard training survives the ensemble: %+.1f points under PGD-20, %+.1f points under the ensemble%s.", 100*g, 100*ge, kept)
	}
	return fmt.Sprintf("Hard training's gain over standard training does not survive the ensemble: %+.1f points under PGD-20 but %+.1f under the ensemble, within the margin of %.1f points.", 100*g, 100*ge, 100*margin(he, se))
}
