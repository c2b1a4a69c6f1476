# A linear classifier (softmax regression): no hidden layer, so no curved boundary.
import torch
import torch.nn.functional as F


def train_and_predict(x_train, y_train, x_test, num_classes):
    mean, std = x_train.mean(0), x_train.std(0)
    xs, xt = (x_train - mean) / std, (x_test - mean) / std
    w = torch.zeros(2, num_classes, requires_grad=True)
    b = torch.zeros(num_classes, requires_grad=True)
    opt = torch.optim.Adam([w, b], lr=0.05)
    for _ in range(300):
        opt.zero_grad()
        F.cross_entropy(xs @ w + b, y_train).backward()
        opt.step()
    return (xt @ w + b).argmax(1)
