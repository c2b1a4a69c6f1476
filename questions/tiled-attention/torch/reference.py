import torch

BLOCK = 512  # keys per tile: one tile's scores for 12288 queries are 25 MB


def tiled_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    q = q * q.shape[-1] ** -0.5
    # Per query: the running maximum m of the scores seen so far, the running normaliser
    # norm = sum exp(s - m), and the running numerator acc = sum exp(s - m) v, all relative to m.
    m = torch.full((*q.shape[:-1], 1), float("-inf"), dtype=q.dtype, device=q.device)
    norm = torch.zeros_like(m)
    acc = torch.zeros_like(q)
    for start in range(0, k.shape[-2], BLOCK):  # the last tile may be shorter
        scores = q @ k[..., start : start + BLOCK, :].transpose(-1, -2)
        m_new = torch.maximum(m, scores.amax(dim=-1, keepdim=True))
        # When the maximum rises, what was summed relative to the old one shrinks by
        # exp(m - m_new) (0 on the first tile, where m is -inf and m_new finite).
        correction = torch.exp(m - m_new)
        p = torch.exp(scores - m_new)
        norm = norm * correction + p.sum(dim=-1, keepdim=True)
        acc = acc * correction + p @ v[..., start : start + BLOCK, :]
        m = m_new
    return acc / norm  # normalise once, at the end
