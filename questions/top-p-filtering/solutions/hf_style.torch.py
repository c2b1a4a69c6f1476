import torch


def top_p_filter(logits, p):
    # The popular recipe: sort, cumulative probabilities, shift right by one, scatter back.
    # It keeps exactly the first tokens in sort order and so splits runs of equal logits.
    sorted_logits, order = torch.sort(logits, dim=-1, descending=True)
    cumulative = torch.cumsum(torch.softmax(sorted_logits, dim=-1), dim=-1)
    remove = cumulative > p
    remove[..., 1:] = remove[..., :-1].clone()
    remove[..., 0] = False
    remove = remove.scatter(-1, order, remove)
    return logits.masked_fill(remove, float("-inf"))
