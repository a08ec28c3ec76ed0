"""PyTorch peer of the workbench's TF.js dVAE training step (benchmark only, not a project dependency).

Builds the same architecture from the same spec (7x7 stem, bottleneck residual blocks with post-gain
1/n_layers^2, max-pool / nearest-upsample, 1x1 heads), the same objective (Gumbel-softmax, logit-Laplace,
KL to uniform) and AdamW, then times full training steps (or, with --forward-only, the forward pass alone).
Prints one JSON line.
Usage: python3 dvae_step.py --n-hid 32 --vocab 512 --batch 16 --size 64 --threads 1 --reps 5
"""
import argparse
import json
import math
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def conv(n_in, n_out, k):
    c = nn.Conv2d(n_in, n_out, k, padding=(k - 1) // 2)
    nn.init.normal_(c.weight, std=1 / math.sqrt(n_in * k * k))
    nn.init.zeros_(c.bias)
    return c


class Block(nn.Module):
    def __init__(self, n_in, n_out, kernels, post_gain):
        super().__init__()
        mid = n_out // 4
        widths = [n_in, mid, mid, mid, n_out]
        self.id_path = conv(n_in, n_out, 1) if n_in != n_out else nn.Identity()
        self.res = nn.ModuleList(conv(widths[i], widths[i + 1], kernels[i]) for i in range(4))
        self.post_gain = post_gain

    def forward(self, x):
        r = x
        for c in self.res:
            r = c(F.relu(r))
        return self.id_path(x) + self.post_gain * r


def build(n_hid, vocab, n_init, groups, blocks):
    gain = 1 / (groups * blocks) ** 2
    enc = [conv(3, n_hid, 7)]
    for g in range(1, groups + 1):
        for b in range(blocks):
            n_in = n_hid * 2 ** (max(1, g - 1) - 1) if b == 0 else n_hid * 2 ** (g - 1)
            enc.append(Block(n_in, n_hid * 2 ** (g - 1), [3, 3, 3, 1], gain))
        if g < groups:
            enc.append(nn.MaxPool2d(2))
    enc += [nn.ReLU(), conv(n_hid * 2 ** (groups - 1), vocab, 1)]
    dec = [conv(vocab, n_init, 1)]
    for g in range(1, groups + 1):
        width = n_hid * 2 ** (groups - g)
        for b in range(blocks):
            n_in = (n_init if g == 1 else n_hid * 2 ** (groups - g + 1)) if b == 0 else width
            dec.append(Block(n_in, width, [1, 3, 3, 3], gain))
        if g < groups:
            dec.append(nn.Upsample(scale_factor=2, mode="nearest"))
    dec += [nn.ReLU(), conv(n_hid, 6, 1)]
    return nn.Sequential(*enc), nn.Sequential(*dec)


def loss_of(enc, dec, x, tau=1.0, beta=0.1, eps=0.1):
    xm = (1 - 2 * eps) * x + eps
    logits = enc(xm)
    z = F.gumbel_softmax(logits, tau=tau, dim=1)
    stats = dec(z)
    mu, log_b = stats[:, :3], stats[:, 3:]
    logit_x = torch.log(xm) - torch.log1p(-xm)
    b = torch.exp(log_b)
    nll = (torch.abs(logit_x - mu) / b + torch.log(2 * b) + torch.log(xm * (1 - xm))).sum()
    log_q = F.log_softmax(logits, dim=1)
    kl = (torch.exp(log_q) * log_q).sum(1).add(math.log(logits.shape[1])).sum()
    return (nll + beta * kl) / x.numel()


def forward(enc, dec, x):
    """The step's forward pass alone (no autograd): the comparison where TF.js runs only its stock kernels."""
    with torch.no_grad():
        return loss_of(enc, dec, x).item()


def step(enc, dec, opt, x):
    loss = loss_of(enc, dec, x)
    opt.zero_grad()
    loss.backward()
    opt.step()
    return loss.item()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--n-hid", type=int, default=32)
    p.add_argument("--vocab", type=int, default=512)
    p.add_argument("--n-init", type=int, default=None)
    p.add_argument("--groups", type=int, default=4)
    p.add_argument("--blocks", type=int, default=1)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--size", type=int, default=64)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--reps", type=int, default=5)
    p.add_argument("--forward-only", action="store_true", help="time the forward pass (encoder, Gumbel softmax, decoder, loss) without gradients")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    enc, dec = build(a.n_hid, a.vocab, a.n_init or a.n_hid, a.groups, a.blocks)
    opt = torch.optim.AdamW(list(enc.parameters()) + list(dec.parameters()), lr=1e-4, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-4)
    x = torch.rand(a.batch, 3, a.size, a.size)
    run = (lambda: forward(enc, dec, x)) if a.forward_only else (lambda: step(enc, dec, opt, x))
    run()  # warm-up
    times = []
    for _ in range(a.reps):
        t0 = time.perf_counter()
        run()
        times.append((time.perf_counter() - t0) * 1000)
    print(json.dumps({"torch": torch.__version__, "threads": a.threads, "medianMs": statistics.median(times), "minMs": min(times)}))


if __name__ == "__main__":
    main()
