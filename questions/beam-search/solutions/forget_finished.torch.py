import torch


def beam_search(log_probs, bos, eos, beam_size, length_bonus):
    # The list of finished hypotheses is reset at every step: a hypothesis that ended early is
    # forgotten, so only those that end at the last step the search runs (or survive to max
    # length) compete.
    batch, steps, vocab = log_probs.shape[:3]
    tokens = torch.full((batch, steps), -1, dtype=torch.int32)
    scores = torch.zeros(batch, dtype=torch.float32)
    for b in range(batch):
        seqs, totals = [[]], torch.zeros(1)
        for t in range(steps):
            finished = []
            last = torch.tensor([s[-1] if s else bos for s in seqs])
            cand = (totals[:, None] + log_probs[b, t, last]).flatten()
            keep_seqs, keep_totals = [], []
            for i in torch.sort(cand, descending=True, stable=True).indices[:beam_size].tolist():
                seq = seqs[i // vocab] + [i % vocab]
                if i % vocab == eos:
                    finished.append((cand[i].item() + length_bonus * len(seq), seq))
                else:
                    keep_seqs.append(seq)
                    keep_totals.append(cand[i].item())
            if not keep_seqs:
                break
            seqs, totals = keep_seqs, torch.tensor(keep_totals)
        else:
            finished += [(tot + length_bonus * steps, s) for s, tot in zip(seqs, totals.tolist())]
        best = max(score for score, _ in finished)
        seq = next(s for score, s in finished if score == best)
        tokens[b, : len(seq)] = torch.tensor(seq)
        scores[b] = best
    return tokens, scores
