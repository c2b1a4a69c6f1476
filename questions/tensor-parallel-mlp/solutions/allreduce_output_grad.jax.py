from functools import partial

import jax
from jax.sharding import NamedSharding
from jax.sharding import PartitionSpec as P


def tensor_parallel_mlp(x, w1, b1, w2, b2, g, num_devices):
    # Treats the backward of the output all-reduce as another all-reduce: g, already the same on
    # every device, is summed again, so every gradient through the MLP is num_devices times too
    # large (the conjugate of an all-reduce is the identity; the all-reduce belongs to grad_x).
    mesh = jax.make_mesh((num_devices,), ("tp",))
    col, row, rep = P(None, "tp"), P("tp", None), P()

    @partial(jax.shard_map, mesh=mesh, in_specs=(rep, col, P("tp"), row, rep, rep),
             out_specs=(rep, rep, col, P("tp"), row, rep))
    def step(x, w1, b1, w2, b2, g):
        x = jax.lax.pcast(x, "tp", to="varying")
        pre = x @ w1 + b1
        h = jax.nn.gelu(pre, approximate=True)
        y = jax.lax.psum(h @ w2, "tp") + b2
        g_partial = jax.lax.psum(jax.lax.pcast(g, "tp", to="varying"), "tp")
        d_pre = jax.vjp(lambda z: jax.nn.gelu(z, approximate=True), pre)[1](g_partial @ w2.T)[0]
        grad_x = jax.lax.psum(d_pre @ w1.T, "tp")
        return y, grad_x, x.T @ d_pre, d_pre.sum(0), h.T @ g_partial, g.sum(0)

    args = [jax.device_put(a, NamedSharding(mesh, s))
            for a, s in zip((x, w1, b1, w2, b2, g), (rep, col, P("tp"), row, rep, rep))]
    return jax.jit(step)(*args)
