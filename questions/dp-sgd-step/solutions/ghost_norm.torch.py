import torch


def dp_sgd_step(params, x, y, noise, lr, clip_norm, noise_multiplier):
    # Example i's gradient is (outer(x_i, r_i), r_i); its squared norm is
    # ||x_i||^2 ||r_i||^2 + ||r_i||^2, so the per-example gradients never need to exist.
    r = x @ params["w"] + params["b"] - y
    norms = torch.linalg.vector_norm(r, dim=1) * torch.sqrt(1.0 + torch.sum(x * x, dim=1))
    factor = torch.clamp(clip_norm / (norms + 1e-6), max=1.0)
    scaled = factor[:, None] * r
    sums = {"w": x.T @ scaled, "b": scaled.sum(dim=0)}
    batch = x.shape[0]
    noisy = {k: (sums[k] + noise_multiplier * clip_norm * noise[k]) / batch for k in sums}
    return {k: params[k] - lr * noisy[k] for k in params}, noisy
