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
    # Flat padded buffers with the tensor forms of the collectives (_reduce_scatter_base and
    # _allgather_base), and AdamW written out on each shard.
    groups = process_groups(num_devices)
    n = params.numel()
    shard = math.ceil(n / num_devices)
    total = shard * num_devices

    def padded(a):
        out = torch.zeros(total)
        out[:n] = a
        return out

    p_all, m_all, v_all = padded(params), padded(exp_avg), padded(exp_avg_sq)
    t = step + 1

    def rank(r):
        lo, hi = r * shard, (r + 1) * shard
        g = torch.empty(shard)
        groups[r]._reduce_scatter_base(g, padded(grads[r])).wait()
        g = g / num_devices
        m = beta1 * m_all[lo:hi] + (1 - beta1) * g
        v = beta2 * v_all[lo:hi] + (1 - beta2) * g * g
        m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
        p = p_all[lo:hi] * (1 - lr * weight_decay) - lr * m_hat / (v_hat.sqrt() + eps)
        full = torch.empty(total)
        groups[r]._allgather_base(full, p).wait()
        return full[:n], m, v

    done = on_ranks(num_devices, rank)
    return done[0][0], torch.cat([d[1] for d in done])[:n], torch.cat([d[2] for d in done])[:n]
