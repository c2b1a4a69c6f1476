import jax
import jax.numpy as jnp


def beam_search(log_probs, bos, eos, beam_size, length_bonus):
    # A jitted expansion over beam_size fixed slots (dead slots score -inf), so it compiles
    # once; the bookkeeping of finished hypotheses stays in Python. jax.lax.top_k returns the
    # lower index first among equal values, which is the tie-break the question defines.
    batch, steps, vocab = log_probs.shape[:3]
    tokens = [[-1] * steps for _ in range(batch)]
    scores = []
    for b in range(batch):
        slots = [[]] + [None] * (beam_size - 1)
        totals = jnp.full(beam_size, -jnp.inf).at[0].set(0.0)
        last = jnp.full(beam_size, bos, jnp.int32)
        finished = []
        for t in range(steps):
            values, flat = _expand(totals, last, log_probs[b, t])
            new_slots, new_totals, new_last = [], [], []
            for value, index in zip(values.tolist(), flat.tolist(), strict=True):
                rank, tok = divmod(index, vocab)
                if value == float("-inf"):
                    new_slots.append(None), new_totals.append(value), new_last.append(bos)
                    continue
                seq = slots[rank] + [tok]
                if tok == eos:
                    finished.append((value + length_bonus * len(seq), seq))
                    new_slots.append(None), new_totals.append(float("-inf")), new_last.append(bos)
                else:
                    new_slots.append(seq), new_totals.append(value), new_last.append(tok)
            slots, totals, last = new_slots, jnp.array(new_totals), jnp.array(new_last, jnp.int32)
        finished += [(total + length_bonus * steps, seq) for seq, total in zip(slots, totals.tolist()) if seq]
        top = max(score for score, _ in finished)
        seq = next(seq for score, seq in finished if score == top)
        tokens[b][: len(seq)] = seq
        scores.append(top)
    return jnp.array(tokens, jnp.int32), jnp.array(scores, jnp.float32)


@jax.jit
def _expand(totals, last, table):
    return jax.lax.top_k((totals[:, None] + table[last]).reshape(-1), totals.shape[0])
