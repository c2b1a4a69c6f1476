import torch


def loss(params: dict[str, torch.Tensor], x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Cross-entropy of ONE example: x of shape (d,), y a 0-d int32 label."""
    hidden = torch.tanh(x @ params["w1"] + params["b1"])
    logits = hidden @ params["w2"] + params["b2"]
    # gather, not logits[y]: indexing with a tensor value is data-dependent and vmap rejects it.
    return torch.logsumexp(logits, dim=0) - logits.gather(0, y.long().unsqueeze(0)).squeeze(0)


def per_example_grads(params: dict[str, torch.Tensor], x: torch.Tensor, y: torch.Tensor) -> dict[str, torch.Tensor]:
    """Gradient of each example's loss: a dict like params, every value with a leading batch axis."""
    raise NotImplementedError
