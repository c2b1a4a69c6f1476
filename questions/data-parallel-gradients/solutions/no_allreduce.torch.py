import torch
import torch.nn.functional as F


def data_parallel_grad(params, x, y, num_devices):
    # Computes rank 0's shard gradient and returns it: the all-reduce is missing.
    x0, y0 = torch.tensor_split(x, num_devices)[0], torch.tensor_split(y, num_devices)[0]
    p = {k: v.clone().requires_grad_(True) for k, v in params.items()}
    logits = torch.tanh(x0 @ p["w1"] + p["b1"]) @ p["w2"] + p["b2"]
    F.cross_entropy(logits, y0).backward()
    return {k: v.grad for k, v in p.items()}
