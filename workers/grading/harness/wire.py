"""The judge <-> runner message format: length-prefixed JSON plus raw array bytes.

Never pickle: a runner is untrusted and the judge must not execute anything it sends. A
message is `u64 total | u32 header_len | header JSON | blob bytes...`. Arrays in the JSON tree
are `{"$array": i, "dtype": ..., "shape": [...]}` referring to the i-th blob; tuples are
`{"$tuple": [...]}`; dicts have string keys. This module is shared by the judge and the
harness inside the sandbox, so it needs only the standard library and numpy.

Every byte a runner sends is hostile. `decode` checks the header's length against a small cap
before parsing it (a 1 MiB header of empty lists is about 30 MB of Python objects at most),
computes array sizes with Python integers (a shape claiming 2**62 elements cannot wrap to a
small number), and turns every failure a crafted message can provoke (RecursionError from
deep nesting, MemoryError, OverflowError, UnicodeError, TypeError from unhashable keys...)
into a WireError, which the judge reports as tampering instead of crashing.
"""

from __future__ import annotations

import json
import struct
from typing import Any, BinaryIO

import numpy as np

# dtypes that may cross the channel. bfloat16 travels as float32 bytes with its declared
# dtype kept, so that a low-precision answer is reported as such instead of failing to decode.
WIRE_DTYPES = {
    "float64", "float32", "float16", "int64", "int32", "int16", "int8", "uint8", "uint32",
    "bool", "complex64", "complex128",
}
_PREFIX = struct.Struct("<QI")
# The JSON header of any message: control replies are a few hundred bytes, and a call's
# arrays travel as blobs after it, so only a tampered message comes near this.
MAX_HEADER_BYTES = 1 << 20
MAX_DEPTH = 64
# What decoding may raise on crafted input; each one means a bad message, never a judge crash.
_DECODE_FAILURES = (
    RecursionError, MemoryError, OverflowError, UnicodeError, ValueError, TypeError,
    KeyError, IndexError, AttributeError, struct.error,
)


class WireError(ValueError):
    """A malformed or oversized message: from a runner, evidence of tampering or a crash."""


def encode(tree: Any) -> bytes:
    blobs: list[bytes] = []
    header = json.dumps({"tree": _encode_node(tree, blobs)}, allow_nan=True).encode()
    total = 4 + len(header) + sum(len(b) for b in blobs)
    return b"".join([_PREFIX.pack(total, len(header)), header, *blobs])


def _encode_node(node: Any, blobs: list[bytes]) -> Any:
    if isinstance(node, np.ndarray | np.generic):
        array = np.asarray(node)  # keeps 0-d arrays 0-d; tobytes() writes C order
        dtype = str(array.dtype)
        if dtype not in WIRE_DTYPES:
            raise WireError(f"dtype {dtype} cannot be sent")
        blobs.append(array.tobytes())
        return {"$array": len(blobs) - 1, "dtype": dtype, "shape": list(array.shape)}
    if isinstance(node, dict):
        if not all(isinstance(k, str) for k in node):
            raise WireError("dict keys must be strings")
        return {"$dict": {k: _encode_node(v, blobs) for k, v in node.items()}}
    if isinstance(node, tuple):
        return {"$tuple": [_encode_node(v, blobs) for v in node]}
    if isinstance(node, list):
        return [_encode_node(v, blobs) for v in node]
    if node is None or isinstance(node, bool | int | float | str):
        return node
    raise WireError(f"cannot send a value of type {type(node).__name__}")


def decode(
    payload: bytes | bytearray, max_array_bytes: int | None = None, max_header_bytes: int = MAX_HEADER_BYTES
) -> Any:
    """The tree of one message (without its 8-byte total). Raises only WireError."""
    try:
        return _decode(payload, max_array_bytes, max_header_bytes)
    except WireError:
        raise
    except _DECODE_FAILURES as exc:
        raise WireError(f"undecodable message ({type(exc).__name__})") from None


