import torch


def gru_bptt(x, h0, w_ih, w_hh, b_ih, b_hh, g):
    gates_x = x @ w_ih.T + b_ih
    h, hs, saved = h0, [], []
    for gx in gates_x:
        x_r, x_z, x_n = gx.chunk(3, dim=-1)
        h_r, h_z, h_n = (h @ w_hh.T + b_hh).chunk(3, dim=-1)
        r, z = torch.sigmoid(x_r + h_r), torch.sigmoid(x_z + h_z)
        n = torch.tanh(x_n + r * h_n)
        saved.append((h, r, z, n, h_n))
        h = (1 - z) * n + z * h
        hs.append(h)
    grads = {"x": torch.empty_like(x), "w_ih": torch.zeros_like(w_ih), "w_hh": torch.zeros_like(w_hh),
             "b_ih": torch.zeros_like(b_ih), "b_hh": torch.zeros_like(b_hh)}
    dh = torch.zeros_like(h0)
    for t in reversed(range(x.shape[0])):
        h_prev, r, z, n, h_n = saved[t]
        dh = dh + g[t]  # from this step's output and from the step after it
        dn = dh * (1 - z) * (1 - n * n)  # through h' = (1 - z) n + z h and n = tanh(.)
        dr = dn * h_n * r * (1 - r)
        dz = dh * (h_prev - n) * z * (1 - z)
        d_in = torch.cat([dr, dz, dn], dim=-1)  # d(x W_ih^T + b_ih)
        d_hh = torch.cat([dr, dz, dn * r], dim=-1)  # d(h W_hh^T + b_hh): r scales the n rows
        grads["x"][t] = d_in @ w_ih
        grads["w_ih"] += d_in.T @ x[t]
        grads["b_ih"] += d_in.sum(dim=0)
        grads["w_hh"] += d_hh.T @ h_prev
        grads["b_hh"] += d_hh.sum(dim=0)
        dh = dh * z + d_hh @ w_hh  # to the previous state: directly and through the matmul
    grads["h0"] = dh
    hs = torch.stack(hs)
    return hs, hs[-1], grads
