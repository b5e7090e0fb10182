package adversarial

import (
	"errors"
	"fmt"
	"strings"
)

// Checks records the outcome of each check a notebook makes of its
// figure; *figure.Checks is one.
type Checks interface {
	// Add records the check name, whether it passed, and its detail,
	// formatted as by fmt.Sprintf.
	Add(name string, passed bool, format string, args ...any)
}

// Figure6Attacks are the attacks of Figure 6's panels, in their order:
// FGSM, PGD with the given steps, the ensemble.
func Figure6Attacks(steps int) []string {
	return []string{AttackFGSM, AttackPGD(steps), AttackEnsemble}
}

// FormatStudy returns what a Figure 6 notebook prints under its figure:
// the mean accuracies along the grid eps (formatTable, the ensemble on its
// subset of the test images), then, for every model, the ensemble at its
// last radius (ε_train on every test image) and what each of its attacks
// added.
func FormatStudy(rows []Row, runs []EnsembleRun, eps []float64, steps int) (string, error) {
	n := SubsetN(rows)
	table, err := formatTable(rows, eps, Figure6Attacks(steps), map[string]int{AttackEnsemble: n})
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString(table)
	fmt.Fprintf(&b, "(ensemble rows on the first %d test images)\n", n)
	for _, run := range runs {
		if len(run.Steps) == 0 || len(run.Rows) != len(run.Steps) {
			return "", errors.New("adversarial: ensemble run without steps")
		}
		st, r := run.Steps[len(run.Steps)-1], run.Rows[len(run.Rows)-1]
		fmt.Fprintf(&b, "%-8s seed %d, ensemble at eps = %g on %d images: %.2f%%; after each attack: %s (%.0f s)\n",
			r.Training, r.Seed, st.Epsilon, st.N, 100*r.Accuracy, st.After(), st.Seconds)
	}
	return b.String(), nil
}

// Tolerances of CheckFigure6's checks.
const (
	// ensembleSlack is how much more accuracy the ensemble may leave than
	// PGD at ε_train: it starts with PGD, with other random starts.
	ensembleSlack = 0.003
	// standardBand is the literature's bound on a standard MNIST MLP's
	// accuracy under PGD at ε = 0.1.
	standardBand = 0.2
	// aboutZero is the accuracy that counts as about 0.
	aboutZero = 0.02
)

// CheckFigure6 records in c the checks of a Figure 6 notebook, from the
// rows and audits it read back from its CSVs, and returns its verdicts in
// words. The claim (the paper's eq. 2 training makes the network more
// robust): both adversarial trainings beat standard training under PGD and
// under the ensemble at ε_train, as means over seeds on every test image.
// Sanity: the ensemble leaves no more than PGD does at ε_train (up to
// ensembleSlack), PGD is no weaker than FGSM on the standard network, a
// standard MNIST MLP keeps less than standardBand under PGD at ε = 0.1 and
// any standard MLP about 0 at ε = 0.3. With auditsPass, every audit must
// pass too (full mode; on quick mode's 200 images one sample is the audit's
// tolerance, so there the audits are only printed).
func CheckFigure6(c Checks, rows []Row, audits []AuditSummary, epsTrain float64, steps int, auditsPass bool) (string, error) {
	pgd, ens := AttackPGD(steps), AttackEnsemble
	std := selectRows(rows, Standard.String(), pgd, epsTrain, 0)
	if len(std) == 0 {
		return "", fmt.Errorf("adversarial: no %s row of standard training at ε = %g", pgd, epsTrain)
	}
	nAll := std[0].N
	var errs []error
	stat := func(training, attack string, eps float64) Stat {
		s, err := Summarize(rows, training, attack, eps, nAll)
		errs = append(errs, err)
		return s
	}
	for _, m := range []Method{PGD, Hard} {
		a, s := stat(m.String(), pgd, epsTrain), stat("standard", pgd, epsTrain)
		c.Add(m.String()+" training beats standard under PGD at eps_train", a.Mean > s.Mean,
			"%s at eps = %g: %s training %v, standard %v", pgd, epsTrain, m, a, s)
		e, se := stat(m.String(), ens, epsTrain), stat("standard", ens, epsTrain)
		c.Add(m.String()+" training beats standard under the ensemble at eps_train", e.Mean > se.Mean,
			"ensemble at eps = %g on %d images: %s training %v, standard %v", epsTrain, nAll, m, e, se)
	}
	for _, m := range Methods {
		a, e := stat(m.String(), pgd, epsTrain), stat(m.String(), ens, epsTrain)
		c.Add(m.String()+": ensemble no weaker than PGD-20 at eps_train", e.Mean <= a.Mean+ensembleSlack,
			"ensemble %v, PGD-20 %v (the ensemble starts with PGD-20; 0.3 points allowed for its other random starts)", e, a)
	}
	weaker := 0
	for _, r := range rows {
		if r.Training == "standard" && r.Attack == pgd {
			if f := selectRows(rows, "standard", AttackFGSM, r.Epsilon, r.N); len(f) > 0 && r.Accuracy > f[0].Accuracy && f[0].Seed == r.Seed {
				weaker++
			}
		}
	}
	c.Add("sanity: PGD no weaker than FGSM on the standard network", weaker == 0,
		"PGD accuracy above FGSM's at %d (eps, seed) pairs (a weaker PGD would point at the attack)", weaker)
	data := std[0].Dataset
	if data == "MNIST" { // the literature's band is for MNIST
		std1 := stat("standard", pgd, 0.1)
		c.Add("sanity: standard MNIST MLP well under 20% under PGD at eps = 0.1", std1.Max < standardBand,
			"%v (band from the literature; more would suggest a weak attack)", std1)
	}
	std3 := stat("standard", pgd, 0.3)
	c.Add("sanity: standard "+data+" MLP about 0% under PGD at eps = 0.3", std3.Max < aboutZero, "%v (below 2%% counts as about 0)", std3)
	var b strings.Builder
	for _, a := range audits {
		fmt.Fprintf(&b, "audit of %s training, seed %s: %s\n", a.Training, a.Seed, a.Verdict())
		if auditsPass {
			c.Add(fmt.Sprintf("audit passes: %s training, seed %s", a.Training, a.Seed), len(a.Failed) == 0, "%s", a.Verdict())
		}
	}
	h, p, s := stat("hard", pgd, epsTrain), stat("pgd", pgd, epsTrain), stat("standard", pgd, epsTrain)
	he, pe, se := stat("hard", ens, epsTrain), stat("pgd", ens, epsTrain), stat("standard", ens, epsTrain)
	if err := errors.Join(errs...); err != nil {
		return "", err
	}
	fmt.Fprintln(&b, verdict(pgd, epsTrain, h, p, s))
	fmt.Fprintln(&b, verdict("the ensemble", epsTrain, he, pe, se))
	fmt.Fprintln(&b, gainVerdict(h, s, he, se))
	return b.String(), nil
}
