import torch


def sgd_momentum(params, grads, momentum_buffer, lr, momentum, weight_decay, nesterov):
    # Decays the weights separately (AdamW-style) instead of adding weight_decay * p to the
    # gradient, so the decay never enters the momentum buffer.
    new_params, new_buf = {}, {}
    for name in params:
        p, buf = params[name].clone(), momentum_buffer[name].clone()
        for g in grads[name]:
            buf = momentum * buf + g
            step = g + momentum * buf if nesterov else buf
            p = p * (1 - lr * weight_decay) - lr * step
        new_params[name], new_buf[name] = p, buf
    return new_params, new_buf
