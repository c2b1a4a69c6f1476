import torch
from torch.func import grad, vmap


def loss(params, x, y):
    params = {k: v.bfloat16() for k, v in params.items()}
    hidden = torch.tanh(x.bfloat16() @ params["w1"] + params["b1"])
    logits = hidden @ params["w2"] + params["b2"]
    return (torch.logsumexp(logits, 0) - logits.gather(0, y.long().unsqueeze(0)).squeeze(0)).float()


def per_example_grads(params, x, y):
    return vmap(grad(loss), in_dims=(None, 0, 0))(params, x, y)
