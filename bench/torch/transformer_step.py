"""PyTorch peer of the workbench's TF.js transformer training step (benchmark only, not a project dependency).

Builds the same model from the same spec (src/lib/transformer/model.ts): [text | image] tokens, per-slot text pads,
row + column image positions, pre-norm GPT-2 blocks with tanh GELU, an additive [L, L] attention mask per layer,
separate text and image heads, the 1/8 + 7/8 weighted cross-entropy, and AdamW with weight decay on the matrices.
The mask is causal in every layer here (DALL-E's row/column/conv masks are additive too, so the products and their
cost are the same). Times full training steps; prints one JSON line.
Usage: python3 transformer_step.py --batch 32 --threads 1 --reps 5
"""
import argparse
import json
import math
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, d, heads, ff):
        super().__init__()
        self.heads = heads
        self.ln_1 = nn.LayerNorm(d, eps=1e-5)
        self.c_attn = nn.Linear(d, 3 * d)
        self.c_proj = nn.Linear(d, d)
        self.ln_2 = nn.LayerNorm(d, eps=1e-5)
        self.c_fc = nn.Linear(d, ff)
        self.mlp_proj = nn.Linear(ff, d)

    def forward(self, x, bias):
        B, L, d = x.shape
        dh = d // self.heads
        q, k, v = self.c_attn(self.ln_1(x)).split(d, dim=2)
        heads = lambda t: t.view(B, L, self.heads, dh).transpose(1, 2)  # [B, H, L, dh]
        q, k, v = heads(q), heads(k), heads(v)
        scores = q @ k.transpose(-2, -1) / math.sqrt(dh) + bias  # [B, H, L, L]
        out = (F.softmax(scores, dim=-1) @ v).transpose(1, 2).reshape(B, L, d)
        x = x + self.c_proj(out)
        return x + self.mlp_proj(F.gelu(self.c_fc(self.ln_2(x)), approximate="tanh"))


class Transformer(nn.Module):
    def __init__(self, text_len, text_vocab, image_vocab, grid, d, layers, heads, ff_mult):
        super().__init__()
        self.text_len, self.grid = text_len, grid
        self.wte_text = nn.Embedding(text_vocab + text_len, d)
        self.wte_image = nn.Embedding(image_vocab, d)
        self.bos = nn.Parameter(torch.randn(1, d) * 0.02)
        self.wpe_text = nn.Parameter(torch.randn(text_len, d) * 0.02)
        self.wpe_row = nn.Parameter(torch.randn(grid, d) * 0.02)
        self.wpe_col = nn.Parameter(torch.randn(grid, d) * 0.02)
        self.blocks = nn.ModuleList(Block(d, heads, ff_mult * d) for _ in range(layers))
        self.ln_f = nn.LayerNorm(d, eps=1e-5)
        self.head_text = nn.Linear(d, text_vocab + text_len, bias=False)
        self.head_image = nn.Linear(d, image_vocab, bias=False)
        L = text_len + grid * grid
        self.register_buffer("bias", torch.triu(torch.full((L, L), -1e9), diagonal=1))

    def loss(self, text, image):
        B = text.shape[0]
        image_pos = (self.wpe_row[:, None, :] + self.wpe_col[None, :, :]).reshape(self.grid * self.grid, -1)
        s = torch.cat([self.wte_text(text) + self.wpe_text, self.wte_image(image) + image_pos], 1)  # [B, L, d]
        x = torch.cat([self.bos.expand(B, 1, -1), s[:, :-1]], 1)  # teacher forcing: [BOS, s[0..L-2]]
        for block in self.blocks:
            x = block(x, self.bias)
        h = self.ln_f(x)
        T = self.text_len
        text_ce = F.cross_entropy(self.head_text(h[:, :T]).flatten(0, 1), text.flatten())
        image_ce = F.cross_entropy(self.head_image(h[:, T:]).flatten(0, 1), image.flatten())
        return text_ce / 8 + 7 * image_ce / 8


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--text-len", type=int, default=32)
    p.add_argument("--text-vocab", type=int, default=1024)
    p.add_argument("--image-vocab", type=int, default=512)
    p.add_argument("--grid", type=int, default=8)
    p.add_argument("--d-model", type=int, default=128)
    p.add_argument("--layers", type=int, default=4)
    p.add_argument("--heads", type=int, default=4)
    p.add_argument("--ff-mult", type=int, default=4)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--reps", type=int, default=5)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    m = Transformer(a.text_len, a.text_vocab, a.image_vocab, a.grid, a.d_model, a.layers, a.heads, a.ff_mult)
    decay = [p for n, p in m.named_parameters() if p.dim() == 2 and not n.startswith(("wte", "wpe", "bos"))]
    rest = [p for n, p in m.named_parameters() if not (p.dim() == 2 and not n.startswith(("wte", "wpe", "bos")))]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": rest, "weight_decay": 0.0}], lr=3e-4, betas=(0.9, 0.95), eps=1e-8)
    text = torch.randint(0, a.text_vocab + a.text_len, (a.batch, a.text_len))
    image = torch.randint(0, a.image_vocab, (a.batch, a.grid * a.grid))

    def step():
        loss = m.loss(text, image)
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss.item()

    step()  # warm-up
    times = []
    for _ in range(a.reps):
        t0 = time.perf_counter()
        step()
        times.append((time.perf_counter() - t0) * 1000)
    print(json.dumps({"torch": torch.__version__, "threads": a.threads, "medianMs": statistics.median(times), "minMs": min(times)}))


if __name__ == "__main__":
    main()
