import torch


def gru_bptt(x, h0, w_ih, w_hh, b_ih, b_hh, g):
    inputs = [t.detach().requires_grad_(True) for t in (x, h0, w_ih, w_hh, b_ih, b_hh)]
    x, h, w_ih, w_hh, b_ih, b_hh = inputs
    w_hr, w_hz, w_hn = w_hh.chunk(3, dim=0)
    b_hr, b_hz, b_hn = b_hh.chunk(3, dim=0)
    hs = []
    for x_t in x:
        x_r, x_z, x_n = (x_t @ w_ih.T + b_ih).chunk(3, dim=-1)
        r = torch.sigmoid(x_r + h @ w_hr.T + b_hr)
        z = torch.sigmoid(x_z + h @ w_hz.T + b_hz)
        # Keras' original GRU: reset applied to h before the matmul, not to (W_hn h + b_hn).
        n = torch.tanh(x_n + (r * h) @ w_hn.T + b_hn)
        h = (1 - z) * n + z * h
        hs.append(h)
    hs = torch.stack(hs)
    grads = torch.autograd.grad(hs, inputs, grad_outputs=g)
    return hs.detach(), hs[-1].detach(), dict(zip(("x", "h0", "w_ih", "w_hh", "b_ih", "b_hh"), grads))
