import jax
import jax.numpy as jnp
from jax.sharding import NamedSharding
from jax.sharding import PartitionSpec as P


def tensor_parallel_mlp(
    x: jax.Array,
    w1: jax.Array,
    b1: jax.Array,
    w2: jax.Array,
    b2: jax.Array,
    g: jax.Array,
    num_devices: int,
) -> tuple[jax.Array, jax.Array, jax.Array, jax.Array, jax.Array, jax.Array]:
    """y = gelu_tanh(x @ w1 + b1) @ w2 + b2 split Megatron-style over num_devices devices
    (jax.devices()): w1 by columns, b1 alike, w2 by rows. Returns (y, grad_x, grad_w1, grad_b1,
    grad_w2, grad_b2) for L = sum(y * g), every array full-sized. Inputs arrive on device 0."""
    # mesh = jax.make_mesh((num_devices,), ("model",))
    raise NotImplementedError
