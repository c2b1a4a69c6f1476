import torch
from torch.func import grad, vmap


def _loss(params: dict[str, torch.Tensor], x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Cross-entropy of one example: x of shape (d,), y a 0-d int32 label."""
    hidden = torch.tanh(x @ params["w1"] + params["b1"])
    logits = hidden @ params["w2"] + params["b2"]
    # logsumexp subtracts the maximum internally, so large logits cannot overflow.
    return torch.logsumexp(logits, dim=0) - logits.gather(0, y.long().unsqueeze(0)).squeeze(0)


# grad differentiates one example's loss; vmap maps it over the batch axis of x and y while
# sharing the parameters (in_dims=None): one batched backward pass, no Python loop.
_per_example = vmap(grad(_loss), in_dims=(None, 0, 0))


def per_example_grads(params: dict[str, torch.Tensor], x: torch.Tensor, y: torch.Tensor) -> dict[str, torch.Tensor]:
    return _per_example(params, x, y)
