import torch


def embedding_bag(weight: torch.Tensor, indices: torch.Tensor, offsets: torch.Tensor, mode: str) -> torch.Tensor:
    num_bags = offsets.shape[0]
    ends = torch.cat([offsets[1:], offsets.new_tensor([indices.shape[0]])])
    lengths = (ends - offsets).long()
    # Bag id of every index (indices are grouped by bag), then one scatter-add of the rows.
    bag_of = torch.repeat_interleave(torch.arange(num_bags), lengths, output_size=indices.shape[0])
    out = torch.zeros(num_bags, weight.shape[1], dtype=weight.dtype)
    out.index_add_(0, bag_of, weight.index_select(0, indices))
    if mode == "mean":
        out /= lengths.clamp(min=1).unsqueeze(1).to(weight.dtype)  # empty bags stay 0
    return out
