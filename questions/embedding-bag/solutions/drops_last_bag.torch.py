import torch


def embedding_bag(weight, indices, offsets, mode):
    # Treats offsets[b+1] as the end of bag b but gives the last bag nothing.
    out = torch.zeros(offsets.numel(), weight.shape[1])
    for b in range(offsets.numel() - 1):
        rows = weight[indices[offsets[b] : offsets[b + 1]].long()]
        if rows.shape[0]:
            out[b] = rows.sum(0) if mode == "sum" else rows.mean(0)
    return out
