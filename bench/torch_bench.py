"""PyTorch side of `make bench`: rows (a)-(f), the scaling sweep and the
products' GFLOP/s, on the CPU.

The fig6 classifier (784-256-256-10 ReLU, float32, batch 128) written the way
PyTorch users write it: torch.nn.Sequential, torch.optim.Adam, a plain PGD
loop with x.requires_grad and torch.autograd.grad, and for the hard step
features = model[:-1](x) with K random nn.Linear heads, drawn afresh before
each step. Shapes, settings and data law match bench_test.go (uniform inputs
in [0, 1), uniform labels, He initialisation, eps = 0.1, PGD step
2.5*eps/steps, K = 8; PGD-20 keeps each sample's best iterate, PGD-10 of
training the last, as lib/adversarial does).

-mode eager runs the modules as they are; -mode compile runs them through
torch.compile (the default inductor backend): the network's forward (and so
its backward) and the hard step's loss of the heads are compiled, the PGD
step's element-wise update and Adam stay eager. Compilation happens during
the warm-up calls before timing; their time is written as warmup_s. Where
torch.compile is missing (PyTorch 1.x) or fails, each row's line says
"n/a: reason" instead of a speed.

-rows main times rows (a)-(f) at width 256, batch 128; -rows sweep times
rows (b) and (f) at the hidden widths -widths times the batch sizes -batches
(leaving out 256 x 128, which is the main rows' cell); -rows gemm times
torch.mm on the nine products of a training step at batch 128 and on a
2048 x 2048 square, in GFLOP/s. Several may be given, comma-separated.

Each row is timed -count times (each run at least -benchtime seconds, the
sweep's cells -sweeptime and the products -gemmtime, after the warm-up).
stdout gets a CSV header,
torch,threads,mode,row,width,batch,samples_per_s,gflops,warmup_s,note,
and one line per run.
"""

import argparse
import math
import sys
import time

import torch
import torch.nn.functional as F

BATCH, IN, HIDDEN, CLASSES = 128, 784, 256, 10
EPS, HEADS = 0.1, 8
# Untimed calls before timing: they compile, in mode compile, and size
# PyTorch's caches. The sweep's cells, some of seconds a call, take one, as
# Go's benchmarks do.
WARMUP, SWEEP_WARMUP = 3, 1

# The products of one training step at batch 128 (names and shapes as
# lib/internal/linalg's benchmarks: tA, tB, m, n, k of C = op(A) op(B), C
# m x n) and the large square that approaches the machine's peak.
GEMMS = [
    ("Fwd784x256", False, False, 128, 256, 784),
    ("Fwd256x256", False, False, 128, 256, 256),
    ("Fwd256x10", False, False, 128, 10, 256),
    ("BwdX10x256", False, True, 128, 256, 10),
    ("BwdX256x256", False, True, 128, 256, 256),
    ("BwdX256x784", False, True, 128, 784, 256),
    ("BwdW784x256", True, False, 784, 256, 128),
    ("BwdW256x256", True, False, 256, 256, 128),
    ("BwdW256x10", True, False, 256, 10, 128),
    ("Fwd256x80", False, False, 128, 80, 256),
    ("BwdX80x256", False, True, 128, 256, 80),
    ("Square2048", False, False, 2048, 2048, 2048),
]

HEADER = "torch,threads,mode,row,width,batch,samples_per_s,gflops,warmup_s,note"


def make_model(width):
    model = torch.nn.Sequential(
        torch.nn.Linear(IN, width), torch.nn.ReLU(),
        torch.nn.Linear(width, width), torch.nn.ReLU(),
        torch.nn.Linear(width, CLASSES),
    )
    for m in model:
        if isinstance(m, torch.nn.Linear):  # He, as bench_test.go
            torch.nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
            torch.nn.init.zeros_(m.bias)
    return model


def train_step(net, opt, x, y):
    opt.zero_grad()
    loss = F.cross_entropy(net(x), y)
    loss.backward()
    opt.step()


def fgsm(net, x, y, eps):
    x = x.clone().requires_grad_(True)
    loss = F.cross_entropy(net(x), y)
    (g,) = torch.autograd.grad(loss, x)
    return (x + eps * g.sign()).clamp(0, 1).detach()


