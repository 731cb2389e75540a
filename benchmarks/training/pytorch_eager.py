#!/usr/bin/env python3
"""Full fine-tuning steps of a `curate model init` Llama checkpoint in plain PyTorch eager, for the tokens/s
comparison in benchmarks/README.md: the same architecture (RMSNorm, RoPE, grouped-query attention, SwiGLU, tied
embeddings), float32, AdamW, batches of BATCH x LENGTH random token ids, loss on every token.

usage: pytorch_eager.py MODEL_DIR [--batch 8] [--length 128] [--steps 200] [--threads 2]
Prints tokens/s over the steps after the first 10, and the peak RSS.
"""
import argparse
import json
import math
import os
import resource
import struct
import time

import torch
import torch.nn.functional as F

parser = argparse.ArgumentParser()
parser.add_argument("model")
parser.add_argument("--batch", type=int, default=8)
parser.add_argument("--length", type=int, default=128)
parser.add_argument("--steps", type=int, default=200)
parser.add_argument("--threads", type=int, default=2)
args = parser.parse_args()
torch.set_num_threads(args.threads)
torch.manual_seed(1)

cfg = json.load(open(os.path.join(args.model, "config.json")))
data = open(os.path.join(args.model, "model.safetensors"), "rb").read()
(n,) = struct.unpack("<Q", data[:8])
header = json.loads(data[8:8 + n])
body = data[8 + n:]
w = {}
for name, info in header.items():
    if name == "__metadata__":
        continue
    s, e = info["data_offsets"]
    w[name] = torch.nn.Parameter(torch.frombuffer(bytearray(body[s:e]), dtype=torch.float32).reshape(info["shape"]).clone())

hidden, heads = cfg["hidden_size"], cfg["num_attention_heads"]
kv = cfg.get("num_key_value_heads", heads)
hd = hidden // heads
eps = cfg["rms_norm_eps"]
inv = 1.0 / (cfg.get("rope_theta", 10000.0) ** (torch.arange(0, hd, 2, dtype=torch.float32) / hd))


def rms(x, weight):
    return weight * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps))


def rot(x):
    h = x.shape[-1] // 2
    return torch.cat((-x[..., h:], x[..., :h]), dim=-1)


def attention(q, k, v):
    # torch 1.13 (Debian 12) has no fused scaled_dot_product_attention: the eager composition.
    if hasattr(F, "scaled_dot_product_attention"):
        return F.scaled_dot_product_attention(q, k, v, is_causal=True)
    t = q.shape[-2]
    scores = (q @ k.transpose(-1, -2)) / math.sqrt(q.shape[-1])
    scores = scores.masked_fill(torch.triu(torch.ones(t, t, dtype=torch.bool), 1), float("-inf"))
    return torch.softmax(scores, -1) @ v


def forward(ids):
    b, t = ids.shape
    x = F.embedding(ids, w["model.embed_tokens.weight"])
    freqs = torch.outer(torch.arange(t, dtype=torch.float32), inv)
    emb = torch.cat((freqs, freqs), -1)
    cos, sin = emb.cos(), emb.sin()
    for i in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{i}."
        h = rms(x, w[p + "input_layernorm.weight"])
        q = F.linear(h, w[p + "self_attn.q_proj.weight"]).view(b, t, heads, hd).transpose(1, 2)
        k = F.linear(h, w[p + "self_attn.k_proj.weight"]).view(b, t, kv, hd).transpose(1, 2)
        v = F.linear(h, w[p + "self_attn.v_proj.weight"]).view(b, t, kv, hd).transpose(1, 2)
        q, k = q * cos + rot(q) * sin, k * cos + rot(k) * sin
        k, v = k.repeat_interleave(heads // kv, 1), v.repeat_interleave(heads // kv, 1)
        a = attention(q, k, v).transpose(1, 2).reshape(b, t, hidden)
        x = x + F.linear(a, w[p + "self_attn.o_proj.weight"])
        h = rms(x, w[p + "post_attention_layernorm.weight"])
        x = x + F.linear(F.silu(F.linear(h, w[p + "mlp.gate_proj.weight"])) * F.linear(h, w[p + "mlp.up_proj.weight"]), w[p + "mlp.down_proj.weight"])
    return F.linear(rms(x, w["model.norm.weight"]), w["model.embed_tokens.weight"])


optimizer = torch.optim.AdamW(w.values(), lr=1e-3, weight_decay=0.0)
vocab = cfg["vocab_size"]
tokens = 0
start = None
for step in range(args.steps):
    if step == 10:
        start = time.perf_counter()
        tokens = 0
    ids = torch.randint(0, vocab - 3, (args.batch, args.length))
    logits = forward(ids)
    loss = F.cross_entropy(logits[:, :-1].reshape(-1, vocab), ids[:, 1:].reshape(-1))
    loss.backward()
    torch.nn.utils.clip_grad_norm_(w.values(), 1.0)
    optimizer.step()
    optimizer.zero_grad()
    tokens += args.batch * args.length
elapsed = time.perf_counter() - start
print(f"pytorch {torch.__version__} eager: {tokens / elapsed:,.0f} tok/s over {args.steps - 10} steps; peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
