import torch

GRAD_KEYS = ("x", "h0", "w_ih", "w_hh", "b_ih", "b_hh")


def _gru_sequence(x, h0, w_ih, w_hh, b_ih, b_hh):
    # The input projections do not depend on h: one matmul for every step at once.
    gates_x = torch.nn.functional.linear(x, w_ih, b_ih)  # (T, B, 3H), rows r, z, n
    h, hs = h0, []
    for gx in gates_x:
        x_r, x_z, x_n = gx.chunk(3, dim=-1)
        h_r, h_z, h_n = torch.nn.functional.linear(h, w_hh, b_hh).chunk(3, dim=-1)
        r = torch.sigmoid(x_r + h_r)
        z = torch.sigmoid(x_z + h_z)
        n = torch.tanh(x_n + r * h_n)  # PyTorch: the reset gate scales (W_hn h + b_hn)
        h = torch.lerp(n, h, z)  # (1 - z) * n + z * h: z keeps the old state
        hs.append(h)  # no detach: gradients flow through every step
    return torch.stack(hs)


def gru_bptt(x, h0, w_ih, w_hh, b_ih, b_hh, g):
    inputs = [t.detach().requires_grad_(True) for t in (x, h0, w_ih, w_hh, b_ih, b_hh)]
    hs = _gru_sequence(*inputs)
    # Backpropagation through time is reverse-mode autodiff over the unrolled loop:
    # L = sum(g * hs), so dL/dhs = g.
    grads = torch.autograd.grad(hs, inputs, grad_outputs=g)
    hs = hs.detach()
    return hs, hs[-1], dict(zip(GRAD_KEYS, grads, strict=True))
