import torch


def pairwise_sq_distances(x, y):
    # Exact differences, 64 rows of x at a time: at most 64 * m * d floats alive at once.
    out = torch.empty(x.shape[0], y.shape[0])
    for start in range(0, x.shape[0], 64):
        diff = x[start : start + 64, None, :] - y[None, :, :]
        out[start : start + 64] = (diff * diff).sum(-1)
    return out
