import jax


def conv2d(x, weight, bias, stride, padding):
    out = jax.lax.conv_general_dilated(
        x, weight, window_strides=stride, padding=[(padding[0],) * 2, (padding[1],) * 2])
    return out if bias is None else out + bias[None, :, None, None]
