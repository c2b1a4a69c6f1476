import torch


def embedding_bag(weight, indices, offsets, mode):
    ends = torch.cat([offsets[1:], offsets.new_tensor([indices.numel()])])
    lengths = (ends - offsets).long()
    rows = weight[indices.long()]
    out = torch.segment_reduce(rows, "sum", lengths=lengths, unsafe=True)
    if mode == "mean":
        out = out / lengths.clamp(min=1).unsqueeze(1)
    return out
