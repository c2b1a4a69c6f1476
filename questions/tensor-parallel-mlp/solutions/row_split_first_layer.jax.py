from functools import partial

import jax
from jax.sharding import NamedSharding
from jax.sharding import PartitionSpec as P


def tensor_parallel_mlp(x, w1, b1, w2, b2, g, num_devices):
    # Splits the first layer along its input axis (rows of w1, columns of x), as a row-parallel
    # layer, but applies GELU to each device's partial pre-activation before any sum: GELU of a
    # partial sum is not a share of GELU of the total.
    mesh = jax.make_mesh((num_devices,), ("tp",))
    specs = (P(None, "tp"), P("tp", None), P(), P(), P())

    @partial(jax.shard_map, mesh=mesh, in_specs=specs, out_specs=P())
    def forward(x, w1, b1, w2, b2):
        h = jax.nn.gelu(x @ w1 + b1 / num_devices, approximate=True)
        return jax.lax.psum(h, "tp") @ w2 + b2

    @jax.jit
    def forward_backward(args, g):
        y, pullback = jax.vjp(forward, *args)
        return (y, *pullback(g))

    args = tuple(jax.device_put(a, NamedSharding(mesh, s)) for a, s in zip((x, w1, b1, w2, b2), specs))
    return forward_backward(args, jax.device_put(g, NamedSharding(mesh, P())))
