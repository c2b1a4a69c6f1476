import torch


def beam_search(log_probs, bos, eos, beam_size, length_bonus):
    # Plain Python over the table's values: sorted() with an explicit key is stable and states
    # the tie-breaking order outright.
    batch, steps = log_probs.shape[:2]
    tokens = torch.full((batch, steps), -1, dtype=torch.int32)
    scores = torch.zeros(batch, dtype=torch.float32)
    for b, table in enumerate(log_probs.tolist()):
        best_seq, scores[b] = _best(table, bos, eos, beam_size, length_bonus)
        tokens[b, : len(best_seq)] = torch.tensor(best_seq)
    return tokens, scores


def _best(table, bos, eos, beam_size, bonus):
    beams = [([], 0.0)]
    done = []
    for step_table in table:
        cands = [
            (total + step_table[seq[-1] if seq else bos][tok], rank, tok)
            for rank, (seq, total) in enumerate(beams)
            for tok in range(len(step_table))
        ]
        cands.sort(key=lambda c: (-c[0], c[1], c[2]))
        parents, beams = beams, []
        for total, rank, tok in cands[:beam_size]:
            seq = parents[rank][0] + [tok]
            if tok == eos:
                done.append((total + bonus * len(seq), seq))
            else:
                beams.append((seq, total))
        if not beams:
            break
    done += [(total + bonus * len(seq), seq) for seq, total in beams]
    top = max(score for score, _ in done)
    return next(seq for score, seq in done if score == top), top
