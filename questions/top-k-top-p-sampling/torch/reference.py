import torch


def sample_top_k_top_p(logits, temperature, top_k, top_p, rng):
    # Temperature scales the logits before the softmax (dividing probabilities would cancel
    # out in the renormalisation).
    z = logits / temperature
    sorted_z = torch.sort(z, dim=-1, descending=True).values
    kth = sorted_z[:, min(top_k, z.shape[-1]) - 1].unsqueeze(-1)
    in_top_k = sorted_z >= kth  # a prefix of the sorted row; ties at the k-th value stay
    # Top-p sees the top-k distribution renormalised: softmax over the surviving logits.
    probs_sorted = torch.softmax(sorted_z.masked_fill(~in_top_k, float("-inf")), dim=-1)
    mass_before = torch.cumsum(probs_sorted, dim=-1) - probs_sorted
    # Keep while the mass strictly ahead is below p, so the token that crosses p is kept.
    # p >= 1 keeps the whole top-k set even when rounding lets the running sum reach 1 early.
    in_nucleus = in_top_k & ((mass_before < top_p) | (top_p >= 1.0))
    last = in_nucleus.sum(dim=-1, keepdim=True) - 1
    # A threshold logit keeps ties together: a token equal to the last one kept has the same
    # mass strictly ahead of it.
    threshold = torch.gather(sorted_z, -1, last)
    probs = torch.softmax(z.masked_fill(z < threshold, float("-inf")), dim=-1)
    # One generator, one multinomial call: every row gets its own draw from the same stream.
    gen = torch.Generator(device=logits.device).manual_seed(rng["seed"])
    tokens = torch.multinomial(probs, 1, generator=gen).squeeze(-1)
    return probs, tokens
