import torch


def sgd_momentum(params, grads, momentum_buffer, lr, momentum, weight_decay, nesterov):
    # Delegates to torch.optim.SGD, which the question forbids.
    names = list(params)
    tensors = [params[n].clone() for n in names]
    opt = torch.optim.SGD(tensors, lr=lr, momentum=momentum, weight_decay=weight_decay,
                          nesterov=nesterov)
    for n, t in zip(names, tensors):
        if momentum_buffer[n].abs().sum() > 0:
            opt.state[t]["momentum_buffer"] = momentum_buffer[n].clone()
    for step in range(grads[names[0]].shape[0]):
        for n, t in zip(names, tensors):
            t.grad = grads[n][step].clone()
        opt.step()
    bufs = {n: opt.state[t].get("momentum_buffer", torch.zeros_like(t)) for n, t in zip(names, tensors)}
    return dict(zip(names, tensors)), bufs
