import torch
from torch.utils.checkpoint import checkpoint


def _segment(h: torch.Tensor, w: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    for layer in range(w.shape[0]):
        h = h + torch.tanh(h @ w[layer] + b[layer])
    return h


def checkpointed_loss_and_grads(
    params: dict[str, torch.Tensor], x: torch.Tensor, y: torch.Tensor, segment_size: int
) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
    w = params["w"].detach().requires_grad_()
    b = params["b"].detach().requires_grad_()
    h = x
    for start in range(0, w.shape[0], segment_size):
        stop = start + segment_size  # the last segment may be shorter
        # Only h, the segment's input, is saved; the segment's activations are recomputed in
        # backward. The non-reentrant form also differentiates the slices of w and b it is
        # given, whether or not x requires grad.
        h = checkpoint(_segment, h, w[start:stop], b[start:stop], use_reentrant=False)
    loss = torch.mean((h - y) ** 2)
    grad_w, grad_b = torch.autograd.grad(loss, [w, b])
    return loss.detach(), {"w": grad_w, "b": grad_b}
