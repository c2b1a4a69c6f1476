import torch


def log_softmax(x: torch.Tensor) -> torch.Tensor:
    """log(softmax(x)) over the last axis of a float32 tensor of shape (..., n).

    Entries may be -inf (masked out); a row that is -inf everywhere gives -inf everywhere.
    """
    raise NotImplementedError
