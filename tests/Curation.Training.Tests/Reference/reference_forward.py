#!/usr/bin/env python3
"""Reference logits for a Hugging Face checkpoint folder, in plain PyTorch, independent of the C# code.

usage: reference_forward.py MODEL_DIR IDS_JSON OUT_F32 [ADAPTER_DIR] [--generate STEPS PREFIX]

Reads config.json and model.safetensors (or the shards of model.safetensors.index.json) with a few lines of
safetensors parsing, runs the forward pass written out here from transformers' modeling code, in float64, and writes
the logits [batch, time, vocab] as little-endian float32:

- LlamaForCausalLM, MistralForCausalLM, Qwen2ForCausalLM, Qwen3ForCausalLM, Phi3ForCausalLM: RMSNorm, RoPE (llama3
  rope_scaling; Phi-3's partial_rotary_factor), grouped-query attention with each model type's biases (Llama's
  attention_bias on q, k, v and o and mlp_bias; Qwen2's q, k, v biases; Qwen3's attention_bias and its per-head
  q_norm / k_norm before RoPE), Phi-3's fused qkv_proj and gate_up_proj, the sliding window of each layer (Mistral and
  Phi-3: every layer; Qwen2 and Qwen3: with use_sliding_window, the layers at or above max_window_layers or those
  layer_types marks), a gated MLP with hidden_act;
- GPT2LMHeadModel with activation_function, scale_attn_weights and scale_attn_by_inverse_layer_idx.

Which tensors exist follows from the config alone, and every tensor of the checkpoint must be used: a model that
reads a config key differently fails here, not silently.

With ADAPTER_DIR, a PEFT LoRA adapter (adapter_config.json, adapter_model.safetensors) is first added into the weights
as PEFT merges it: W += B @ A * alpha / r (/ sqrt(r) with use_rslora), with r and alpha of each module from
rank_pattern and alpha_pattern as PEFT's get_pattern_key picks them, transposed when fan_in_fan_out.

With --generate STEPS PREFIX, it also generates STEPS tokens greedily from each row of IDS_JSON without a cache (the
whole sequence recomputed at every step) and writes PREFIX.ids.json (the new ids, one list per row) and
PREFIX.logits.f32 (the last position's logits at each step, [batch, steps, vocab]).
"""
import argparse
import json
import math
import os
import re
import struct

import torch
import torch.nn.functional as F

DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16}


def load_tensors_file(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    body = data[8 + n:]
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        t = torch.frombuffer(bytearray(body[start:end]), dtype=DTYPES[info["dtype"]]) if end > start else torch.empty(0)
        out[name] = t.reshape(info["shape"]).to(torch.float64)
    return out


def load_tensors(folder):
    single = os.path.join(folder, "model.safetensors")
    if os.path.exists(single):
        files = [single]
    else:
        with open(os.path.join(folder, "model.safetensors.index.json")) as f:
            files = sorted({os.path.join(folder, v) for v in json.load(f)["weight_map"].values()})
    tensors = {}
    for path in files:
        tensors.update(load_tensors_file(path))
    return tensors


class Used(dict):
    """The checkpoint's tensors, remembering which ones the forward pass read."""

    def __init__(self, tensors):
        super().__init__(tensors)
        self.read = set()

    def __getitem__(self, name):
        self.read.add(name)
        return super().__getitem__(name)

    def check_all_read(self, ignorable):
        unread = sorted(k for k in self.keys() if k not in self.read and not ignorable(k))
        if unread:
            raise SystemExit(f"tensors the config gives no place: {unread[:5]}")


def activation(name):
    if name in ("silu", "swish"):
        return F.silu
    if name == "gelu":
        return F.gelu
    if name == "gelu_pytorch_tanh":
        return lambda x: F.gelu(x, approximate="tanh")
    if name == "gelu_new":
        return lambda x: 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0))))
    raise SystemExit(f"activation {name} not in the reference")


def rms_norm(x, w, eps):
    return w * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps))


def rope_settings(cfg):
    params = cfg.get("rope_parameters") or cfg.get("rope_scaling") or {}
    theta = cfg.get("rope_theta", params.get("rope_theta", 10000.0))
    partial = cfg.get("partial_rotary_factor", params.get("partial_rotary_factor", 1.0))
    return params, theta, partial


def rope_inv_freq(cfg, head_dim):
    params, theta, partial = rope_settings(cfg)
    dim = int(head_dim * partial)
    inv = 1.0 / (theta ** (torch.arange(0, dim, 2, dtype=torch.float64) / dim))
    if params.get("rope_type", params.get("type")) == "llama3":
        factor, low, high, old = params["factor"], params["low_freq_factor"], params["high_freq_factor"], params["original_max_position_embeddings"]
        low_wl, high_wl = old / low, old / high
        wl = 2 * math.pi / inv
        scaled = torch.where(wl > low_wl, inv / factor, inv)
        smooth = (old / wl - low) / (high - low)
        smoothed = (1 - smooth) * scaled / factor + smooth * scaled
        medium = (wl >= high_wl) & (wl <= low_wl)
        inv = torch.where(medium, smoothed, scaled)
    return inv


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


