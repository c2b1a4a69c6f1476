from functools import partial

import jax
from jax.sharding import NamedSharding
from jax.sharding import PartitionSpec as P


def tensor_parallel_mlp(x, w1, b1, w2, b2, g, num_devices):
    # Only the forward pass is written per device; jax.vjp of the sharded function derives the
    # backward, including the psum of x's gradient (the transpose of using a replicated x on
    # every device).
    mesh = jax.make_mesh((num_devices,), ("tp",))
    specs = (P(), P(None, "tp"), P("tp"), P("tp", None), P())

    @partial(jax.shard_map, mesh=mesh, in_specs=specs, out_specs=P())
    def forward(x, w1, b1, w2, b2):
        return jax.lax.psum(jax.nn.gelu(x @ w1 + b1, approximate=True) @ w2, "tp") + b2

    @jax.jit
    def forward_backward(args, g):
        y, pullback = jax.vjp(forward, *args)
        return (y, *pullback(g))

    args = tuple(jax.device_put(a, NamedSharding(mesh, s)) for a, s in zip((x, w1, b1, w2, b2), specs))
    return forward_backward(args, jax.device_put(g, NamedSharding(mesh, P())))
