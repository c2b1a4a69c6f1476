import torch
from torch.optim.adamw import adamw as functional_adamw


@torch.no_grad()
def adamw(params, grads, exp_avg, exp_avg_sq, step, lr, beta1, beta2, eps, weight_decay):
    # The functional form behind torch.optim.AdamW: no Optimizer object, no record_function.
    names = list(params)
    p = [params[n].clone() for n in names]
    m = [exp_avg[n].clone() for n in names]
    v = [exp_avg_sq[n].clone() for n in names]
    steps = [torch.tensor(float(step)) for _ in names]
    for i in range(grads[names[0]].shape[0]):
        functional_adamw(p, [grads[n][i] for n in names], m, v, [], steps, foreach=False,
                         amsgrad=False, beta1=beta1, beta2=beta2, lr=lr, weight_decay=weight_decay,
                         eps=eps, maximize=False)
    return dict(zip(names, p)), dict(zip(names, m)), dict(zip(names, v))
