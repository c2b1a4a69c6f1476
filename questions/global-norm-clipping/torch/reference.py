import torch


def clip_by_global_norm(
    grads: dict[str, torch.Tensor], max_norm: float
) -> tuple[dict[str, torch.Tensor], torch.Tensor]:
    leaves = [g for g in grads.values() if g.numel() > 0]
    if not leaves:
        return {k: g.clone() for k, g in grads.items()}, torch.zeros(())
    # Squares of values above ~1.8e19 overflow float32 and squares below ~1e-23 underflow,
    # so sum the squares of g / m, with m the largest magnitude in the whole tree (as BLAS
    # nrm2 does): every term is then in [0, 1].
    m = torch.stack([g.abs().amax() for g in leaves]).amax()
    safe_m = torch.where(m > 0, m, torch.ones_like(m))
    sum_sq = torch.stack([(g / safe_m).square().sum() for g in leaves]).sum()
    norm = safe_m * sum_sq.sqrt()
    # min(1, max_norm / norm), and exactly 1 for an all-zero tree (norm 0).
    scale = max_norm / torch.clamp(norm, min=max_norm)
    return {k: g * scale for k, g in grads.items()}, norm
