import jax
import jax.numpy as jnp


def lora_linear(
    x: jax.Array, W: jax.Array, b: jax.Array, A: jax.Array, B: jax.Array, alpha: float, g: jax.Array
) -> tuple[jax.Array, jax.Array, jax.Array, jax.Array, jax.Array]:
    """A LoRA linear layer: y = x W^T + b + (alpha / r) (x A^T) B^T with r = A.shape[0].

    x: float32 (batch, in); W: (out, in) frozen; b: (out,); A: (r, in); B: (out, r); alpha: float;
    g: (batch, out), the upstream gradient dL/dy. Returns (y, W_merged, W_unmerged, grad_A,
    grad_B): W_merged = W + (alpha / r) B A, W_unmerged = W_merged - (alpha / r) B A, and the
    gradients of sum(y * g) with respect to A and B. W itself must not change.
    """
    raise NotImplementedError
