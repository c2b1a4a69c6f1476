import torch
import torch.nn.functional as F


def multi_head_attention(query, key, value, params, num_heads):
    e = query.shape[-1]
    in_w = torch.cat([params["w_q"], params["w_k"], params["w_v"]])
    in_b = torch.cat([params["b_q"], params["b_k"], params["b_v"]])
    out, _ = F.multi_head_attention_forward(
        query.transpose(0, 1), key.transpose(0, 1), value.transpose(0, 1), e, num_heads,
        in_w, in_b, None, None, False, 0.0, params["w_o"], params["b_o"], need_weights=False)
    return out.transpose(0, 1)
