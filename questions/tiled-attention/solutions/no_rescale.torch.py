import torch


def tiled_attention(q, k, v, block=256):
    # Tracks the running maximum but never rescales: sums from earlier tiles stay relative to
    # the maximum they were computed with while later tiles use a larger one.
    q = q / q.shape[-1] ** 0.5
    m = torch.full(q.shape[:-1] + (1,), float("-inf"))
    denom = torch.zeros_like(m)
    numer = torch.zeros_like(q)
    for start in range(0, k.shape[-2], block):
        s = q @ k[..., start : start + block, :].transpose(-1, -2)
        m = torch.maximum(m, s.amax(dim=-1, keepdim=True))
        p = (s - m).exp()
        denom += p.sum(dim=-1, keepdim=True)
        numer += p @ v[..., start : start + block, :]
    return numer / denom
