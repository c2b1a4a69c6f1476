"""Inputs for kmeans-step: float32 points x (n, d) and centroids (k, d).

`check` grades the output against float64 arithmetic, consistently with the candidate's own
choices:
- assignments: point i may go to centroid j when its float64 squared distance is within
  atol * (S_ij + S_ij*) of the nearest one's (j*), S_ij = |x_i - mu|^2 + |c_j - mu|^2 with mu
  the mean of the points and centroids. That is the rounding any float32 evaluation of the two
  distances can make, so near-ties may go either way; anything farther is wrong.
- centroids: the float64 mean of the points the candidate assigned to each cluster (so a near-
  tie broken the other way is not counted twice), within rtol * |mean| + atol * mean(|x|);
  a cluster with no points keeps its old centroid.
"""

import numpy as np

from workers.grading.casekit import Case


def make_inputs(family: str, size: dict, rng: np.random.Generator) -> Case:
    n, d, k = int(size.get("n", 20)), int(size.get("d", 2)), int(size.get("k", 3))
    # Overlapping blobs, and centroids started at random points (as Lloyd's algorithm is), so
    # many points lie near the boundary between two clusters.
    centres = rng.standard_normal((k, d)) * 1.5
    x = centres[rng.integers(0, k, n)] + rng.standard_normal((n, d))
    centroids = x[rng.choice(n, k, replace=k > n)] + 0.1 * rng.standard_normal((k, d))
    if family == "random":
        pass
    elif family == "offset":  # everything about 1000 away from the origin
        shift = rng.uniform(500, 1500, d) * rng.choice([-1, 1], d)
        x, centroids = x + shift, centroids + shift
    elif family == "empty":  # a third of the centroids 60 away from every point: no point is theirs
        far = rng.random(k) < 0.34
        far[0] = True
        directions = rng.standard_normal((int(far.sum()), d))
        directions /= np.linalg.norm(directions, axis=1, keepdims=True)
        centroids[far] = x.mean(axis=0) + (np.abs(x - x.mean(axis=0)).max() + 60.0) * directions
    elif family == "duplicates":  # some centroids are exact copies of others
        for j in range(1, k, 2):
            centroids[j] = centroids[j - 1]
    elif family == "more_centroids":  # k > n: at least k - n clusters are empty
        pass
    else:
        raise ValueError(f"unknown family {family}")
    x, centroids = x.astype(np.float32), centroids.astype(np.float32)
    return Case(args=(x, centroids))


def _sq_distances(x: np.ndarray, c: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    x64, c64 = x.astype(np.float64), c.astype(np.float64)
    mu = np.concatenate([x64, c64]).mean(axis=0)
    a, b = x64 - mu, c64 - mu
    na, nb = (a * a).sum(1), (b * b).sum(1)
    dist = np.maximum(na[:, None] + nb[None, :] - 2.0 * a @ b.T, 0.0)
    return dist, na[:, None] + nb[None, :]


def check(case: Case, output, expected, tolerance) -> str | None:
    x, centroids = case.args
    n, k = x.shape[0], centroids.shape[0]
    if not isinstance(output, tuple | list) or len(output) != 2:
        return "return a tuple (assignments, new_centroids)"
    assign, new = output
    if not isinstance(assign, np.ndarray) or assign.shape != (n,) or not np.issubdtype(assign.dtype, np.integer):
        return f"assignments must be an int32 array of shape ({n},)"
    if not isinstance(new, np.ndarray) or new.shape != centroids.shape:
        return f"new_centroids must be a float32 array of shape {list(centroids.shape)}"
    if assign.min(initial=0) < 0 or assign.max(initial=0) >= k:
        return f"assignments must be cluster indices in [0, {k})"
    dist, scale = _sq_distances(x, centroids)
    best = dist.argmin(axis=1)
    rows = np.arange(n)
    gap = dist[rows, assign] - dist[rows, best]
    slack = tolerance.atol * (scale[rows, assign] + scale[rows, best])
    wrong = gap > slack
    if wrong.any():
        i = int(np.argmax(np.where(wrong, gap - slack, -np.inf)))
        return (f"point {i} was assigned to centroid {int(assign[i])} (squared distance {dist[i, assign[i]]:.7g}) "
                f"but centroid {int(best[i])} is nearer ({dist[i, best[i]]:.7g})")
    x64 = x.astype(np.float64)
    counts = np.bincount(assign, minlength=k)
    sums = np.stack([np.bincount(assign, weights=x64[:, j], minlength=k) for j in range(x.shape[1])], axis=1)
    mags = np.stack([np.bincount(assign, weights=np.abs(x64[:, j]), minlength=k) for j in range(x.shape[1])], axis=1)
    filled = counts > 0
    gold = np.where(filled[:, None], sums / np.maximum(counts, 1)[:, None], centroids.astype(np.float64))
    magnitude = np.where(filled[:, None], mags / np.maximum(counts, 1)[:, None], np.abs(centroids))
    out = new.astype(np.float64)
    if not np.all(np.isfinite(out)):
        j = int(np.argwhere(~np.isfinite(out))[0][0])
        return f"new_centroids[{j}] is not finite ({'empty' if not filled[j] else 'non-empty'} cluster)"
    err = np.abs(out - gold)
    allowed = tolerance.rtol * np.abs(gold) + tolerance.atol * magnitude
    bad = err > allowed
    if bad.any():
        j, m = np.unravel_index(int(np.argmax(np.where(bad, err - allowed, -np.inf))), gold.shape)
        what = (f"the mean of the {counts[j]} points assigned to it" if filled[j]
                else "its old centroid, since no point was assigned to it")
        return (f"new_centroids[{j}, {m}] = {out[j, m]:.7g}, expected {gold[j, m]:.7g}, {what} "
                f"(error {err[j, m]:.3g} > allowed {allowed[j, m]:.3g})")
    return None
