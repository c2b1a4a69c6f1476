import torch.nn.functional as F


def embedding_bag(weight, indices, offsets, mode):
    return F.embedding_bag(indices.long(), weight, offsets.long(), mode=mode)
