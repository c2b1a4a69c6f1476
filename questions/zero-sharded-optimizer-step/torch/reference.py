import datetime
import math
import os
import threading

import torch
import torch.distributed as dist

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


@torch.no_grad()
def zero_adamw_step(params, grads, exp_avg, exp_avg_sq, step, lr, beta1, beta2, eps, weight_decay, num_devices):
    groups = gloo_groups(num_devices)
    size = params.numel()
    shard = -(-size // num_devices)  # ceil: every device owns `shard` entries, the last padded
    padding = shard * num_devices - size
    t = step + 1
    bias1, bias2 = 1 - beta1**t, 1 - beta2**t
    results: list = [None] * num_devices

    def rank(r: int) -> None:
        own = slice(r * shard, (r + 1) * shard)  # this device's range of the padded flat buffer
        # Reduce-scatter: device r receives the sum over devices of chunk r of the gradient.
        local = torch.nn.functional.pad(grads[r], (0, padding)).chunk(num_devices)
        g = torch.empty(shard)
        groups[r].reduce_scatter([g], [list(local)]).wait()
        g /= num_devices  # the gradient of the mean loss over equal micro-batches: a mean, not a sum
        # Only this shard of the parameters and of the optimizer state lives on device r.
        p, m, v = (torch.nn.functional.pad(a, (0, padding))[own].clone() for a in (params, exp_avg, exp_avg_sq))
        p.mul_(1 - lr * weight_decay)
        m.lerp_(g, 1 - beta1)
        v.mul_(beta2).addcmul_(g, g, value=1 - beta2)
        p.addcdiv_(m, (v.sqrt() / math.sqrt(bias2)).add_(eps), value=-lr / bias1)
        # All-gather: every device gets the whole updated parameter vector for the next forward.
        gathered = [torch.empty(shard) for _ in range(num_devices)]
        groups[r].allgather([gathered], [p]).wait()
        results[r] = (torch.cat(gathered)[:size], m, v)

    threads = [threading.Thread(target=rank, args=(r,)) for r in range(num_devices)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    # The optimizer state stays sharded; put the shards side by side (dropping padding) to return it.
    new_m = torch.cat([res[1] for res in results])[:size]
    new_v = torch.cat([res[2] for res in results])[:size]
    return results[0][0], new_m, new_v
