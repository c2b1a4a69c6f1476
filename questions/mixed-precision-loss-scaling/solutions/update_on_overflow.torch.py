import torch


def train_mixed_precision(params, xs, ys, lr, init_scale, growth_interval):
    # Adjusts the scale on overflow but applies the non-finite update anyway.
    w, b = params["w"].clone(), params["b"].clone()
    scale, good, scales, skipped = float(init_scale), 0, [float(init_scale)], []
    for x, y in zip(xs, ys):
        w16, b16 = w.half().requires_grad_(), b.half().requires_grad_()
        loss = ((x.half() @ w16 + b16).float() - y).square().mean()
        gw, gb = (g.float() / scale for g in torch.autograd.grad(loss * scale, [w16, b16]))
        overflow = not (gw.isfinite().all() and gb.isfinite().all())
        w, b = w - lr * gw, b - lr * gb
        if overflow:
            scale, good = scale / 2, 0
        else:
            good += 1
            if good == growth_interval:
                scale, good = scale * 2, 0
        scales.append(scale)
        skipped.append(bool(overflow))
    return {"w": w, "b": b}, torch.tensor(scales, dtype=torch.float32), torch.tensor(skipped)
