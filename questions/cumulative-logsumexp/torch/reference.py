import torch


def cumulative_logsumexp(x: torch.Tensor) -> torch.Tensor:
    # Hillis-Steele scan with logaddexp as the associative operator: after the step with
    # shift k, y[t] combines x[t-2k+1 .. t]. log2(T) steps, each fully vectorised, and
    # logaddexp is stable for any pair (including -inf with -inf, which gives -inf).
    y = x.clone()
    shift = 1
    while shift < x.shape[-1]:
        y[..., shift:] = torch.logaddexp(y[..., shift:], y[..., :-shift])
        shift *= 2
    return y
