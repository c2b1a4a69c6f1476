import jax


@jax.jit
def lora_linear(x, W, b, A, B, alpha, g):
    scaling = alpha / A.shape[0]
    h = x @ A.T
    y = x @ W.T + b + scaling * h @ B.T
    # A^T B^T is (in, out), the transpose of what W needs; reshape (where .T was meant) gives
    # the right shape for any in and out but scrambles which input feeds which output.
    delta = (scaling * A.T @ B.T).reshape(W.shape)
    merged = W + delta
    return y, merged, merged - delta, scaling * (g @ B).T @ x, scaling * g.T @ h
