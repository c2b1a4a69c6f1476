import jax
import jax.numpy as jnp


@jax.jit
def sample_top_k_top_p(logits, temperature, top_k, top_p, rng):
    # Temperature scales the logits before the softmax (dividing probabilities would cancel
    # out in the renormalisation).
    z = logits / temperature
    sorted_z = -jnp.sort(-z, axis=-1)  # descending
    kth = jnp.take(sorted_z, jnp.minimum(top_k, z.shape[-1]) - 1, axis=-1)[:, None]
    in_top_k = sorted_z >= kth  # a prefix of the sorted row; ties at the k-th value stay
    # Top-p sees the top-k distribution renormalised: softmax over the surviving logits.
    probs_sorted = jax.nn.softmax(jnp.where(in_top_k, sorted_z, -jnp.inf), axis=-1)
    mass_before = jnp.cumsum(probs_sorted, axis=-1) - probs_sorted
    # Keep while the mass strictly ahead is below p, so the token that crosses p is kept.
    # p >= 1 keeps the whole top-k set even when rounding lets the running sum reach 1 early.
    in_nucleus = in_top_k & ((mass_before < top_p) | (top_p >= 1.0))
    last = jnp.sum(in_nucleus, axis=-1, keepdims=True) - 1
    # A threshold logit keeps ties together: a token equal to the last one kept has the same
    # mass strictly ahead of it.
    threshold = jnp.take_along_axis(sorted_z, last, axis=-1)
    masked = jnp.where(z >= threshold, z, -jnp.inf)
    probs = jax.nn.softmax(masked, axis=-1)
    # categorical draws independent Gumbel noise for every entry, so each row gets its own
    # sample from the one key.
    key = jax.random.wrap_key_data(rng["key_data"])
    tokens = jax.random.categorical(key, masked, axis=-1)
    return probs, tokens
