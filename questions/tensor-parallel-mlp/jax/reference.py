from functools import lru_cache, partial

import jax
from jax.sharding import NamedSharding
from jax.sharding import PartitionSpec as P

COLUMNS, ROWS, REPLICATED = P(None, "model"), P("model", None), P()


def _local_partial(x, w1, b1, w2):
    """One device's share of y: its hidden units, then its rows of w2 (a partial sum of y)."""
    return jax.nn.gelu(x @ w1 + b1, approximate=True) @ w2


@lru_cache
def _sharded_mlp(num_devices: int):
    mesh = jax.make_mesh((num_devices,), ("model",))
    in_specs = (REPLICATED, COLUMNS, P("model"), ROWS, REPLICATED, REPLICATED)
    out_specs = (REPLICATED, REPLICATED, COLUMNS, P("model"), ROWS, REPLICATED)

    @partial(jax.shard_map, mesh=mesh, in_specs=in_specs, out_specs=out_specs)
    def per_device(x, w1, b1, w2, b2, g):
        # x and g are the same on every device; mark them per-device so the vjp below is this
        # device's alone and the collectives are written out, not inserted by autodiff.
        partial_y, pullback = jax.vjp(_local_partial, jax.lax.pcast(x, "model", to="varying"), w1, b1, w2)
        y = jax.lax.psum(partial_y, "model") + b2  # all-reduce, then the bias once
        # The all-reduce's backward is the identity: g goes through every device's shard.
        grad_x, grad_w1, grad_b1, grad_w2 = pullback(jax.lax.pcast(g, "model", to="varying"))
        # x fed every shard: its gradient is the sum of their contributions.
        grad_x = jax.lax.psum(grad_x, "model")
        return y, grad_x, grad_w1, grad_b1, grad_w2, g.sum(axis=0)

    specs = dict(zip(("x", "w1", "b1", "w2", "b2", "g"), in_specs, strict=True))
    return mesh, specs, jax.jit(per_device)


def tensor_parallel_mlp(x, w1, b1, w2, b2, g, num_devices):
    mesh, specs, mlp = _sharded_mlp(num_devices)
    # The inputs arrive on one device: split the weights over the mesh, replicate x and g.
    args = [
        jax.device_put(a, NamedSharding(mesh, s)) for a, s in zip((x, w1, b1, w2, b2, g), specs.values(), strict=True)
    ]
    return mlp(*args)
