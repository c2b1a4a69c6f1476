import torch
import torch.nn as nn
import torch.nn.functional as F

HIDDEN = 64
EPOCHS = 30
BATCH_SIZE = 64
LEARNING_RATE = 3e-3


def _classifier(in_features: int, num_classes: int) -> nn.Module:
    return nn.Sequential(
        nn.BatchNorm1d(in_features),  # normalises the raw units, but only if it runs in train mode
        nn.Linear(in_features, HIDDEN),
        nn.ReLU(),
        nn.Dropout(0.1),
        nn.Linear(HIDDEN, HIDDEN),
        nn.ReLU(),
        nn.Linear(HIDDEN, num_classes),
    )


def train_and_predict(x_train: torch.Tensor, y_train: torch.Tensor, x_test: torch.Tensor, seed: int) -> torch.Tensor:
    torch.manual_seed(seed)
    model = _classifier(x_train.shape[1], int(y_train.max()) + 1)
    optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
    n = x_train.shape[0]
    model.train()  # BatchNorm uses and updates batch statistics; Dropout is on
    for _ in range(EPOCHS):
        order = torch.randperm(n)
        for start in range(0, n, BATCH_SIZE):
            batch = order[start : start + BATCH_SIZE]
            # The same shuffled indices for inputs and labels, or every label is someone else's.
            xb, yb = x_train[batch], y_train[batch]
            optimizer.zero_grad()  # gradients accumulate across backward() calls otherwise
            # The loss must be computed outside no_grad, from logits that carry the graph.
            loss = F.cross_entropy(model(xb), yb)
            loss.backward()
            optimizer.step()
    model.eval()  # running statistics for BatchNorm, no Dropout
    with torch.no_grad():
        return model(x_test).argmax(dim=1)
