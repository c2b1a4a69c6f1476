import torch


def batch_norm_train(x, weight, bias, running_mean, running_var, momentum, eps):
    dims = [0] + list(range(2, x.dim()))
    shape = (1, -1) + (1,) * (x.dim() - 2)
    # torch.var is unbiased by default: right for the running stats, wrong for normalising.
    var = x.var(dim=dims)
    mean = x.mean(dim=dims)
    y = (x - mean.view(shape)) / torch.sqrt(var.view(shape) + eps) * weight.view(shape) + bias.view(shape)
    return y, (1 - momentum) * running_mean + momentum * mean, (1 - momentum) * running_var + momentum * var
