import torch


def rnn_forward(x, h0, w_ih, w_hh, b):
    # Records the state *before* each step: hs starts with h0 and misses h_T.
    h = h0
    outs = []
    for x_t in x:
        outs.append(h)
        h = torch.tanh(x_t @ w_ih.T + h @ w_hh.T + b)
    return torch.stack(outs), h
