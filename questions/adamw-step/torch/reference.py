import math

import torch


@torch.no_grad()
def adamw(params, grads, exp_avg, exp_avg_sq, step, lr, beta1, beta2, eps, weight_decay):
    new_p, new_m, new_v = {}, {}, {}
    for name, param in params.items():
        p, m, v = param.clone(), exp_avg[name].clone(), exp_avg_sq[name].clone()
        for i, g in enumerate(grads[name]):
            t = step + i + 1  # bias corrections use the 1-based count of steps taken
            p.mul_(1 - lr * weight_decay)  # decoupled: the decay never touches m or v
            m.lerp_(g, 1 - beta1)
            v.mul_(beta2).addcmul_(g, g, value=1 - beta2)
            bias1, bias2 = 1 - beta1**t, 1 - beta2**t
            denom = (v.sqrt() / math.sqrt(bias2)).add_(eps)  # eps outside the square root
            p.addcdiv_(m, denom, value=-lr / bias1)
        new_p[name], new_m[name], new_v[name] = p, m, v
    return new_p, new_m, new_v
