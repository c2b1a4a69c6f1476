import torch
from torch.optim.sgd import sgd


@torch.no_grad()
def sgd_momentum(params, grads, momentum_buffer, lr, momentum, weight_decay, nesterov):
    # The functional form behind torch.optim.SGD: no Optimizer object, no record_function.
    names = list(params)
    p = [params[n].clone() for n in names]
    bufs = [momentum_buffer[n].clone() for n in names]
    for i in range(grads[names[0]].shape[0]):
        g = [grads[n][i] for n in names]
        if momentum == 0:  # torch keeps no buffer then; the question's buffer is the last g
            bufs = [gi + weight_decay * pi for gi, pi in zip(g, p)]
        sgd(p, g, bufs, foreach=False, weight_decay=weight_decay,
            momentum=momentum, lr=lr, dampening=0.0, nesterov=nesterov, maximize=False)
    return dict(zip(names, p)), dict(zip(names, bufs))
