import torch


def sgd_momentum(params, grads, momentum_buffer, lr, momentum, weight_decay, nesterov):
    new_params, new_buf = {}, {}
    for name in params:
        p, buf = params[name], momentum_buffer[name]
        for t in range(grads[name].shape[0]):
            g = grads[name][t] + weight_decay * p
            buf = momentum * buf + g
            step = g + momentum * buf if nesterov else buf
            p = p - lr * step
        new_params[name], new_buf[name] = p, buf
    return new_params, new_buf
