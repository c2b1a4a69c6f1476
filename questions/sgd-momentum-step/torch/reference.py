import torch


@torch.no_grad()
def sgd_momentum(params, grads, momentum_buffer, lr, momentum, weight_decay, nesterov):
    new_params, new_buffers = {}, {}
    for name, param in params.items():
        p = param.clone()
        buf = momentum_buffer[name].clone()
        for g in grads[name]:  # one gradient per step, in order
            if weight_decay != 0:
                g = g.add(p, alpha=weight_decay)  # L2 penalty: part of the gradient
            buf.mul_(momentum).add_(g)
            # Nesterov looks ahead along the *updated* buffer.
            p.add_(g.add(buf, alpha=momentum) if nesterov else buf, alpha=-lr)
        new_params[name], new_buffers[name] = p, buf
    return new_params, new_buffers
