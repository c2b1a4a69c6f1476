import torch


def adamw(params, grads, exp_avg, exp_avg_sq, step, lr, beta1, beta2, eps, weight_decay):
    # Multi-tensor (_foreach) version: one kernel per operation for all parameters at once.
    names = list(params)
    p = [params[n].clone() for n in names]
    m = [exp_avg[n].clone() for n in names]
    v = [exp_avg_sq[n].clone() for n in names]
    steps = grads[names[0]].shape[0]
    for i in range(steps):
        t = step + i + 1
        g = [grads[n][i] for n in names]
        torch._foreach_mul_(p, 1 - lr * weight_decay)
        torch._foreach_mul_(m, beta1)
        torch._foreach_add_(m, g, alpha=1 - beta1)
        torch._foreach_mul_(v, beta2)
        torch._foreach_addcmul_(v, g, g, value=1 - beta2)
        denom = torch._foreach_sqrt(v)
        torch._foreach_div_(denom, (1 - beta2**t) ** 0.5)
        torch._foreach_add_(denom, eps)
        torch._foreach_addcdiv_(p, m, denom, value=-lr / (1 - beta1**t))
    return dict(zip(names, p)), dict(zip(names, m)), dict(zip(names, v))
