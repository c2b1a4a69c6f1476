def lora_linear(x, W, b, A, B, alpha, g):
    scaling = alpha  # should be alpha / r
    h = x @ A.T
    y = x @ W.T + b + scaling * h @ B.T
    delta = scaling * B @ A
    merged = W + delta
    return y, merged, merged - delta, scaling * (g @ B).T @ x, scaling * g.T @ h
