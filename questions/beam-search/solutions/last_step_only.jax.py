import jax.numpy as jnp


def beam_search(log_probs, bos, eos, beam_size, length_bonus):
    # Ranks the candidates by this step's log-prob alone instead of the running total: the
    # beam keeps the locally likeliest continuations, not the likeliest sequences. The totals
    # are still summed for the final comparison.
    batch, steps, vocab = log_probs.shape[:3]
    table = log_probs.tolist()
    tokens, scores = [], []
    for b in range(batch):
        beams, done = [([], 0.0)], []
        for t in range(steps):
            cands = sorted(
                ((table[b][t][s[-1] if s else bos][tok], r, tok) for r, (s, _) in enumerate(beams) for tok in range(vocab)),
                key=lambda c: (-c[0], c[1], c[2]),
            )[:beam_size]
            parents, beams = beams, []
            for step_score, r, tok in cands:
                seq, total = parents[r][0] + [tok], parents[r][1] + step_score
                (done.append((total + length_bonus * len(seq), seq)) if tok == eos else beams.append((seq, total)))
            if not beams:
                break
        done += [(total + length_bonus * len(s), s) for s, total in beams]
        best = max(x for x, _ in done)
        seq = next(s for x, s in done if x == best)
        tokens.append(seq + [-1] * (steps - len(seq)))
        scores.append(best)
    return jnp.array(tokens, jnp.int32), jnp.array(scores, jnp.float32)
