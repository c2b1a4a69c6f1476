import jax


def sgd_momentum(
    params: dict[str, jax.Array],
    grads: dict[str, jax.Array],
    momentum_buffer: dict[str, jax.Array],
    lr: float,
    momentum: float,
    weight_decay: float,
    nesterov: bool,
) -> tuple[dict[str, jax.Array], dict[str, jax.Array]]:
    """Apply grads[name][0], grads[name][1], ... as consecutive SGD-with-momentum steps.

    Return (new_params, new_momentum_buffer), dicts with the same keys and shapes as the inputs.
    """
    raise NotImplementedError
