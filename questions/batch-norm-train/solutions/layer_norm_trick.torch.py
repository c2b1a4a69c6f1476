import torch
import torch.nn.functional as F


def batch_norm_train(x, weight, bias, running_mean, running_var, momentum, eps):
    # Per-channel statistics via layer_norm on the transposed input: a built-in normalization.
    c = x.shape[1]
    flat = x.transpose(0, 1).reshape(c, -1)
    normed = F.layer_norm(flat, (flat.shape[1],), eps=eps)
    shape = (1, -1) + (1,) * (x.dim() - 2)
    y = normed.reshape(x.transpose(0, 1).shape).transpose(0, 1) * weight.view(shape) + bias.view(shape)
    return (y, (1 - momentum) * running_mean + momentum * flat.mean(dim=1),
            (1 - momentum) * running_var + momentum * flat.var(dim=1))
