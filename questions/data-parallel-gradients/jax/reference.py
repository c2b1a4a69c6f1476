from functools import lru_cache, partial

import jax
import jax.numpy as jnp
from jax.sharding import NamedSharding
from jax.sharding import PartitionSpec as P


def _loss_sum(params, x, y, weight):
    logits = jnp.tanh(x @ params["w1"] + params["b1"]) @ params["w2"] + params["b2"]
    nll = -jnp.take_along_axis(jax.nn.log_softmax(logits), y[:, None], axis=1)[:, 0]
    return jnp.sum(weight * nll)  # padding rows have weight 0


@lru_cache
def _sharded_grad(num_devices: int):
    mesh = jax.make_mesh((num_devices,), ("data",))

    @partial(jax.shard_map, mesh=mesh, in_specs=(P(), P("data"), P("data"), P("data")), out_specs=P())
    def per_device(params, x, y, weight):
        # Mark the replicated params as per-device values: otherwise shard_map's autodiff
        # already sums the gradient of a replicated input over the mesh, and the psum below
        # would count it num_devices times.
        params = jax.lax.pcast(params, "data", to="varying")
        # This device's shard: gradient of the SUM of its losses, then a sum over devices.
        return jax.lax.psum(jax.grad(_loss_sum)(params, x, y, weight), "data")

    return mesh, jax.jit(per_device)


def data_parallel_grad(params, x, y, num_devices):
    mesh, grad_sum = _sharded_grad(num_devices)
    n = x.shape[0]
    # Pad the batch to a multiple of the device count; weight 0 keeps padding out of the loss.
    pad = (-n) % num_devices
    x = jnp.pad(x, ((0, pad), (0, 0)))
    y = jnp.pad(y, (0, pad))
    weight = jnp.pad(jnp.ones(n, x.dtype), (0, pad))
    # The inputs arrive on one device: lay the batch out across all of them, params replicated.
    batch = jax.device_put((x, y, weight), NamedSharding(mesh, P("data")))
    params = jax.device_put(params, NamedSharding(mesh, P()))
    return jax.tree.map(lambda g: g / n, grad_sum(params, *batch))
