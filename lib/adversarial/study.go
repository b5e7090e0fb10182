package adversarial

import (
	"context"
	"errors"
	"fmt"
)

// Study is the whole of one Figure 6 notebook: the three trainings for
// every seed, their evaluation under FGSM and PGD along the ε grid, the
// attack ensemble (on a subset along the grid and on every test image at
// ε_train) and the audit of every trained model, all cached, so that the
// notebook's cells stay a few lines and the MNIST and Fashion-MNIST
// notebooks share one code path.
type Study struct {
	// Train and Test are the data.
	Train, Test Data
	// Seeds are the training seeds (see ParseSeeds); nil means {1}. Each
	// model's attacks are seeded with its training seed.
	Seeds []uint64
	// Config is the template of every training: Method and Seed are set per
	// model, Epsilon is ε_train.
	Config Config
	// Eval holds the FGSM/PGD settings (Epsilons, Steps, BatchSize);
	// Seed, CacheDir, Progress and Log are set per model.
	Eval Evaluator
	// Ensemble holds the ensemble's settings (Epsilons, Subset, APGDSteps,
	// Targets, SquareQueries, BatchSize); Full is set to {ε_train}, and
	// Seed, CacheDir, Progress and Log per model.
	Ensemble EnsembleEvaluator
	// Audit holds the audit's settings (Subset, Restarts, APGDSteps,
	// SquareQueries); Seed, CacheDir and Log are set per model. The audit
	// runs at ε_train; its transfer check crafts on the standard model of
	// the same seed for the adversarially trained ones, and on the PGD
	// model for the standard one.
	Audit Auditor
	// CacheDir holds every trained network and result.
	CacheDir string
	// Reporter, if non-nil, returns the progress and log callbacks of one
	// task, given its title (figure.NewProgress's Update and Log).
	Reporter func(title string) (progress func(done, total int, status string), log func(format string, args ...any))
}

func (s *Study) seeds() []uint64 {
	if s.Seeds == nil {
		return []uint64{1}
	}
	return s.Seeds
}

func (s *Study) report(title string) (func(int, int, string), func(string, ...any)) {
	if s.Reporter == nil {
		return nil, nil
	}
	return s.Reporter(title)
}

// Models trains (or loads) every model: for each seed, the methods in
// Methods' order.
func (s *Study) Models(ctx context.Context) ([]*Model, error) {
	var out []*Model
	for _, seed := range s.seeds() {
		for _, m := range Methods {
			p, l := s.report(fmt.Sprintf("%s training, seed %d", m, seed))
			tr := &Trainer{CacheDir: s.CacheDir, Progress: p, Log: l}
			cfg := s.Config
			cfg.Method, cfg.Seed = m, seed
			model, err := tr.Train(ctx, cfg, s.Train)
			if err != nil {
				return nil, err
			}
			out = append(out, model)
		}
	}
	return out, nil
}

// Rows returns the figure's rows of every model: FGSM and PGD along the
// grid on all test images, then the ensemble (along the grid on the subset,
// then at ε_train on all test images), model after model.
func (s *Study) Rows(ctx context.Context) ([]Row, []EnsembleRun, error) {
	models, err := s.Models(ctx)
	if err != nil {
		return nil, nil, err
	}
	var rows []Row
	var runs []EnsembleRun
	for _, m := range models {
		p, l := s.report(fmt.Sprintf("%v seed %d: attacks", m.Config.Method, m.Config.Seed))
		ev := s.Eval
		ev.Seed, ev.CacheDir, ev.Progress, ev.Log = m.Config.Seed, s.CacheDir, p, l
		r, err := ev.Evaluate(ctx, m, s.Test)
		if err != nil {
			return nil, nil, err
		}
		for i := range r {
			r[i].Seed = m.Config.Seed
		}
		rows = append(rows, r...)
		en := s.Ensemble
		en.Full = []float64{s.Config.Epsilon}
		en.Seed, en.CacheDir, en.Progress, en.Log = m.Config.Seed, s.CacheDir, p, l
		run, err := en.Evaluate(ctx, m, s.Test)
		if err != nil {
			return nil, nil, err
		}
		for i := range run.Rows {
			run.Rows[i].Seed = m.Config.Seed
		}
		rows = append(rows, run.Rows...)
		runs = append(runs, *run)
	}
	return rows, runs, nil
}

// Audits returns the audit of every model at ε_train, in Models' order.
func (s *Study) Audits(ctx context.Context) ([]*AuditTable, error) {
	models, err := s.Models(ctx)
	if err != nil {
		return nil, err
	}
	find := func(m Method, seed uint64) *Model {
		for _, x := range models {
			if x.Config.Method == m && x.Config.Seed == seed {
				return x
			}
		}
		return nil
	}
	if s.Config.Epsilon == 0 {
		return nil, errors.New("adversarial: study without ε_train: need Config.Epsilon > 0")
	}
	var out []*AuditTable
	for _, m := range models {
		sur := find(Standard, m.Config.Seed)
		if m.Config.Method == Standard {
			sur = find(PGD, m.Config.Seed)
		}
		_, l := s.report(fmt.Sprintf("%v seed %d: audit", m.Config.Method, m.Config.Seed))
		au := s.Audit
		au.Seed, au.CacheDir, au.Log = m.Config.Seed, s.CacheDir, l
		a, err := au.Run(ctx, m, sur, s.Test, s.Config.Epsilon)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}
