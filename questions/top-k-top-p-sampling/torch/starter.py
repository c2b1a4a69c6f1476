import torch


def sample_top_k_top_p(
    logits: torch.Tensor, temperature: float, top_k: int, top_p: float, rng: dict
) -> tuple[torch.Tensor, torch.Tensor]:
    """Temperature, then top-k, then top-p (nucleus) filtering, then one sample per row.

    logits: float32 (rows, vocab). Returns (probs, tokens): probs float32 (rows, vocab), the
    filtered distribution renormalised (0 for removed tokens); tokens int64 (rows,), one
    token per row drawn from probs with torch.Generator().manual_seed(rng["seed"]).
    """
    raise NotImplementedError
