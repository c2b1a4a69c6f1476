import datetime
import os
import threading

import torch
import torch.distributed as dist

_GROUPS: dict[int, list] = {}


def gloo_groups(world: int) -> list:
    """One gloo process group per simulated device (rank), over loopback; created once.

    groups[r].reduce_scatter([out], [chunks]).wait() sums chunk r of every rank's `chunks` into
    rank r's `out`; groups[r].allgather([outs], [tensor]).wait() fills `outs` with every rank's
    `tensor`. Every rank must call each collective (from its own thread), or the others wait.
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


@torch.no_grad()
def zero_adamw_step(
    params: torch.Tensor,
    grads: torch.Tensor,
    exp_avg: torch.Tensor,
    exp_avg_sq: torch.Tensor,
    step: int,
    lr: float,
    beta1: float,
    beta2: float,
    eps: float,
    weight_decay: float,
    num_devices: int,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """One ZeRO-sharded AdamW step over num_devices ranks (threads): reduce-scatter the
    gradients (grads[r] is rank r's), update each rank's shard of params / exp_avg / exp_avg_sq,
    all-gather the parameters. Returns (params, exp_avg, exp_avg_sq), each float32 (P,)."""
    # groups = gloo_groups(num_devices)
    raise NotImplementedError
