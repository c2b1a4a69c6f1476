import torch


def tiled_attention(q, k, v):
    # Keeps the output normalised after every tile, but divides the rescaled old output by the
    # new normaliser without first multiplying it back by the old one.
    block = 512
    q = q * q.shape[-1] ** -0.5
    m = torch.full((*q.shape[:-1], 1), float("-inf"))
    l = torch.zeros_like(m)
    out = torch.zeros_like(q)
    for start in range(0, k.shape[-2], block):
        s = q @ k[..., start : start + block, :].mT
        m_new = torch.maximum(m, s.amax(dim=-1, keepdim=True))
        correction = torch.exp(m - m_new)
        p = torch.exp(s - m_new)
        l_new = l * correction + p.sum(dim=-1, keepdim=True)
        out = (out * correction + p @ v[..., start : start + block, :]) / l_new  # should be out * l * correction
        m, l = m_new, l_new
    return out
