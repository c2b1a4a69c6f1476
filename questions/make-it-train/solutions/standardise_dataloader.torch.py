import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset


def train_and_predict(x_train, y_train, x_test, seed):
    # Standardise by hand instead of a BatchNorm layer, and let a seeded DataLoader shuffle
    # inputs and labels together.
    generator = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    mean, std = x_train.mean(0), x_train.std(0)
    x_train, x_test = (x_train - mean) / std, (x_test - mean) / std
    classes = int(y_train.max()) + 1
    model = nn.Sequential(nn.Linear(x_train.shape[1], 96), nn.Tanh(), nn.Linear(96, 96), nn.Tanh(), nn.Linear(96, classes))
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-4)
    loader = DataLoader(TensorDataset(x_train, y_train), batch_size=50, shuffle=True, generator=generator)
    for _ in range(30):
        for xb, yb in loader:
            opt.zero_grad(set_to_none=True)
            nn.functional.cross_entropy(model(xb), yb).backward()
            opt.step()
    with torch.no_grad():
        return model(x_test).argmax(1)
