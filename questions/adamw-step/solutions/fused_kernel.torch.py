import torch


@torch.no_grad()
def adamw(params, grads, exp_avg, exp_avg_sq, step, lr, beta1, beta2, eps, weight_decay):
    # The fused AdamW kernel that torch.optim.AdamW(fused=True) launches, called directly.
    names = list(params)
    p = [params[n].clone() for n in names]
    m = [exp_avg[n].clone() for n in names]
    v = [exp_avg_sq[n].clone() for n in names]
    steps = [torch.tensor(float(step)) for _ in names]
    for i in range(grads[names[0]].shape[0]):
        torch._foreach_add_(steps, 1)
        torch._fused_adamw_(p, [grads[n][i] for n in names], m, v, [], steps, lr=lr, beta1=beta1,
                            beta2=beta2, weight_decay=weight_decay, eps=eps, amsgrad=False, maximize=False)
    return dict(zip(names, p)), dict(zip(names, m)), dict(zip(names, v))
