#!/usr/bin/env python3
"""Greedy generation with a key/value cache in plain PyTorch eager, for the tokens/s comparison of `curate generate
--input` in benchmarks/README.md: a `curate model init` Llama checkpoint (RMSNorm, RoPE, grouped-query attention,
SwiGLU, tied embeddings), float32, PROMPTS prompts of LENGTH random token ids decoded BATCH at a time (static
batches: equal prompt lengths need no padding), NEW tokens each.

usage: pytorch_generate.py MODEL_DIR [--prompts 32] [--batch 8] [--length 24] [--new 64] [--threads 2]
Prints generated tokens/s over the whole decoding (prompts included), and the peak RSS.
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
parser.add_argument("--prompts", type=int, default=32)
parser.add_argument("--batch", type=int, default=8)
parser.add_argument("--length", type=int, default=24)
parser.add_argument("--new", type=int, default=64)
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
    w[name] = torch.frombuffer(bytearray(body[s:e]), dtype=torch.float32).reshape(info["shape"]).clone()

hidden, heads = cfg["hidden_size"], cfg["num_attention_heads"]
kv = cfg.get("num_key_value_heads", heads)
hd = hidden // heads
eps = cfg["rms_norm_eps"]
inv = 1.0 / (cfg.get("rope_theta", 10000.0) ** (torch.arange(0, hd, 2, dtype=torch.float32) / hd))
head = w.get("lm_head.weight", w["model.embed_tokens.weight"])


def rms(x, weight):
    return weight * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps))


def rot(x):
    h = x.shape[-1] // 2
    return torch.cat((-x[..., h:], x[..., :h]), dim=-1)


def attention(q, k, v, causal):
    # torch 1.13 (Debian 12) has no fused scaled_dot_product_attention: the eager composition.
    if hasattr(F, "scaled_dot_product_attention"):
        return F.scaled_dot_product_attention(q, k, v, is_causal=causal)
    scores = (q @ k.transpose(-1, -2)) / math.sqrt(q.shape[-1])
    if causal:
        t = q.shape[-2]
        scores = scores.masked_fill(torch.triu(torch.ones(t, t, dtype=torch.bool), 1), float("-inf"))
    return torch.softmax(scores, -1) @ v


def forward(ids, cache):
    b, t = ids.shape
    past = cache[0][0].shape[2] if cache[0] is not None else 0
    x = F.embedding(ids, w["model.embed_tokens.weight"])
    freqs = torch.outer(torch.arange(past, past + t, dtype=torch.float32), inv)
    emb = torch.cat((freqs, freqs), -1)
    cos, sin = emb.cos(), emb.sin()
    for i in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{i}."
        h = rms(x, w[p + "input_layernorm.weight"])
        q = F.linear(h, w[p + "self_attn.q_proj.weight"]).view(b, t, heads, hd).transpose(1, 2)
        k = F.linear(h, w[p + "self_attn.k_proj.weight"]).view(b, t, kv, hd).transpose(1, 2)
        v = F.linear(h, w[p + "self_attn.v_proj.weight"]).view(b, t, kv, hd).transpose(1, 2)
        q, k = q * cos + rot(q) * sin, k * cos + rot(k) * sin
        if cache[i] is not None:
            k, v = torch.cat((cache[i][0], k), 2), torch.cat((cache[i][1], v), 2)
        cache[i] = (k, v)
        k, v = k.repeat_interleave(heads // kv, 1), v.repeat_interleave(heads // kv, 1)
        a = attention(q, k, v, past == 0)
        x = x + F.linear(a.transpose(1, 2).reshape(b, t, hidden), w[p + "self_attn.o_proj.weight"])
        h = rms(x, w[p + "post_attention_layernorm.weight"])
        x = x + F.linear(F.silu(F.linear(h, w[p + "mlp.gate_proj.weight"])) * F.linear(h, w[p + "mlp.up_proj.weight"]), w[p + "mlp.down_proj.weight"])
    return F.linear(rms(x[:, -1], w["model.norm.weight"]), head)


prompts = torch.randint(0, cfg["vocab_size"] - 3, (args.prompts, args.length))
generated = 0
start = time.perf_counter()
with torch.no_grad():
    for first in range(0, args.prompts, args.batch):
        cache = [None] * cfg["num_hidden_layers"]
        ids = prompts[first:first + args.batch]
        for _ in range(args.new):
            ids = forward(ids, cache).argmax(-1, keepdim=True)
            generated += ids.shape[0]
elapsed = time.perf_counter() - start
print(f"pytorch {torch.__version__} eager: {generated / elapsed:,.1f} tokens/s at batch {args.batch} ({generated} tokens in {elapsed:.2f} s); peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
