import jax
import jax.numpy as jnp
from jax.sharding import NamedSharding
from jax.sharding import PartitionSpec as P


def zero_adamw_step(
    params: jax.Array,
    grads: jax.Array,
    exp_avg: jax.Array,
    exp_avg_sq: jax.Array,
    step: int,
    lr: float,
    beta1: float,
    beta2: float,
    eps: float,
    weight_decay: float,
    num_devices: int,
) -> tuple[jax.Array, jax.Array, jax.Array]:
    """One ZeRO-sharded AdamW step over num_devices devices (jax.devices()): reduce-scatter the
    gradients (grads[r] is device r's), update each device's shard of params / exp_avg /
    exp_avg_sq, all-gather the parameters. Returns (params, exp_avg, exp_avg_sq), each float32
    (P,). Inputs arrive on device 0."""
    # mesh = jax.make_mesh((num_devices,), ("data",))
    raise NotImplementedError
