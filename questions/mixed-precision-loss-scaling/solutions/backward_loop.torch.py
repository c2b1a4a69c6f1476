import torch
import torch.nn.functional as F


class LossScaler:
    """Dynamic loss scaling by hand: halve on overflow, double after `interval` clean steps."""

    def __init__(self, scale: float, interval: int) -> None:
        self.scale, self.interval, self.clean = scale, interval, 0

    def update(self, overflow: bool) -> None:
        if overflow:
            self.scale, self.clean = self.scale / 2, 0
            return
        self.clean += 1
        if self.clean == self.interval:
            self.scale, self.clean = self.scale * 2, 0


def train_mixed_precision(params, xs, ys, lr, init_scale, growth_interval):
    w32, b32 = params["w"].clone(), params["b"].clone()
    scaler = LossScaler(float(init_scale), growth_interval)
    history, skips = [scaler.scale], []
    for x, y in zip(xs, ys):
        w16 = w32.to(torch.float16).requires_grad_(True)
        b16 = b32.to(torch.float16).requires_grad_(True)
        # F.linear is one fused addmm: the bias is added before the result is rounded.
        out = F.linear(x.to(torch.float16), w16.T, b16)
        loss = (out.to(torch.float32) - y).pow(2).mean()
        (loss * scaler.scale).backward()
        gw = w16.grad.to(torch.float32).mul_(1.0 / scaler.scale)
        gb = b16.grad.to(torch.float32).mul_(1.0 / scaler.scale)
        overflow = not (torch.isfinite(gw).all().item() and torch.isfinite(gb).all().item())
        if not overflow:
            w32.sub_(lr * gw)
            b32.sub_(lr * gb)
        scaler.update(overflow)
        history.append(scaler.scale)
        skips.append(overflow)
    return {"w": w32, "b": b32}, torch.tensor(history, dtype=torch.float32), torch.tensor(skips)
