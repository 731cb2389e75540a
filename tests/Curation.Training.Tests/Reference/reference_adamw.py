"""torch.optim.AdamW on the parameters and gradients the test wrote; writes the parameters and moments after each step."""
import json
import sys

import torch

spec = json.load(open(sys.argv[1]))
parameters = [torch.nn.Parameter(torch.tensor(p["values"], dtype=torch.float32).reshape(p["shape"])) for p in spec["parameters"]]
optimizer = torch.optim.AdamW(parameters, lr=spec["learning_rates"][0], betas=(0.9, 0.999), eps=1e-8, weight_decay=spec["weight_decay"])
for step, gradients in enumerate(spec["gradients"]):
    for group in optimizer.param_groups:
        group["lr"] = spec["learning_rates"][step]
    for parameter, gradient in zip(parameters, gradients):
        parameter.grad = None if gradient is None else torch.tensor(gradient, dtype=torch.float32).reshape(parameter.shape)
    optimizer.step()
    optimizer.zero_grad()

state = [optimizer.state[p] for p in parameters]
json.dump({
    "parameters": [p.detach().reshape(-1).tolist() for p in parameters],
    "exp_avg": [s["exp_avg"].reshape(-1).tolist() if s else None for s in state],
    "exp_avg_sq": [s["exp_avg_sq"].reshape(-1).tolist() if s else None for s in state],
}, open(sys.argv[2], "w"))
