# Computes the loss as y*log(sigmoid(z)) + (1-y)*log(1-sigmoid(z)): sigmoid rounds to 1 for z > 17,
# log(0) = -inf, 0 * -inf = NaN, and training blows up on confident predictions.
import torch


def train(x, y):
    n, d = x.shape
    mean_x, std_x = x.mean(0), x.std(0)
    xs = (x - mean_x) / std_x
    w = torch.zeros(d, 1, requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    opt = torch.optim.Adam([w, b], lr=0.1)
    for _ in range(500):
        opt.zero_grad()
        p = torch.sigmoid((xs @ w + b)[:, 0])
        loss = -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()
        loss.backward()
        opt.step()
    with torch.no_grad():
        w_raw = w / std_x.unsqueeze(1)
        return w_raw, b - mean_x @ w_raw
