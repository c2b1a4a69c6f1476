import torch


def layer_norm_backward(x, gamma, dy, eps):
    def forward(x, gamma, beta):
        mean = x.mean(-1, keepdim=True)
        return (x - mean) * torch.rsqrt(((x - mean) ** 2).mean(-1, keepdim=True) + eps) * gamma + beta

    _, vjp = torch.func.vjp(forward, x, gamma, torch.zeros_like(gamma))
    return vjp(dy)
