package attack

import (
	"errors"
	"fmt"

	"pointwise/lib/mlp"
)

// Model is a classifier seen through its logits only: the forward pass a
// black-box attack (Square) and an evaluation (Evaluate, Ensemble) need.
type Model[T mlp.Float] interface {
	// In and Out return the input width and the number of classes.
	In() int
	Out() int
	// Logits stores in dst[:n*Out()] the logits of the n = len(x)/In()
	// inputs x (row-major). It errors on bad shapes and on batches larger
	// than the model's workspace.
	Logits(dst, x []T) error
}

// GradientModel is a Model with input gradients: what white-box attacks on
// logit-level losses (LogitObjective, APGD) need.
type GradientModel[T mlp.Float] interface {
	Model[T]
	// InputGradient stores in dx (n×In()) the input gradient of
	// Σ_i ⟨dz_i, z(x_i)⟩, that is J_z(x_i)ᵀ dz_i row by row, at the inputs
	// x of the last Logits call (which must not have changed since); dz is
	// n×Out().
	InputGradient(dx, dz []T) error
}

// NetworkModel is the GradientModel of an *mlp.Network: Logits is the
// network's forward pass and InputGradient its input-only backward pass
// (mlp.Tape.InputGradient, no weight gradients), on a tape for batches of up
// to maxBatch rows. It sees later changes to the network's weights, and is
// not safe for concurrent use.
type NetworkModel[T mlp.Float] struct {
	net  *mlp.Network[T]
	tape *mlp.Tape[T]
}

var _ GradientModel[float32] = (*NetworkModel[float32])(nil)

// NewNetworkModel returns the model of net for batches of at most
// maxBatch ≥ 1 rows.
func NewNetworkModel[T mlp.Float](net *mlp.Network[T], maxBatch int) (*NetworkModel[T], error) {
	if net == nil {
		return nil, errors.New("attack: network nil: need a *mlp.Network")
	}
	if maxBatch < 1 {
		return nil, fmt.Errorf("attack: maxBatch = %d out of range: need ≥ 1", maxBatch)
	}
	tp, err := net.NewTape(maxBatch)
	if err != nil {
		return nil, fmt.Errorf("attack: %w", err)
	}
	return &NetworkModel[T]{net: net, tape: tp}, nil
}

// Network returns the model's network.
func (m *NetworkModel[T]) Network() *mlp.Network[T] { return m.net }

// MaxBatch returns the largest batch the model accepts.
func (m *NetworkModel[T]) MaxBatch() int { return m.tape.MaxBatch() }

// In implements Model.
func (m *NetworkModel[T]) In() int { return m.net.In() }

// Out implements Model.
func (m *NetworkModel[T]) Out() int { return m.net.Out() }

// Logits implements Model with one forward pass.
func (m *NetworkModel[T]) Logits(dst, x []T) error {
	z, err := m.tape.Forward(x)
	if err != nil {
		return fmt.Errorf("attack: %w", err)
	}
	if len(dst) < len(z) {
		return fmt.Errorf("attack: logits length %d shorter than n = %d × %d classes", len(dst), len(z)/m.net.Out(), m.net.Out())
	}
	copy(dst, z)
	return nil
}

// InputGradient implements GradientModel with one input-only backward pass.
func (m *NetworkModel[T]) InputGradient(dx, dz []T) error {
	if _, err := m.tape.InputGradient(dx, dz); err != nil {
		return fmt.Errorf("attack: %w", err)
	}
	return nil
}

// batchLogits checks a model's shapes and calls Logits on the n rows x into
// z[:n*Out].
func batchLogits[T mlp.Float](m Model[T], z, x []T, n int) error {
	if err := m.Logits(z[:n*m.Out()], x[:n*m.In()]); err != nil {
		return err
	}
	return nil
}