def pgd(loss_fn, x, y, eps, steps):
    """PGD from a random start, returning the last iterate (training)."""
    alpha = 2.5 * eps / steps
    x_adv = (x + eps * (2 * torch.rand_like(x) - 1)).clamp(0, 1)
    for _ in range(steps):
        x_adv.requires_grad_(True)
        loss = loss_fn(x_adv, y)
        (g,) = torch.autograd.grad(loss, x_adv)
        x_adv = x_adv.detach() + alpha * g.sign()
        x_adv = torch.min(torch.max(x_adv, x - eps), x + eps).clamp(0, 1)
    return x_adv.detach()


def pgd_best(net, x, y, eps, steps):
    """PGD from a random start keeping each sample's best iterate of
    x^0 ... x^steps (evaluation): a misclassified iterate beats a correct
    one, otherwise the higher cross-entropy wins."""
    alpha = 2.5 * eps / steps
    x_adv = (x + eps * (2 * torch.rand_like(x) - 1)).clamp(0, 1)
    best = x_adv.clone()
    best_loss = torch.full((x.shape[0],), -math.inf)
    best_wrong = torch.zeros(x.shape[0], dtype=torch.bool)
    for t in range(steps + 1):
        last = t == steps
        x_adv.requires_grad_(not last)
        with torch.set_grad_enabled(not last):
            z = net(x_adv)
            loss = F.cross_entropy(z, y, reduction="none")
        wrong = z.argmax(1) != y
        better = (wrong & ~best_wrong) | ((wrong == best_wrong) & (loss > best_loss))
        best[better] = x_adv.detach()[better]
        best_loss = torch.where(better, loss.detach(), best_loss)
        best_wrong |= wrong
        if last:
            break
        (g,) = torch.autograd.grad(loss.sum(), x_adv)
        x_adv = x_adv.detach() + alpha * g.sign()
        x_adv = torch.min(torch.max(x_adv, x - eps), x + eps).clamp(0, 1)
    return best


def random_heads(width, k):
    """K heads at the output layer's initialisation scale; redraw gives them
    fresh weights in place, as each hard step needs."""
    heads = [torch.nn.Linear(width, CLASSES).requires_grad_(False) for _ in range(k)]
    std = (2.0 / width) ** 0.5

    def redraw():
        with torch.no_grad():
            for h in heads:
                h.weight.normal_(0, std)
                h.bias.zero_()

    redraw()
    return heads, redraw


def compile_or_reason(fn):
    """torch.compile(fn), or None and the reason it is unavailable."""
    if not hasattr(torch, "compile"):
        return None, f"torch {torch.__version__} has no torch.compile"
    try:
        return torch.compile(fn), None
    except Exception as e:  # noqa: BLE001 - any failure is reported as the row's n/a
        return None, f"torch.compile: {type(e).__name__}: {e}"


def workloads(width, batch, mode, rows):
    """The named closures of rows at one width and batch: each does one step
    of a batch. With mode compile, the network and the hard loss are compiled
    (lazily, at the first call)."""
    model = make_model(width)
    opt = torch.optim.Adam(model.parameters())
    x = torch.rand(batch, IN)
    y = torch.randint(0, CLASSES, (batch,))
    features = model[:-1]
    heads, redraw = random_heads(width, HEADS)

    def hard_loss(xa, ya):
        phi = features(xa)
        return sum(F.cross_entropy(h(phi), ya) for h in heads) / len(heads)

    net, hard = model, hard_loss
    if mode == "compile":
        if hasattr(torch, "_dynamo"):
            # Each cell compiles its own shapes from scratch (inductor's
            # disk cache still serves them): no cell runs on another's
            # graphs, on graphs made dynamic in the batch, or in eager
            # after Dynamo's limit of recompilations.
            torch._dynamo.reset()
        net, reason = compile_or_reason(model)
        if reason is None:
            hard, reason = compile_or_reason(hard_loss)
        if reason is not None:
            return {r: reason for r in rows}
    ce = lambda xa, ya: F.cross_entropy(net(xa), ya)  # noqa: E731

    def inference():
        with torch.no_grad():
            net(x)

    def train():
        train_step(net, opt, x, y)

    def fgsm_train():
        train_step(net, opt, fgsm(net, x, y, EPS), y)

    def pgd10_train():
        train_step(net, opt, pgd(ce, x, y, EPS, 10), y)

    def hard_train():
        redraw()
        train_step(net, opt, pgd(hard, x, y, EPS, 10), y)

    def pgd20_eval():
        pgd_best(net, x, y, EPS, 20)

    all_rows = {"a_inference": inference, "b_train": train, "c_fgsm_train": fgsm_train,
                "d_pgd10_train": pgd10_train, "e_hard_train": hard_train, "f_pgd20_eval": pgd20_eval}
    return {r: all_rows[r] for r in rows}


