import math
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from functools import lru_cache

import torch
import torch.distributed as dist


def on_ranks(world, fn):
    with ThreadPoolExecutor(world) as pool:
        return list(pool.map(fn, range(world)))


@lru_cache
def process_groups(world):
    store = dist.HashStore()
    return on_ranks(world, lambda r: dist.ProcessGroupGloo(store, r, world, timedelta(seconds=30)))


def zero_adamw_step(params, grads, exp_avg, exp_avg_sq, step, lr, beta1, beta2, eps, weight_decay, num_devices):
    # Reduce-scatters the padded gradient in equal chunks of ceil(P / N), but splits the
    # parameters and state with tensor_split (balanced shards of 26, 25, 25, 25 for P = 101):
    # when N does not divide P, each device's gradient chunk and its parameters are offset.
    groups = process_groups(num_devices)
    n = params.numel()
    shard = math.ceil(n / num_devices)
    total = shard * num_devices

    def padded(a):
        out = torch.zeros(total)
        out[:n] = a
        return out

    sizes = [c.numel() for c in params.tensor_split(num_devices)]
    t = step + 1

    def padded_to(a, length):
        return torch.cat([a, a.new_zeros(length - a.numel())])

    def rank(r):
        own = [a.tensor_split(num_devices)[r] for a in (params, exp_avg, exp_avg_sq)]
        size = own[0].numel()
        g = torch.empty(shard)
        groups[r]._reduce_scatter_base(g, padded(grads[r])).wait()
        g = g / num_devices
        g = g[:size]
        m = beta1 * own[1] + (1 - beta1) * g
        v = beta2 * own[2] + (1 - beta2) * g * g
        m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
        p = own[0] * (1 - lr * weight_decay) - lr * m_hat / (v_hat.sqrt() + eps)
        full = torch.empty(total)
        groups[r]._allgather_base(full, padded_to(p, shard)).wait()
        return torch.cat([c[:s] for c, s in zip(full.chunk(num_devices), sizes)]), m, v

    done = on_ranks(num_devices, rank)
    return done[0][0], torch.cat([d[1] for d in done]), torch.cat([d[2] for d in done])
