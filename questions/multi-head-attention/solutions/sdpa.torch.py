import torch.nn.functional as F


def multi_head_attention(query, key, value, params, num_heads):
    b, lq, e = query.shape
    d = e // num_heads

    def heads(x, name):
        y = F.linear(x, params["w_" + name], params["b_" + name])
        return y.reshape(b, x.shape[1], num_heads, d).permute(0, 2, 1, 3)

    out = F.scaled_dot_product_attention(heads(query, "q"), heads(key, "k"), heads(value, "v"))
    merged = out.permute(0, 2, 1, 3).reshape(b, lq, e)
    return F.linear(merged, params["w_o"], params["b_o"])
