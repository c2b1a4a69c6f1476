import torch


def beam_search(
    log_probs: torch.Tensor, bos: int, eos: int, beam_size: int, length_bonus: float
) -> tuple[torch.Tensor, torch.Tensor]:
    batch, steps = log_probs.shape[:2]
    tokens = torch.full((batch, steps), -1, dtype=torch.int32)
    scores = torch.empty(batch, dtype=torch.float32)
    for b in range(batch):
        seq, scores[b] = _search(log_probs[b], bos, eos, beam_size, length_bonus)
        tokens[b, : len(seq)] = torch.tensor(seq, dtype=torch.int32)
    return tokens, scores


def _search(table: torch.Tensor, bos: int, eos: int, beam_size: int, bonus: float) -> tuple[list[int], float]:
    vocab = table.shape[-1]
    seqs: list[list[int]] = [[]]  # the live beams, best first
    totals = torch.zeros(1, dtype=table.dtype)
    last = torch.tensor([bos])
    finished: list[tuple[float, list[int]]] = []  # (final score, tokens) in the order they finished
    for t in range(table.shape[0]):
        # Candidate rank * vocab + token: a stable descending sort puts equal totals in order of
        # the parent's rank, then of the token id. torch.topk promises no order among ties.
        candidates = (totals[:, None] + table[t, last]).reshape(-1)
        order = torch.sort(candidates, descending=True, stable=True).indices[:beam_size].tolist()
        next_seqs, next_totals = [], []
        for flat in order:
            rank, token = divmod(flat, vocab)
            seq = [*seqs[rank], token]
            if token == eos:  # finished: it leaves the beam, which shrinks for the next step
                finished.append((candidates[flat].item() + bonus * len(seq), seq))
            else:
                next_seqs.append(seq)
                next_totals.append(candidates[flat])
        if not next_seqs:
            break
        seqs, totals = next_seqs, torch.stack(next_totals)
        last = torch.tensor([seq[-1] for seq in seqs])
    else:  # max length reached: the live beams finish as they are, in rank order
        finished += [(total + bonus * len(seq), seq) for seq, total in zip(seqs, totals.tolist(), strict=True)]
    best = max(score for score, _ in finished)
    return next(seq for score, seq in finished if score == best), best  # ties: the first to finish
