"""PyTorch side of `make bench`: the six rows (a)-(f) on the CPU.

The fig6 classifier (784-256-256-10 ReLU, float32, batch 128) written the way
PyTorch users write it: torch.nn.Sequential, torch.optim.Adam, a plain PGD
loop with x.requires_grad and torch.autograd.grad, and for the hard step
features = model[:-1](x) with K random nn.Linear heads. Shapes, settings and
data law match bench_test.go (uniform inputs in [0, 1), uniform labels, He
initialisation, eps = 0.1, PGD step 2.5*eps/steps, K = 8).

Each row is timed -count times (each run at least -benchtime seconds after a
warm-up); one CSV line per run goes to stdout: row,samples_per_s.
"""

import argparse
import time

import torch
import torch.nn.functional as F

BATCH, IN, HIDDEN, CLASSES = 128, 784, 256, 10
EPS, HEADS = 0.1, 8


def make_model():
    model = torch.nn.Sequential(
        torch.nn.Linear(IN, HIDDEN), torch.nn.ReLU(),
        torch.nn.Linear(HIDDEN, HIDDEN), torch.nn.ReLU(),
        torch.nn.Linear(HIDDEN, CLASSES),
    )
    for m in model:
        if isinstance(m, torch.nn.Linear):  # He, as bench_test.go
            torch.nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
            torch.nn.init.zeros_(m.bias)
    return model


def train_step(model, opt, x, y):
    opt.zero_grad()
    loss = F.cross_entropy(model(x), y)
    loss.backward()
    opt.step()


def fgsm(model, x, y, eps):
    x = x.clone().requires_grad_(True)
    loss = F.cross_entropy(model(x), y)
    (g,) = torch.autograd.grad(loss, x)
    return (x + eps * g.sign()).clamp(0, 1).detach()


def pgd(loss_fn, x, y, eps, steps):
    alpha = 2.5 * eps / steps
    x_adv = (x + eps * (2 * torch.rand_like(x) - 1)).clamp(0, 1)
    for _ in range(steps):
        x_adv.requires_grad_(True)
        loss = loss_fn(x_adv, y)
        (g,) = torch.autograd.grad(loss, x_adv)
        x_adv = x_adv.detach() + alpha * g.sign()
        x_adv = torch.min(torch.max(x_adv, x - eps), x + eps).clamp(0, 1)
    return x_adv.detach()


def random_heads(model, k):
    """K fresh heads at the output layer's initialisation scale."""
    heads = [torch.nn.Linear(HIDDEN, CLASSES) for _ in range(k)]
    std = (2.0 / HIDDEN) ** 0.5
    with torch.no_grad():
        for h in heads:
            h.weight.normal_(0, std)
            h.bias.zero_()
    return heads


def main():
    p = argparse.ArgumentParser()
    p.add_argument("-count", type=int, default=5)
    p.add_argument("-benchtime", type=float, default=1.0)
    p.add_argument("-threads", type=int, default=2)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)

    model = make_model()
    opt = torch.optim.Adam(model.parameters())
    x = torch.rand(BATCH, IN)
    y = torch.randint(0, CLASSES, (BATCH,))
    ce = lambda xa, ya: F.cross_entropy(model(xa), ya)

    def inference():
        with torch.no_grad():
            model(x)

    def train():
        train_step(model, opt, x, y)

    def fgsm_train():
        train_step(model, opt, fgsm(model, x, y, EPS), y)

    def pgd10_train():
        train_step(model, opt, pgd(ce, x, y, EPS, 10), y)

    def hard_train():
        heads = random_heads(model, HEADS)
        features = model[:-1]

        def hard_loss(xa, ya):
            phi = features(xa)
            return sum(F.cross_entropy(h(phi), ya) for h in heads) / len(heads)

        train_step(model, opt, pgd(hard_loss, x, y, EPS, 10), y)

    def pgd20_eval():
        pgd(ce, x, y, EPS, 20)

    rows = [("a_inference", inference), ("b_train", train), ("c_fgsm_train", fgsm_train),
            ("d_pgd10_train", pgd10_train), ("e_hard_train", hard_train), ("f_pgd20_eval", pgd20_eval)]
    print("row,samples_per_s")
    for name, fn in rows:
        for _ in range(3):
            fn()
        for _ in range(args.count):
            n, t0 = 0, time.perf_counter()
            while True:
                fn()
                n += 1
                el = time.perf_counter() - t0
                if el >= args.benchtime:
                    break
            print(f"{name},{BATCH * n / el:.1f}", flush=True)


if __name__ == "__main__":
    main()
