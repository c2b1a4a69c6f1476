import torch


def layer_norm_backward(x, gamma, dy, eps):
    d = x.shape[-1]
    var, mean = torch.var_mean(x, dim=-1, correction=0, keepdim=True)
    rstd = 1.0 / torch.sqrt(var + eps)
    xhat = (x - mean) * rstd
    dxhat = dy * gamma
    # The textbook form: (1 / d) * rstd * (d * dxhat - sum(dxhat) - xhat * sum(dxhat * xhat)).
    dx = (rstd / d) * (d * dxhat - dxhat.sum(-1, keepdim=True) - xhat * (dxhat * xhat).sum(-1, keepdim=True))
    return dx, (dy * xhat).sum(0), dy.sum(0)
