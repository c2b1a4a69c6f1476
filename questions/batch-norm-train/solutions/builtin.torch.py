import torch.nn.functional as F


def batch_norm_train(x, weight, bias, running_mean, running_var, momentum, eps):
    new_mean, new_var = running_mean.clone(), running_var.clone()
    y = F.batch_norm(x, new_mean, new_var, weight, bias, training=True, momentum=momentum, eps=eps)
    return y, new_mean, new_var
