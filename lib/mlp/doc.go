// Package mlp implements multilayer perceptrons: dense layers Y = act(X·W + b)
// over row-major batches, their forward and backward passes, losses,
// initialisations, optimisers (SGD with momentum, Adam), a minibatch training
// loop, the split of a network into a feature layer φ and a head, ridge
// fitting of heads on [φ, 1], and a binary file format.
//
// # Conventions
//
// A batch of inputs X is a []T of shape batch×in, row-major: sample i is
// X[i*in : (i+1)*in]. A dense layer with in inputs and out outputs holds W of
// shape in×out (row-major) and b of length out, and computes
//
//	Y = act(X·W + 1·bᵀ).
//
// The element type T is float32 or float64. Every matrix product goes through
// gonum's global BLAS implementations (blas32 for float32, blas64 for
// float64), so blas32.Use and blas64.Use swap in another BLAS everywhere.
//
// The feature layer φ(x) is the output of the last hidden layer; the head is
// the last layer, acting on φ. Seen as a linear model, a head with one output
// has the coefficient vector θ = [w; b] over the augmented features
// f(x) = [φ(x), 1], so that its pre-activation output is f(x)ᵀθ.
//
// # Initialisations
//
// Network.Init draws every parameter from a Law per layer: a Family (Normal
// or Uniform) and the standard deviations of the weights and the biases. An
// Initializer names the law of each layer: He (He normal, the default),
// Glorot (normal), GlorotUniform (Keras's default), PyTorchLinear (nn.Linear's
// default) and Gaussian (layer by layer, for fig5); InitByName finds the
// first four by name. A network records the name (InitName) and each
// layer's law (Layer.Law), and its random heads are drawn from its head's
// law. The file format keeps both.
//
// An output slice is called dst; a nil dst allocates. Inputs are never
// modified. Functions a user can call with bad values return errors that name
// the parameter, its value and the allowed range; internal kernels panic on
// impossible shapes and say so.
//
// # Speed
//
// A Tape holds every activation and gradient buffer for batches up to a fixed
// size, so once it exists a forward pass, a backward pass and an optimiser step
// allocate nothing. Each layer costs one GEMM forward and at most two backward,
// plus one fused element-wise pass (bias and activation, or activation
// derivative and bias gradient). Adam's float32 update runs four parameters
// at a time in SSE on amd64 (adam_amd64.s), with the bits of the scalar loop
// (the build tag purego keeps the scalar loop alone); it went from a third
// of a training step's CPU time to about a sixth.
package mlp
