import torch


def gru_bptt(
    x: torch.Tensor,
    h0: torch.Tensor,
    w_ih: torch.Tensor,
    w_hh: torch.Tensor,
    b_ih: torch.Tensor,
    b_hh: torch.Tensor,
    g: torch.Tensor,
) -> tuple[torch.Tensor, torch.Tensor, dict[str, torch.Tensor]]:
    """A GRU (PyTorch's equations) over x (T, B, D) from h0 (B, H), and the gradients of
    L = sum(g * hs) with respect to every input.

    w_ih (3H, D), w_hh (3H, H), b_ih (3H,), b_hh (3H,): rows stacked as reset, update, new.
    Returns (hs (T, B, H), h_last (B, H), grads) with grads a dict with the keys
    "x", "h0", "w_ih", "w_hh", "b_ih", "b_hh", each shaped like that input.
    """
    raise NotImplementedError
