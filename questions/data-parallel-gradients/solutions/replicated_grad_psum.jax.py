from functools import partial

import jax
import jax.numpy as jnp
from jax.sharding import NamedSharding
from jax.sharding import PartitionSpec as P


def loss_sum(params, x, y, w):
    logits = jnp.tanh(x @ params["w1"] + params["b1"]) @ params["w2"] + params["b2"]
    return jnp.sum(w * -jnp.take_along_axis(jax.nn.log_softmax(logits), y[:, None], 1)[:, 0])


def data_parallel_grad(params, x, y, num_devices):
    # psum of the gradient w.r.t. *replicated* params inside shard_map: shard_map's autodiff
    # has already summed that gradient over the mesh, so this counts it num_devices times.
    mesh = jax.make_mesh((num_devices,), ("data",))
    n = x.shape[0]
    pad = (-n) % num_devices
    xs = jax.device_put(jnp.pad(x, ((0, pad), (0, 0))), NamedSharding(mesh, P("data")))
    ys = jax.device_put(jnp.pad(y, (0, pad)), NamedSharding(mesh, P("data")))
    ws = jax.device_put(jnp.pad(jnp.ones(n), (0, pad)), NamedSharding(mesh, P("data")))

    params = jax.device_put(params, NamedSharding(mesh, P()))

    @partial(jax.shard_map, mesh=mesh, in_specs=(P(), P("data"), P("data"), P("data")), out_specs=P())
    def body(params, x, y, w):
        return jax.lax.psum(jax.grad(loss_sum)(params, x, y, w), "data")

    return jax.tree.map(lambda g: g / n, jax.jit(body)(params, xs, ys, ws))
