// Package adversarial trains the classifiers of the paper's Figure 6 in three
// ways, caches them on disk, and measures their accuracy under attack.
//
// # Training variants
//
// Every variant trains a ReLU MLP 784→256→256→10 (by default) with softmax
// cross-entropy, Adam (learning rate 10⁻³), batches of 128, for 5 epochs:
//
//   - Standard minimises the empirical risk on the clean inputs.
//   - PGD is Madry et al.'s adversarial training ("Towards deep learning
//     models resistant to adversarial attacks", ICLR 2018), the network-level
//     objective of the paper's eq. 3: each batch is replaced by the output of
//     an L∞ PGD attack on the network itself, maximising its own
//     cross-entropy to the true label within ‖δ‖∞ ≤ ε (10 steps of size
//     2.5·ε/10 from a uniform random start in the ball), and the network
//     takes its step on those inputs.
//   - Hard is the paper's eq. 2: for each batch, K = 8 fresh random heads
//     h₁…h_K are drawn on the current feature layer φ at the output layer's
//     initialisation scale, and the same L∞ PGD attack maximises their mean
//     cross-entropy (1/K)·Σₖ CE(hₖ(φ(x+δ)), y) to the true label: points that
//     are hard for the whole distribution of hypotheses on φ, not for the
//     network's own head. The network then trains on them.
//
// The network is initialised He normal (N(0, 2/fan_in) weights, zero
// biases) unless Config.Init names another initialisation ("pytorch" is
// nn.Linear's default); Hard's heads are drawn from the output layer's law
// unless HeadSettings' Family, Bias and Scale ask for another: the paper
// leaves the distribution H of its eq. 2 open, and these settings make it
// explicit.
//
// Mix, the fraction of each batch replaced by adversarial inputs (default
// 1), interpolates between standard training and the adversarial variants.
//
// # Runner, cache and checkpoints
//
// Config holds the settings of one network and Config.Train trains it; the
// evaluators (Evaluator, EnsembleEvaluator, Auditor, Transfer) hold only
// their attacks' settings. Each takes a Runner, which keeps every result in
// its cache folder under a key that hashes the resolved settings, the
// package's format version, the seed and the data (its name, shape, and a
// SHA-256 of its pixels and labels; for an evaluation, also the network's
// key), and gives each task a progress bar and a log (a Reporter). Asking
// for the same result again reads it instead of computing it. An entry that
// cannot be read (truncated, corrupt, written by other code) is reported
// and computed again, never loaded; files are written atomically; two
// processes that need the same entry at once compute it once, the other
// waiting for it. During training a checkpoint (network, Adam's moments and
// step count, the attack's random number generator state and the metrics
// so far) is written after every epoch; an interrupted run resumes from the
// last one and ends with the same parameters, bit for bit, as an
// uninterrupted run. Interruptible gives a context that SIGINT, the
// notebook's stop button, cancels: training stops at its next step, keeping
// that checkpoint. A network whose parameters or loss become NaN or infinite
// stops training with an error naming the epoch and batch and is never
// stored.
//
// # Seeds
//
// A network's Config.Seed seeds its initialisation, its shuffling, its
// training attacks and its random heads, and every attack on it: the
// evaluations of a model are seeded with its training seed, and a transfer
// matrix with the seed of its first network.
//
// # Evaluation
//
// Evaluator.Evaluate measures robust accuracy under FGSM and PGD-20 (random
// start, step 2.5·ε/20, each sample's best iterate as attack.PGD keeps it;
// the training attacks return the last iterate, as Madry et al.'s do) on a
// grid of ε, over all N test images, in batches of EvalBatch: a sample
// counts as robust if the network classifies its attacked version
// correctly, so a clean error is never robust. The rows it returns are
// those of the figure's CSV, dataset,training,attack,epsilon,accuracy,n,seed.
//
// # Notebooks
//
// Study is a Figure 6 notebook's computation, TransferStudy open question
// 2's on one data set, Ablation open question 3's, Sensitivity open
// question 4's; CheckFigure6, AnswerTransfer, AnswerAblation and
// AnswerSensitivity make their checks and state their
// answers from the rows read back from the figures' CSVs. Package plots
// draws their figures.
package adversarial
