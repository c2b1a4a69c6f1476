import jax
import jax.numpy as jnp


def beam_search(
    log_probs: jax.Array, bos: int, eos: int, beam_size: int, length_bonus: float
) -> tuple[jax.Array, jax.Array]:
    """Beam search over a table of next-token log-probabilities.

    log_probs: float32 (batch, steps, vocab, vocab); log_probs[b, t, prev, tok] scores token tok
    at step t after token prev (prev = bos at step 0). Keep the beam_size best candidates by
    total log-prob at each step (ties: lower parent rank, then lower token id); a candidate
    ending in eos finishes and leaves the beam. A finished hypothesis scores its total plus
    length_bonus * its length (eos included); beams alive after `steps` tokens finish as they
    are. Returns (tokens int32 (batch, steps), the best hypothesis padded with -1; score float32
    (batch,)); among equal scores the hypothesis that finished first wins.
    """
    raise NotImplementedError
