import torch


def batch_norm_train(x, weight, bias, running_mean, running_var, momentum, eps):
    dims = [0] + list(range(2, x.dim()))
    shape = (1, -1) + (1,) * (x.dim() - 2)
    var, mean = torch.var_mean(x, dim=dims, correction=0)
    m = x.numel() // x.shape[1]
    y = (x - mean.view(shape)) / torch.sqrt(var.view(shape) + eps) * weight.view(shape) + bias.view(shape)
    # Keras / Flax convention: momentum weights the old value. PyTorch's weights the new one.
    new_mean = momentum * running_mean + (1 - momentum) * mean
    new_var = momentum * running_var + (1 - momentum) * var * m / (m - 1)
    return y, new_mean, new_var
