import jax
import jax.numpy as jnp


def f(w, X, lam):
    return jax.nn.logsumexp(X @ w) + 0.5 * lam * jnp.vdot(w, w)


@jax.jit
def hvp(w, v, X, lam):
    lo = lambda a: a.astype(jnp.bfloat16)
    hv = jax.jvp(lambda w_: jax.grad(f)(w_, lo(X), lam), (lo(w),), (lo(v),))[1]
    return hv.astype(jnp.float32)
