import torch
import torch.optim.adam as adam_module


@torch.no_grad()
def adamw(params, grads, exp_avg, exp_avg_sq, step, lr, beta1, beta2, eps, weight_decay):
    # The private multi-tensor kernel (torch._foreach_* inside) of torch.optim.Adam.
    names = list(params)
    p = [params[n].clone() for n in names]
    m = [exp_avg[n].clone() for n in names]
    v = [exp_avg_sq[n].clone() for n in names]
    steps = [torch.tensor(float(step)) for _ in names]
    for i in range(grads[names[0]].shape[0]):
        adam_module._multi_tensor_adam(
            p, [grads[n][i] for n in names], m, v, [], steps, None, None, amsgrad=False, has_complex=False,
            beta1=beta1, beta2=beta2, lr=lr, weight_decay=weight_decay, eps=eps, maximize=False,
            capturable=False, differentiable=False, decoupled_weight_decay=True)
    return dict(zip(names, p)), dict(zip(names, m)), dict(zip(names, v))
