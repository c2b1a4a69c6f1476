import jax


def adamw(
    params: dict[str, jax.Array],
    grads: dict[str, jax.Array],
    exp_avg: dict[str, jax.Array],
    exp_avg_sq: dict[str, jax.Array],
    step: int,
    lr: float,
    beta1: float,
    beta2: float,
    eps: float,
    weight_decay: float,
) -> tuple[dict[str, jax.Array], dict[str, jax.Array], dict[str, jax.Array]]:
    """Apply grads[name][0], grads[name][1], ... as consecutive AdamW steps.

    `step` is the number of steps already taken. Return (new_params, new_exp_avg, new_exp_avg_sq).
    """
    raise NotImplementedError
