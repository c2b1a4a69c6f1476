import torch


def gru_bptt(x, h0, w_ih, w_hh, b_ih, b_hh, g):
    inputs = [t.detach().requires_grad_(True) for t in (x, h0, w_ih, w_hh, b_ih, b_hh)]
    x, h, w_ih, w_hh, b_ih, b_hh = inputs
    hs = []
    for x_t in x:
        # Reads the stacked rows as (update, reset, new): PyTorch stacks (reset, update, new).
        x_z, x_r, x_n = (x_t @ w_ih.T + b_ih).chunk(3, dim=-1)
        h_z, h_r, h_n = (h @ w_hh.T + b_hh).chunk(3, dim=-1)
        r, z = torch.sigmoid(x_r + h_r), torch.sigmoid(x_z + h_z)
        h = (1 - z) * torch.tanh(x_n + r * h_n) + z * h
        hs.append(h)
    hs = torch.stack(hs)
    grads = torch.autograd.grad(hs, inputs, grad_outputs=g)
    return hs.detach(), hs[-1].detach(), dict(zip(("x", "h0", "w_ih", "w_hh", "b_ih", "b_hh"), grads))
