import torch


def batch_norm_train(x, weight, bias, running_mean, running_var, momentum, eps):
    # Reduces over the batch only: per-pixel statistics instead of per-channel ones for 4-D x.
    mean = x.mean(dim=0, keepdim=True)
    var = ((x - mean) ** 2).mean(dim=0, keepdim=True)
    shape = (1, -1) + (1,) * (x.dim() - 2)
    y = (x - mean) / torch.sqrt(var + eps) * weight.view(shape) + bias.view(shape)
    m = x.shape[0]
    flat_mean = mean.reshape(x.shape[1], -1).mean(dim=1)
    flat_var = var.reshape(x.shape[1], -1).mean(dim=1)
    return (y, (1 - momentum) * running_mean + momentum * flat_mean,
            (1 - momentum) * running_var + momentum * flat_var * m / (m - 1))
