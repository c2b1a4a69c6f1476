import torch
import torch.nn.functional as F


def moe_route(x, router_logits, w_in, w_out, k, capacity_factor):
    # Every expert on every token (E times the work, but simple), and the capacity queue filled
    # one choice rank at a time, carrying each expert's load from rank to rank.
    tokens, experts = router_logits.shape
    probs = router_logits.softmax(dim=-1)
    top_p, top_e = torch.topk(probs, k, dim=-1)
    gates = top_p / top_p.sum(dim=-1, keepdim=True)
    capacity = int(capacity_factor * k * tokens / experts)
    load = torch.zeros(experts, dtype=torch.long)
    keep = torch.zeros(tokens, k, dtype=torch.bool)
    for j in range(k):
        hits = F.one_hot(top_e[:, j], experts)
        queue = load + hits.cumsum(dim=0) - 1
        keep[:, j] = queue.gather(1, top_e[:, j : j + 1])[:, 0] < capacity
        load += hits.sum(dim=0)
    every = torch.einsum("eth,ehd->etd", torch.einsum("td,edh->eth", x, w_in).relu(), w_out)
    picked = every[top_e, torch.arange(tokens)[:, None]]  # (T, k, D)
    y = ((gates * keep)[..., None] * picked).sum(dim=1)
    share = F.one_hot(top_e, experts).float().mean(dim=(0, 1))
    aux = experts * (share * probs.mean(dim=0)).sum()
    return y, ~keep, aux
