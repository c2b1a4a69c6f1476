import torch


def sgd_momentum(params, grads, momentum_buffer, lr, momentum, weight_decay, nesterov):
    # Keeps the optimizer state in float16 "to save memory": about 3 significant digits.
    new_params, new_buf = {}, {}
    for name in params:
        p = params[name].half()
        buf = momentum_buffer[name].half()
        for g in grads[name].half():
            g = g + weight_decay * p
            buf = momentum * buf + g
            p = p - lr * (g + momentum * buf if nesterov else buf)
        new_params[name], new_buf[name] = p.float(), buf.float()
    return new_params, new_buf
