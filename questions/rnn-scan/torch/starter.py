import torch


def rnn_forward(
    x: torch.Tensor, h0: torch.Tensor, w_ih: torch.Tensor, w_hh: torch.Tensor, b: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor]:
    """Elman RNN: h_t = tanh(x_t @ w_ih.T + h_{t-1} @ w_hh.T + b).

    x: (T, B, D), h0: (B, H), w_ih: (H, D), w_hh: (H, H), b: (H,), all float32.
    Return (hs, h_last): hs of shape (T, B, H) holds h_1 .. h_T; h_last (B, H) is h_T.
    """
    raise NotImplementedError
