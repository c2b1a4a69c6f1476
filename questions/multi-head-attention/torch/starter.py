import torch


def multi_head_attention(
    query: torch.Tensor,
    key: torch.Tensor,
    value: torch.Tensor,
    params: dict[str, torch.Tensor],
    num_heads: int,
) -> torch.Tensor:
    """Multi-head attention: project, split heads, attend, merge heads, project out.

    query: (b, lq, e); key, value: (b, lk, e); params: w_q, w_k, w_v, w_o of shape (e, e) in
    nn.Linear layout (y = x @ w.T + b) and b_q, b_k, b_v, b_o of shape (e,). Returns (b, lq, e).
    """
    raise NotImplementedError
