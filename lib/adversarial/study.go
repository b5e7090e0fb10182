package adversarial

import (
	"context"
	"errors"
)

// Study is the whole of one Figure 6 notebook: the three trainings for
// every seed, their evaluation under FGSM and PGD along the ε grid, the
// attack ensemble and the audit of every trained model, all through one
// Runner, so that the notebook's cells stay a few lines and the MNIST and
// Fashion-MNIST notebooks share one code path. The evaluators are used as
// they are given; each seeds its attacks with the training's seed.
type Study struct {
	// Train and Test are the data.
	Train, Test Data
	// Seeds are the training seeds (see SelectSeeds); nil means {1}.
	Seeds []uint64
	// Config is the template of every training: Method and Seed are set per
	// model, Epsilon is ε_train.
	Config Config
	// Eval measures FGSM and PGD along the ε grid on every test image.
	Eval Evaluator
	// Ensemble measures the ensemble: the Figure 6 notebooks attack a
	// subset along the grid and every test image at Full = {ε_train}.
	Ensemble EnsembleEvaluator
	// Audit audits every model at ε_train; its transfer check crafts on the
	// standard model of the same seed for the adversarially trained ones,
	// and on the PGD model for the standard one.
	Audit Auditor
	// Runner trains, evaluates, caches and reports; nil caches nothing.
	Runner *Runner
}

func (s *Study) seeds() []uint64 {
	if s.Seeds == nil {
		return []uint64{1}
	}
	return s.Seeds
}

// Models trains (or loads) every model: for each seed, the methods in
// Methods' order.
func (s *Study) Models(ctx context.Context) ([]*Model, error) {
	var out []*Model
	for _, seed := range s.seeds() {
		for _, m := range Methods {
			cfg := s.Config
			cfg.Method, cfg.Seed = m, seed
			model, err := cfg.Train(ctx, s.Runner, s.Train)
			if err != nil {
				return nil, err
			}
			out = append(out, model)
		}
	}
	return out, nil
}

// Rows returns the figure's rows of every model: FGSM and PGD along the
// grid on all test images, then the ensemble's, model after model; and the
// ensemble's runs, in the same order.
func (s *Study) Rows(ctx context.Context) ([]Row, []EnsembleRun, error) {
	models, err := s.Models(ctx)
	if err != nil {
		return nil, nil, err
	}
	var rows []Row
	var runs []EnsembleRun
	for _, m := range models {
		r, err := s.Eval.Evaluate(ctx, s.Runner, m, s.Test)
		if err != nil {
			return nil, nil, err
		}
		rows = append(rows, r...)
		run, err := s.Ensemble.Evaluate(ctx, s.Runner, m, s.Test)
		if err != nil {
			return nil, nil, err
		}
		rows = append(rows, run.Rows...)
		runs = append(runs, *run)
	}
	return rows, runs, nil
}

// Audits returns the audit of every model at ε_train, in Models' order.
func (s *Study) Audits(ctx context.Context) ([]*AuditTable, error) {
	if s.Config.Epsilon == 0 {
		return nil, errors.New("adversarial: study without ε_train: need Config.Epsilon > 0")
	}
	models, err := s.Models(ctx)
	if err != nil {
		return nil, err
	}
	model := func(m Method, seed uint64) *Model {
		for _, x := range models {
			if x.Config.Method == m && x.Config.Seed == seed {
				return x
			}
		}
		return nil
	}
	var out []*AuditTable
	for _, m := range models {
		sur := model(Standard, m.Config.Seed)
		if m.Config.Method == Standard {
			sur = model(PGD, m.Config.Seed)
		}
		a, err := s.Audit.Run(ctx, s.Runner, m, sur, s.Test, s.Config.Epsilon)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}
