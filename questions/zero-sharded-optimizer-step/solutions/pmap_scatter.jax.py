import numpy as np

import jax
import jax.numpy as jnp


def zero_adamw_step(params, grads, exp_avg, exp_avg_sq, step, lr, beta1, beta2, eps, weight_decay, num_devices):
    # pmap over host copies reshaped to (devices, shard): psum_scatter gives each device its
    # chunk of the summed gradient, all_gather hands every device the updated parameters.
    n = params.shape[0]
    shard = -(-n // num_devices)
    pad = shard * num_devices - n
    t = step + 1

    def per_device(p, g, m, v):
        g = jax.lax.psum_scatter(g, "i", scatter_dimension=0, tiled=True) / num_devices
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        p = p * (1 - lr * weight_decay) - lr / (1 - beta1**t) * m / (jnp.sqrt(v / (1 - beta2**t)) + eps)
        return jax.lax.all_gather(p, "i", tiled=True), m, v

    p, m, v = (np.pad(np.asarray(a), (0, pad)).reshape(num_devices, shard) for a in (params, exp_avg, exp_avg_sq))
    g = np.pad(np.asarray(grads), ((0, 0), (0, pad)))
    new_p, new_m, new_v = jax.pmap(per_device, axis_name="i")(p, g, m, v)
    return new_p[0, :n], new_m.reshape(-1)[:n], new_v.reshape(-1)[:n]
