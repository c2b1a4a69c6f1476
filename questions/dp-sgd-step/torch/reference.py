import torch

EPS = 1e-6  # the clip factor is min(1, C / (norm + EPS))


def dp_sgd_step(params, x, y, noise, lr, clip_norm, noise_multiplier):
    # Example i's loss 0.5 ||x_i w + b - y_i||^2 has gradient (outer(x_i, r_i), r_i) with
    # r_i = x_i w + b - y_i: written out, since torch.func's first call imports a compiler stack
    # that can take seconds.
    r = x @ params["w"] + params["b"] - y
    grads = {"w": torch.einsum("bi,bj->bij", x, r), "b": r}
    batch = x.shape[0]
    # The norm of each example's whole gradient, all parameters together.
    norms = torch.sqrt(sum(g.reshape(batch, -1).square().sum(dim=1) for g in grads.values()))
    factor = torch.clamp(clip_norm / (norms + EPS), max=1.0)  # never divides by a zero norm
    noisy = {}
    for name, g in grads.items():
        clipped_sum = torch.tensordot(factor, g, dims=1)
        # Noise on the clipped sum, with std sigma * C (the sensitivity), then the average.
        noisy[name] = (clipped_sum + noise_multiplier * clip_norm * noise[name]) / batch
    new_params = {name: params[name] - lr * noisy[name] for name in params}
    return new_params, noisy
