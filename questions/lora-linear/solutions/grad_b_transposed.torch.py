def lora_linear(x, W, b, A, B, alpha, g):
    scaling = alpha / A.shape[0]
    h = x @ A.T
    y = x @ W.T + b + scaling * h @ B.T
    delta = scaling * B @ A
    merged = W + delta
    # h^T g is (r, out): the transpose of B's shape (out, r).
    return y, merged, merged - delta, scaling * (g @ B).T @ x, scaling * h.T @ g
