import datetime
import os
import threading

import torch
import torch.distributed as dist

_GROUPS: dict[int, list] = {}


def gloo_groups(world: int) -> list:
    """One gloo process group per simulated device (rank), over loopback; created once.

    groups[r].allreduce([tensor]).wait() sums `tensor` in place across all ranks; every rank
    must call it (from its own thread), or the others wait.
    """
    if world not in _GROUPS:
        os.environ.setdefault("GLOO_SOCKET_IFNAME", "lo")
        store = dist.HashStore()
        groups: list = [None] * world

        def join(rank: int) -> None:
            groups[rank] = dist.ProcessGroupGloo(store, rank, world, datetime.timedelta(seconds=30))

        threads = [threading.Thread(target=join, args=(r,)) for r in range(world)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        _GROUPS[world] = groups
    return _GROUPS[world]


def tensor_parallel_mlp(
    x: torch.Tensor,
    w1: torch.Tensor,
    b1: torch.Tensor,
    w2: torch.Tensor,
    b2: torch.Tensor,
    g: torch.Tensor,
    num_devices: int,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """y = gelu_tanh(x @ w1 + b1) @ w2 + b2 split Megatron-style over num_devices ranks (threads):
    w1 by columns, b1 alike, w2 by rows. Returns (y, grad_x, grad_w1, grad_b1, grad_w2, grad_b2)
    for L = sum(y * g), every array full-sized."""
    # groups = gloo_groups(num_devices)
    raise NotImplementedError
