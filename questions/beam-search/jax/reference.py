from functools import partial

import jax
import jax.numpy as jnp


@partial(jax.jit, static_argnums=(1, 2, 3, 4))
def beam_search(
    log_probs: jax.Array, bos: int, eos: int, beam_size: int, length_bonus: float
) -> tuple[jax.Array, jax.Array]:
    steps = log_probs.shape[1]
    # The bonus for lengths 1..steps: multiples of 1/8, exact in float32 like every total.
    bonuses = jnp.arange(1, steps + 1, dtype=log_probs.dtype) * length_bonus
    search = partial(_search, bos=bos, eos=eos, beam_size=beam_size, bonuses=bonuses)
    return jax.vmap(search)(log_probs)


def _search(table: jax.Array, bos: int, eos: int, beam_size: int, bonuses: jax.Array) -> tuple[jax.Array, jax.Array]:
    """Static shapes throughout: beam_size slots, some dead (total -inf) once beams finish, and
    a buffer with room for every hypothesis that can finish (beam_size per step, plus the
    survivors at max length), filled in the order they finish."""
    steps, vocab = table.shape[0], table.shape[-1]
    room = beam_size * (steps + 1)
    beams = jnp.full((beam_size, steps), -1, jnp.int32)
    totals = jnp.full(beam_size, -jnp.inf, table.dtype).at[0].set(0.0)  # one live beam at first
    last = jnp.full(beam_size, bos, jnp.int32)
    done_tokens = jnp.full((room, steps), -1, jnp.int32)
    done_scores = jnp.full(room, -jnp.inf, table.dtype)

    def step(t, state):
        beams, totals, last, done_tokens, done_scores, count = state
        # Flat index slot * vocab + token: top_k returns the lower index first among equal values,
        # so equal totals come in order of the parent's slot (slots keep rank order), then token.
        candidates = (totals[:, None] + table[t][last]).reshape(-1)
        chosen, order = jax.lax.top_k(candidates, beam_size)
        token = (order % vocab).astype(jnp.int32)
        beams = beams[order // vocab].at[:, t].set(token)
        live = jnp.isfinite(chosen)  # a dead parent's candidates are -inf
        ended = live & (token == eos)
        at = jnp.where(ended, count + jnp.cumsum(ended) - 1, room)  # room: dropped
        done_tokens = done_tokens.at[at].set(beams, mode="drop")
        done_scores = done_scores.at[at].set(chosen + bonuses[t], mode="drop")
        totals = jnp.where(live & ~ended, chosen, -jnp.inf)
        return beams, totals, token, done_tokens, done_scores, count + ended.sum()

    init = (beams, totals, last, done_tokens, done_scores, jnp.int32(0))
    beams, totals, _, done_tokens, done_scores, count = jax.lax.fori_loop(0, steps, step, init)
    # Beams still live at max length finish as they are, in rank order.
    live = jnp.isfinite(totals)
    at = jnp.where(live, count + jnp.cumsum(live) - 1, room)
    done_tokens = done_tokens.at[at].set(beams, mode="drop")
    done_scores = done_scores.at[at].set(totals + bonuses[steps - 1], mode="drop")
    best = jnp.argmax(done_scores)  # the first of equal scores: the first to finish
    return done_tokens[best], done_scores[best]