def _decode(payload: bytes | bytearray, max_array_bytes: int | None, max_header_bytes: int) -> Any:
    if len(payload) < 4:
        raise WireError("message shorter than its header length")
    (header_len,) = struct.unpack_from("<I", payload, 0)
    if header_len > max_header_bytes:
        raise WireError(f"header of {header_len} bytes is over the {max_header_bytes}-byte limit")
    if header_len > len(payload) - 4:
        raise WireError("header longer than the message")
    try:
        header = json.loads(bytes(payload[4 : 4 + header_len]))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise WireError(f"header is not JSON: {exc}") from exc
    if not isinstance(header, dict) or "tree" not in header:
        raise WireError("header has no tree")
    blobs = _BlobReader(memoryview(payload)[4 + header_len :], max_array_bytes)
    return _decode_node(header["tree"], blobs, depth=0)


class _BlobReader:
    def __init__(self, body: memoryview, max_array_bytes: int | None) -> None:
        self._body = body
        self._offset = 0
        self._next_index = 0
        self._max = max_array_bytes

    def take(self, index: Any, dtype: Any, shape: Any) -> np.ndarray:
        if type(index) is not int or index != self._next_index:
            raise WireError("arrays out of order")
        if not isinstance(dtype, str) or dtype not in WIRE_DTYPES:
            raise WireError(f"dtype {str(dtype)[:40]!r} is not allowed")
        if not isinstance(shape, list) or len(shape) > MAX_DEPTH or not all(
            type(d) is int and d >= 0 for d in shape
        ):
            raise WireError("bad shape")
        count = 1
        for dim in shape:  # Python ints: a claimed 2**62 x 2**62 cannot wrap around
            count *= dim
        nbytes = count * np.dtype(dtype).itemsize
        if self._max is not None and nbytes > self._max:
            raise WireError(f"array of {nbytes} bytes is over the limit")
        end = self._offset + nbytes
        if end > len(self._body):
            raise WireError("message shorter than its arrays")
        data = np.frombuffer(self._body[self._offset : end], dtype=dtype).reshape(shape).copy()
        self._offset = end
        self._next_index += 1
        return data


def _decode_node(node: Any, blobs: _BlobReader, depth: int) -> Any:
    if depth > MAX_DEPTH:
        raise WireError("nesting too deep")
    if isinstance(node, dict):
        if "$array" in node:
            return blobs.take(node["$array"], node.get("dtype", ""), node.get("shape", []))
        if "$tuple" in node:
            return tuple(_decode_node(v, blobs, depth + 1) for v in node["$tuple"])
        if "$dict" in node and isinstance(node["$dict"], dict):
            return {k: _decode_node(v, blobs, depth + 1) for k, v in node["$dict"].items()}
        raise WireError("unknown object in tree")
    if isinstance(node, list):
        return [_decode_node(v, blobs, depth + 1) for v in node]
    return node


def write_message(stream: BinaryIO, tree: Any) -> None:
    stream.write(encode(tree))
    stream.flush()


def read_exact(stream: BinaryIO, count: int) -> bytes:
    # readinto a buffer allocated once: read(count) would allocate `count` bytes for
    # every pipe-sized chunk, which made an 8 MB message take ~100 ms.
    buffer = bytearray(count)
    view = memoryview(buffer)
    while view:
        got = stream.readinto(view)  # type: ignore[attr-defined]
        if not got:
            raise EOFError("channel closed")
        view = view[got:]
    return bytes(buffer) if count < 4096 else buffer  # type: ignore[return-value]


def read_message(stream: BinaryIO, max_bytes: int = 1 << 31) -> Any:
    """The runner's side: requests come from the judge, so their header may be large (inputs
    given as Python lists); the judge reads replies with its own capped reader (client.py)."""
    (total,) = struct.unpack("<Q", read_exact(stream, 8))
    if total > max_bytes:
        raise WireError(f"message of {total} bytes is over the {max_bytes}-byte limit")
    return decode(read_exact(stream, total), max_header_bytes=max_bytes)
