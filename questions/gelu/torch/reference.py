import math

import torch

SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)


def gelu(x: torch.Tensor, approximate: bool) -> torch.Tensor:
    if approximate:
        # 0.5 * x * (1 + tanh(u)) == x * sigmoid(2u). The sigmoid form avoids 1 + tanh(u)
        # cancelling in the left tail, and saturates cleanly when x**3 overflows (u = +-inf);
        # building tanh out of exp would give inf / inf = NaN there.
        u = SQRT_2_OVER_PI * (x + 0.044715 * x * x * x)
        return x * torch.sigmoid(2.0 * u)
    # x * Phi(x) with Phi(x) = erfc(-x / sqrt 2) / 2: erfc keeps the left tail accurate where
    # 1 + erf(x / sqrt 2) would subtract nearly equal numbers.
    return 0.5 * x * torch.special.erfc(-x * math.sqrt(0.5))
