import torch


def rnn_forward(x, h0, w_ih, w_hh, b):
    steps, batch, _ = x.shape
    hidden = w_hh.shape[0]
    # The input projection does not depend on h: do it for all steps in one matmul, leaving
    # only the (B, H) x (H, H) product inside the sequential loop.
    xw = torch.addmm(b, x.reshape(steps * batch, -1), w_ih.T).reshape(steps, batch, hidden)
    hs = torch.empty(steps, batch, hidden, dtype=x.dtype)
    w_hh_t = w_hh.T
    h = h0
    for t in range(steps):
        h = torch.tanh(torch.addmm(xw[t], h, w_hh_t))
        hs[t] = h
    return hs, h
