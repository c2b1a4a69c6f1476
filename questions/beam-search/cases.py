"""Inputs for beam search: log_probs float32 (batch, steps, vocab, vocab), where
log_probs[b, t, prev, tok] scores token tok at step t after token prev; bos, eos, beam_size
Python ints; length_bonus a Python float, a multiple of 1/8. Every score is a multiple of 1/8 (1/2 in the
"ties" family), so every sum is exact in float32 and equal totals are exactly equal: the
tie-breaking rules decide, not rounding. Outputs (tokens int32 (batch, steps), padded with -1;
score float32 (batch,))."""

import numpy as np

from workers.grading.casekit import Case


def make_inputs(family: str, size: dict, rng: np.random.Generator) -> Case:
    batch, steps, vocab = (int(size[n]) for n in ("batch", "steps", "vocab"))
    beam_size, bonus = int(size["beam"]), float(size.get("bonus", 0.0))
    eos = int(size.get("eos", 0))
    bos = vocab - 1
    logits = rng.standard_normal((batch, steps, vocab, vocab)) * float(size.get("spread", 1.5))
    # How likely EOS is shapes how often beams finish early: "eos_likely" makes finishing
    # compete with continuing at every step, "eos_rare" lets most beams run to max length.
    logits[..., eos] += {"random": 0.0, "ties": 0.0, "eos_likely": 1.5, "eos_rare": -4.0}[family]
    log_probs = logits - np.log(np.exp(logits).sum(axis=-1, keepdims=True))
    grid = 2.0 if family == "ties" else 8.0  # halves make ties common, eighths rare but possible
    log_probs = np.maximum(np.round(log_probs * grid) / grid, -16.0).astype(np.float32)
    return Case(args=(log_probs, bos, eos, beam_size, bonus))


def gold(log_probs, bos, eos, beam_size, length_bonus):
    """The exact answer in float64, written from the prompt's rules as plainly as possible."""
    batch, steps = log_probs.shape[:2]
    tokens = np.full((batch, steps), -1, dtype=np.int32)
    scores = np.zeros(batch, dtype=np.float32)
    for b in range(batch):
        seq, score = _search(log_probs[b].astype(np.float64), bos, eos, beam_size, length_bonus)
        tokens[b, : len(seq)] = seq
        scores[b] = score
    return tokens, scores


def _search(table, bos, eos, beam_size, bonus):
    vocab = table.shape[-1]
    beams = [((), 0.0)]  # (tokens so far, total log-prob), best first
    finished = []  # (final score, tokens), in the order they finished
    for t in range(table.shape[0]):
        candidates = []
        for rank, (seq, total) in enumerate(beams):
            last = seq[-1] if seq else bos
            candidates += [(total + table[t, last, tok], rank, tok) for tok in range(vocab)]
        candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
        survivors = []
        for total, rank, tok in candidates[:beam_size]:
            seq = (*beams[rank][0], tok)
            if tok == eos:
                finished.append((total + bonus * len(seq), seq))
            else:
                survivors.append((seq, total))
        beams = survivors
        if not beams:
            break
    finished += [(total + bonus * len(seq), seq) for seq, total in beams]
    best = max(score for score, _ in finished)
    return next(seq for score, seq in finished if score == best), best