def apply_rope(x, cos, sin):
    d = cos.shape[-1]
    rot, rest = x[..., :d], x[..., d:]
    return torch.cat((rot * cos + rotate_half(rot) * sin, rest), dim=-1)


def attention(q, k, v, scale, window=None):
    t = q.shape[-2]
    scores = (q @ k.transpose(-1, -2)) * scale
    query = torch.arange(t)[:, None]
    key = torch.arange(t)[None, :]
    allowed = key <= query
    if window is not None:
        allowed = allowed & (key > query - window)
    scores = scores.masked_fill(~allowed, float("-inf"))
    return torch.softmax(scores, dim=-1) @ v


def layer_windows(cfg):
    n = cfg["num_hidden_layers"]
    model_type = cfg["model_type"]
    if model_type in ("mistral", "phi3"):
        return [cfg.get("sliding_window")] * n
    if model_type in ("qwen2", "qwen3"):
        window = cfg.get("sliding_window", 4096) if cfg.get("use_sliding_window", False) else None
        types = cfg.get("layer_types") or [
            "sliding_attention" if window is not None and i >= cfg.get("max_window_layers", 28) else "full_attention" for i in range(n)
        ]
        return [window if kind == "sliding_attention" else None for kind in types]
    return [None] * n


def llama_family(cfg, w, ids):
    model_type = cfg["model_type"]
    hidden = cfg["hidden_size"]
    heads = cfg["num_attention_heads"]
    kv = cfg.get("num_key_value_heads") or heads
    hd = cfg.get("head_dim") or (128 if model_type == "qwen3" else hidden // heads)
    eps = cfg.get("rms_norm_eps", 1e-5 if model_type == "phi3" else 1e-6)
    act = activation(cfg.get("hidden_act", "silu"))
    bias = cfg.get("attention_bias", False)
    qkv_bias = {"llama": bias, "qwen2": True, "qwen3": bias}.get(model_type, False)
    o_bias = {"llama": bias, "qwen3": bias}.get(model_type, False)
    mlp_bias = cfg.get("mlp_bias", False) if model_type == "llama" else False
    windows = layer_windows(cfg)

    x = w["model.embed_tokens.weight"][ids]
    b, t = ids.shape
    freqs = torch.outer(torch.arange(t, dtype=torch.float64), rope_inv_freq(cfg, hd))
    emb = torch.cat((freqs, freqs), dim=-1)
    cos, sin = emb.cos(), emb.sin()
    for i in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{i}."

        def linear(h, name, with_bias):
            y = h @ w[p + name + ".weight"].T
            return y + w[p + name + ".bias"] if with_bias else y

        h = rms_norm(x, w[p + "input_layernorm.weight"], eps)
        if model_type == "phi3":
            qkv = linear(h, "self_attn.qkv_proj", False)
            q, k, v = qkv[..., :heads * hd], qkv[..., heads * hd:(heads + kv) * hd], qkv[..., (heads + kv) * hd:]
        else:
            q = linear(h, "self_attn.q_proj", qkv_bias)
            k = linear(h, "self_attn.k_proj", qkv_bias)
            v = linear(h, "self_attn.v_proj", qkv_bias)
        q, k, v = q.reshape(b, t, heads, hd), k.reshape(b, t, kv, hd), v.reshape(b, t, kv, hd)
        if model_type == "qwen3":
            q = rms_norm(q, w[p + "self_attn.q_norm.weight"], eps)
            k = rms_norm(k, w[p + "self_attn.k_norm.weight"], eps)
        q, k, v = q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2)
        q, k = apply_rope(q, cos, sin), apply_rope(k, cos, sin)
        k = k.repeat_interleave(heads // kv, dim=1)
        v = v.repeat_interleave(heads // kv, dim=1)
        a = attention(q, k, v, 1.0 / math.sqrt(hd), windows[i]).transpose(1, 2).reshape(b, t, heads * hd)
        x = x + linear(a, "self_attn.o_proj", o_bias)

        h = rms_norm(x, w[p + "post_attention_layernorm.weight"], eps)
        if model_type == "phi3":
            gate, up = linear(h, "mlp.gate_up_proj", False).chunk(2, dim=-1)
        else:
            gate, up = linear(h, "mlp.gate_proj", mlp_bias), linear(h, "mlp.up_proj", mlp_bias)
        x = x + linear(act(gate) * up, "mlp.down_proj", mlp_bias)
    x = rms_norm(x, w["model.norm.weight"], eps)
    tied = cfg.get("tie_word_embeddings", False)
    return x @ (w["model.embed_tokens.weight"] if tied else w["lm_head.weight"]).T


def llama_ignorable(cfg):
    tied = cfg.get("tie_word_embeddings", False)
    return lambda name: name.endswith(".rotary_emb.inv_freq") or (tied and name == "lm_head.weight")


def gpt2(cfg, w, ids):
    def t(name):
        return w["transformer." + name] if "transformer." + name in w else w[name]

    hidden, heads, eps = cfg["n_embd"], cfg["n_head"], cfg.get("layer_norm_epsilon", 1e-5)
    hd = hidden // heads
    act = activation(cfg.get("activation_function", "gelu_new"))
    b, n = ids.shape
    x = t("wte.weight")[ids] + t("wpe.weight")[torch.arange(n)]

    def ln(x, name):
        return F.layer_norm(x, (hidden,), t(name + ".weight"), t(name + ".bias"), eps)

    for i in range(cfg["n_layer"]):
        p = f"h.{i}."
        scale = 1.0 / math.sqrt(hd) if cfg.get("scale_attn_weights", True) else 1.0
        if cfg.get("scale_attn_by_inverse_layer_idx", False):
            scale /= i + 1
        h = ln(x, p + "ln_1")
        qkv = h @ t(p + "attn.c_attn.weight") + t(p + "attn.c_attn.bias")
        q, k, v = (z.reshape(b, n, heads, hd).transpose(1, 2) for z in qkv.split(hidden, dim=2))
        a = attention(q, k, v, scale).transpose(1, 2).reshape(b, n, hidden)
        x = x + a @ t(p + "attn.c_proj.weight") + t(p + "attn.c_proj.bias")
        h = ln(x, p + "ln_2")
        u = h @ t(p + "mlp.c_fc.weight") + t(p + "mlp.c_fc.bias")
        x = x + act(u) @ t(p + "mlp.c_proj.weight") + t(p + "mlp.c_proj.bias")
    x = ln(x, "ln_f")
    return x @ t("wte.weight").T


def gpt2_ignorable(name):
    return name.endswith(".attn.bias") or name.endswith(".attn.masked_bias") or name == "lm_head.weight"


def pattern_value(patterns, module, default):
    """PEFT's get_pattern_key: the first key such that the module name is that key, or ends with '.' and it."""
    for key, value in (patterns or {}).items():
        if re.match(rf"(.*\.)?({key})$", module):
            return value
    return default


def apply_adapter(w, adapter_dir):
    with open(os.path.join(adapter_dir, "adapter_config.json")) as f:
        cfg = json.load(f)
    assert cfg["peft_type"] == "LORA"
    adapter = load_tensors_file(os.path.join(adapter_dir, "adapter_model.safetensors"))
    prefix = "base_model.model."
    for name, a in adapter.items():
        if not name.endswith(".lora_A.weight"):
            continue
        module = name[len(prefix):-len(".lora_A.weight")]
        r = pattern_value(cfg.get("rank_pattern"), module, cfg["r"])
        alpha = pattern_value(cfg.get("alpha_pattern"), module, cfg["lora_alpha"])
        if a.shape[0] != r:
            raise SystemExit(f"{name}: rank {a.shape[0]}, but the config gives {module} rank {r}")
        scale = alpha / (math.sqrt(r) if cfg.get("use_rslora") else r)
        b = adapter[name.replace(".lora_A.", ".lora_B.")]
        delta = (b @ a) * scale
        if cfg.get("fan_in_fan_out"):
            delta = delta.T
        w[module + ".weight"] = w[module + ".weight"] + delta


def greedy(forward, ids, steps):
    """Greedy generation without a cache: every step recomputes the whole sequence."""
    sequence = ids
    step_logits = []
    for _ in range(steps):
        last = forward(sequence)[:, -1]
        step_logits.append(last)
        sequence = torch.cat((sequence, last.argmax(-1, keepdim=True)), dim=1)
    return sequence[:, ids.shape[1]:], torch.stack(step_logits, dim=1)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("model")
    parser.add_argument("ids")
    parser.add_argument("out")
    parser.add_argument("adapter", nargs="?")
    parser.add_argument("--generate", nargs=2, metavar=("STEPS", "PREFIX"))
    args = parser.parse_args()

    with open(os.path.join(args.model, "config.json")) as f:
        cfg = json.load(f)
    with open(args.ids) as f:
        ids = torch.tensor(json.load(f), dtype=torch.long)
    w = Used(load_tensors(args.model))
    if args.adapter:
        apply_adapter(w, args.adapter)
    if cfg["model_type"] == "gpt2":
        model, ignorable = (lambda x: gpt2(cfg, w, x)), gpt2_ignorable
    else:
        model, ignorable = (lambda x: llama_family(cfg, w, x)), llama_ignorable(cfg)
    with torch.no_grad():
        logits = model(ids)
        w.check_all_read(ignorable)
        with open(args.out, "wb") as f:
            f.write(logits.to(torch.float32).contiguous().numpy().tobytes())
        if args.generate:
            steps, prefix = int(args.generate[0]), args.generate[1]
            new_ids, step_logits = greedy(model, ids, steps)
            with open(prefix + ".ids.json", "w") as f:
                json.dump(new_ids.tolist(), f)
            with open(prefix + ".logits.f32", "wb") as f:
                f.write(step_logits.to(torch.float32).contiguous().numpy().tobytes())


if __name__ == "__main__":
    main()
