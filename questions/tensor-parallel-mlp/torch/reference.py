import datetime
import os
import threading

import torch
import torch.distributed as dist
import torch.nn.functional as F

_GROUPS: dict[int, list] = {}


def gloo_groups(world: int) -> list:
    """One gloo process group per simulated device (rank), over loopback; created once."""
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


def tensor_parallel_mlp(x, w1, b1, w2, b2, g, num_devices):
    groups = gloo_groups(num_devices)
    # Column-parallel first layer: rank r owns hidden units [r F/N, (r+1) F/N), i.e. columns of
    # w1 and entries of b1; GELU is elementwise, so it needs no communication. Row-parallel
    # second layer: the same rows of w2, so each rank's h_r @ w2_r is a partial sum of y.
    w1_shards, b1_shards, w2_shards = w1.chunk(num_devices, dim=1), b1.chunk(num_devices), w2.chunk(num_devices, dim=0)
    results: list = [None] * num_devices

    def rank(r: int) -> None:
        xr = x.detach().clone().requires_grad_()
        local = [t.detach().clone().requires_grad_() for t in (w1_shards[r], b1_shards[r], w2_shards[r])]
        partial = F.gelu(xr @ local[0] + local[1], approximate="tanh") @ local[2]
        y = partial.detach().clone()
        groups[r].allreduce([y]).wait()  # Megatron's "g" operator: all-reduce forward ...
        y += b2  # ... and the bias once, after the sum, not once per rank
        # ... whose backward is the identity: every rank backpropagates g through its own shard.
        grad_x, grad_w1, grad_b1, grad_w2 = torch.autograd.grad(partial, [xr, *local], g)
        # Megatron's "f" operator: identity forward, all-reduce backward. x fed every rank's
        # shard, so its gradient is the sum of the ranks' contributions.
        groups[r].allreduce([grad_x]).wait()
        results[r] = (y, grad_x, grad_w1, grad_b1, grad_w2)

    threads = [threading.Thread(target=rank, args=(r,)) for r in range(num_devices)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    y, grad_x = results[0][:2]  # replicated on every rank after the all-reduces
    # The weight gradients stay sharded like the weights; put them side by side to return them.
    grad_w1 = torch.cat([res[2] for res in results], dim=1)
    grad_b1 = torch.cat([res[3] for res in results])
    grad_w2 = torch.cat([res[4] for res in results], dim=0)
    return y, grad_x, grad_w1, grad_b1, grad_w2, g.sum(dim=0)
