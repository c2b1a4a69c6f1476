import math

import torch
import torch.nn.functional as F


def moe_route(x, router_logits, w_in, w_out, k, capacity_factor):
    tokens, experts = router_logits.shape
    probs = torch.softmax(router_logits, dim=-1)
    top_p, choice = probs.topk(k, dim=-1)  # (T, k), best first
    # Renormalise over the k chosen experts, before any capacity drop.
    gates = top_p / top_p.sum(dim=-1, keepdim=True)
    capacity = math.floor(capacity_factor * k * tokens / experts)

    # Assignments in priority order: all first choices (in token order), then all second
    # choices, ... Flattening the transposed (k, T) table gives exactly that order.
    expert_of = choice.T.reshape(-1)
    token_of = torch.arange(tokens).repeat(k)  # Tensor.repeat tiles: 0..T-1, k times
    gate_of = gates.T.reshape(-1)
    one_hot = F.one_hot(expert_of, experts)
    # How many earlier assignments went to the same expert: this one's place in its queue.
    position = (one_hot.cumsum(dim=0) - 1).gather(1, expert_of[:, None])[:, 0]
    kept = position < capacity
    dropped = ~kept.reshape(k, tokens).T

    y = torch.zeros_like(x)
    for e in range(experts):
        # At most `capacity` assignments reach expert e; each runs the expert once.
        mine = torch.nonzero(kept & (expert_of == e))[:, 0]
        if mine.numel():
            out = torch.relu(x[token_of[mine]] @ w_in[e]) @ w_out[e]
            y.index_add_(0, token_of[mine], gate_of[mine, None] * out)

    # Switch-style balance loss: E * sum_e (share of the T k assignments to e, before capacity)
    # * (mean router probability of e). 1 when routing is uniform.
    share = one_hot.sum(dim=0) / (tokens * k)
    aux = experts * torch.sum(share * probs.mean(dim=0))
    return y, dropped, aux
