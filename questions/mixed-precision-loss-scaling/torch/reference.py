import torch


def train_mixed_precision(
    params: dict[str, torch.Tensor],
    xs: torch.Tensor,
    ys: torch.Tensor,
    lr: float,
    init_scale: float,
    growth_interval: int,
) -> tuple[dict[str, torch.Tensor], torch.Tensor, torch.Tensor]:
    # The float32 master weights are the only state that persists; float16 copies are made
    # fresh for every step, so rounding never accumulates in the weights themselves.
    master = {name: p.detach().clone() for name, p in params.items()}
    scale, good_steps = float(init_scale), 0
    scales, skipped = [scale], []
    for x, y in zip(xs, ys, strict=True):
        half = {name: p.half().requires_grad_() for name, p in master.items()}
        pred = x.half() @ half["w"] + half["b"]
        loss = torch.mean((pred.float() - y) ** 2)  # the loss itself in float32, as autocast does
        # Scaling the loss scales every gradient of the float16 backward pass, lifting small
        # ones out of float16's underflow range; large ones may overflow instead.
        scaled_grads = torch.autograd.grad(loss * scale, list(half.values()))
        grads = [g.float() / scale for g in scaled_grads]
        overflow = not all(bool(torch.isfinite(g).all()) for g in grads)
        if overflow:
            scale *= 0.5  # skip the step: the master weights stay exactly as they are
            good_steps = 0
        else:
            with torch.no_grad():
                for p, g in zip(master.values(), grads, strict=True):
                    p -= lr * g
            good_steps += 1
            if good_steps == growth_interval:
                scale *= 2.0
                good_steps = 0
        scales.append(scale)
        skipped.append(overflow)
    return master, torch.tensor(scales, dtype=torch.float32), torch.tensor(skipped, dtype=torch.bool)
