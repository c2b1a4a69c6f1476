import jax
import jax.numpy as jnp


def sample_top_k_top_p(
    logits: jax.Array, temperature: float, top_k: int, top_p: float, rng: dict
) -> tuple[jax.Array, jax.Array]:
    """Temperature, then top-k, then top-p (nucleus) filtering, then one sample per row.

    logits: float32 (rows, vocab). Returns (probs, tokens): probs float32 (rows, vocab), the
    filtered distribution renormalised (0 for removed tokens); tokens int32 (rows,), one token
    per row drawn from probs with the key jax.random.wrap_key_data(rng["key_data"]).
    """
    raise NotImplementedError
