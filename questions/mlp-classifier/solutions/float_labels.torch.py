import torch
from torch import nn


def train_and_predict(x_train, y_train, x_test, num_classes):
    # A good classifier whose predictions come back as float32 class numbers (argmax cast to
    # float, as one might before averaging them): the question asks for integer labels.
    torch.manual_seed(0)
    mean, std = x_train.mean(0), x_train.std(0)
    xs, xt = (x_train - mean) / std, (x_test - mean) / std
    model = nn.Sequential(nn.Linear(2, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(),
                          nn.Linear(64, num_classes))
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    loss_fn = nn.CrossEntropyLoss()
    for epoch in range(60):
        for idx in torch.randperm(len(xs)).split(128):
            opt.zero_grad()
            loss_fn(model(xs[idx]), y_train[idx]).backward()
            opt.step()
    with torch.no_grad():
        return model(xt).argmax(1).float()
