import torch
import torch.nn.functional as F
from torch import nn


def train_and_predict(x_train, y_train, x_test, seed):
    # Fixed: the loss keeps its graph, labels follow the shuffle, the model trains in train
    # mode. Left: optimizer.zero_grad() is never called, so every backward() adds to the sum of
    # all earlier gradients and each step follows that stale sum.
    torch.manual_seed(seed)
    model = nn.Sequential(nn.BatchNorm1d(x_train.shape[1]), nn.Linear(x_train.shape[1], 64), nn.ReLU(),
                          nn.Dropout(0.1), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, int(y_train.max()) + 1))
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
    model.train()
    for _ in range(30):
        for idx in torch.randperm(len(x_train)).split(64):
            F.cross_entropy(model(x_train[idx]), y_train[idx]).backward()
            optimizer.step()
    model.eval()
    with torch.no_grad():
        return model(x_test).argmax(1)