def timed(fn, count, benchtime):
    """Yields the calls per second of fn over count runs of at least
    benchtime seconds each."""
    for _ in range(count):
        n, t0 = 0, time.perf_counter()
        while True:
            fn()
            n += 1
            el = time.perf_counter() - t0
            if el >= benchtime:
                break
        yield n / el


def bench_rows(out, args, width, batch, rows, benchtime, warmup):
    fns = workloads(width, batch, args.mode, rows)
    for name in rows:
        fn = fns[name]
        if isinstance(fn, str):
            out(name, width, batch, note="n/a: " + fn)
            continue
        t0 = time.perf_counter()
        try:
            for _ in range(warmup):
                fn()
        except Exception as e:  # noqa: BLE001 - a failed compile or run is the row's n/a
            msg = str(e).strip().splitlines()[0] if str(e).strip() else ""
            out(name, width, batch, note=f"n/a: {args.mode} failed: {type(e).__name__}: {msg}"[:300])
            continue
        warm = time.perf_counter() - t0
        for rate in timed(fn, args.count, benchtime):
            out(name, width, batch, rate=batch * rate, warm=warm)


def bench_gemms(out, args):
    g = torch.Generator().manual_seed(1)
    for name, ta, tb, m, n, k in GEMMS:
        a = torch.randn(*((k, m) if ta else (m, k)), generator=g)
        b = torch.randn(*((n, k) if tb else (k, n)), generator=g)
        a, b = (a.t() if ta else a), (b.t() if tb else b)
        c = torch.empty(m, n)
        fn = lambda: torch.mm(a, b, out=c)  # noqa: E731
        t0 = time.perf_counter()
        fn()
        warm = time.perf_counter() - t0
        for rate in timed(fn, args.count, args.gemmtime):
            out("gemm_" + name, "", "", gflops=2 * m * n * k * rate / 1e9, warm=warm)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("-count", type=int, default=5)
    p.add_argument("-benchtime", type=float, default=1.0, help="seconds per run of rows (a)-(f)")
    p.add_argument("-sweeptime", type=float, help="seconds per run of a sweep cell (default -benchtime)")
    p.add_argument("-gemmtime", type=float, help="seconds per run of a product (default -benchtime)")
    p.add_argument("-threads", type=int, default=2, help="torch.set_num_threads")
    p.add_argument("-mode", choices=["eager", "compile"], default="eager")
    p.add_argument("-rows", default="main", help="main, sweep, gemm, comma-separated")
    p.add_argument("-widths", default="256,512,1024")
    p.add_argument("-batches", default="128,512,2048")
    args = p.parse_args()
    args.sweeptime = args.benchtime if args.sweeptime is None else args.sweeptime
    args.gemmtime = args.benchtime if args.gemmtime is None else args.gemmtime
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    version = torch.__version__

    def out(row, width, batch, rate=None, gflops=None, warm=None, note=""):
        fields = [version, args.threads, args.mode if not row.startswith("gemm_") else "mm", row, width, batch,
                  "" if rate is None else f"{rate:.1f}", "" if gflops is None else f"{gflops:.2f}",
                  "" if warm is None else f"{warm:.3f}", note.replace(",", ";").replace("\n", " ")]
        print(",".join(str(f) for f in fields), flush=True)

    print(HEADER)
    for part in args.rows.split(","):
        if part == "main":
            bench_rows(out, args, HIDDEN, BATCH, ["a_inference", "b_train", "c_fgsm_train",
                                                  "d_pgd10_train", "e_hard_train", "f_pgd20_eval"], args.benchtime, WARMUP)
        elif part == "sweep":
            for w in (int(s) for s in args.widths.split(",")):
                for n in (int(s) for s in args.batches.split(",")):
                    if (w, n) != (HIDDEN, BATCH):
                        bench_rows(out, args, w, n, ["b_train", "f_pgd20_eval"], args.sweeptime, SWEEP_WARMUP)
        elif part == "gemm":
            bench_gemms(out, args)
        else:
            sys.exit(f"torch_bench.py: -rows {part!r}: want main, sweep or gemm")


if __name__ == "__main__":
    main()
