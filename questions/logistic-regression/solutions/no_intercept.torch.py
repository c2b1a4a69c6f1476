import torch
import torch.nn.functional as F


def train(x, y):
    # Standardises and trains well, but has no intercept: b is always 0 (and the centring
    # is not undone either), so the base rate of the classes is lost.
    mean_x, std_x = x.mean(0), x.std(0)
    xs = (x - mean_x) / std_x
    w = torch.zeros(x.shape[1], 1, requires_grad=True)
    opt = torch.optim.Adam([w], lr=0.1)
    for _ in range(500):
        opt.zero_grad()
        F.binary_cross_entropy_with_logits((xs @ w)[:, 0], y).backward()
        opt.step()
    return (w / std_x.unsqueeze(1)).detach(), torch.zeros(1)
