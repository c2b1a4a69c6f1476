import torch


def lora_linear(
    x: torch.Tensor, W: torch.Tensor, b: torch.Tensor, A: torch.Tensor, B: torch.Tensor, alpha: float,
    g: torch.Tensor,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    scaling = alpha / A.shape[0]  # alpha / r, not alpha
    # Forward through the adapter without forming B @ A: (batch, in) -> (batch, r) -> (batch, out).
    h = x @ A.T
    y = x @ W.T + b + scaling * (h @ B.T)
    # Merge for inference: one dense weight, no extra latency. Out of place, so W is untouched.
    delta = scaling * (B @ A)  # (out, r) @ (r, in) = (out, in), the shape of W
    w_merged = W + delta
    w_unmerged = w_merged - delta  # equals W up to float32 rounding, not bit for bit
    # Gradients of L = sum(y * g) with W and b frozen: dL/dB = s g^T h, dL/dA = s (g B)^T x.
    grad_b = scaling * (g.T @ h)
    grad_a = scaling * ((g @ B).T @ x)
    return y, w_merged, w_unmerged, grad_a, grad_b
