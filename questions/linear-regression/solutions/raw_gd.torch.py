import torch


def train(x, y):
    # Gradient descent on the raw features with one fixed learning rate.
    n, d = x.shape
    w = torch.zeros(d, 1, requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([w, b], lr=0.01)
    for _ in range(2000):
        opt.zero_grad()
        loss = ((x @ w + b - y) ** 2).mean()
        loss.backward()
        opt.step()
    return w.detach(), b.detach()
