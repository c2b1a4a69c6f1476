import io

import numpy as np
import pytest

from workers.grading.harness import wire


def roundtrip(tree):
    return wire.read_message(io.BytesIO(wire.encode(tree)))


def test_nested_trees_roundtrip_with_dtypes_and_shapes() -> None:
    tree = {
        "w": np.arange(6, dtype=np.float32).reshape(2, 3),
        "meta": (1, 2.5, None, True, "text"),
        "list": [np.int64(7), np.array(True), np.zeros((0, 4), dtype=np.int32)],
    }
    out = roundtrip(tree)
    np.testing.assert_array_equal(out["w"], tree["w"])
    assert out["w"].dtype == np.float32
    assert out["meta"] == (1, 2.5, None, True, "text")
    assert out["list"][0].shape == () and out["list"][0] == 7
    assert out["list"][1].shape == () and bool(out["list"][1]) is True
    assert out["list"][2].shape == (0, 4) and out["list"][2].dtype == np.int32


def test_non_finite_values_survive() -> None:
    out = roundtrip(np.array([np.nan, np.inf, -np.inf], dtype=np.float32))
    assert np.isnan(out[0]) and out[1] == np.inf and out[2] == -np.inf


@pytest.mark.parametrize("value", [object(), {1: np.zeros(2)}, np.array(["a"])])
def test_unsendable_values_are_refused(value) -> None:
    with pytest.raises(wire.WireError):
        wire.encode(value)


def _message(header: bytes, body: bytes = b"") -> bytes:
    import struct

    return struct.pack("<I", len(header)) + header + body


@pytest.mark.parametrize(
    ("payload", "words"),
    [
        (_message(b"not json"), "not JSON"),
        (_message(b'{"tree": {"$array": 0, "dtype": "float32", "shape": [1000]}}', b"\0" * 8), "shorter"),
        (_message(b'{"tree": {"$array": 0, "dtype": "object", "shape": [1]}}', b"\0" * 8), "not allowed"),
        (_message(b'{"tree": {"$pickle": "x"}}'), "unknown object"),
        (_message(b'{"tree": {"$array": 0, "dtype": "float32", "shape": [-1]}}'), "bad shape"),
    ],
)
def test_malformed_messages_raise_wire_errors(payload, words) -> None:
    with pytest.raises(wire.WireError, match=words):
        wire.decode(payload)


def test_oversized_arrays_are_refused() -> None:
    payload = wire.encode(np.zeros(1000, dtype=np.float64))[8:]
    with pytest.raises(wire.WireError, match="over the limit"):
        wire.decode(payload, max_array_bytes=100)


@pytest.mark.parametrize(
    ("header", "words"),
    [
        (b'{"tree": ' + b"[" * 100000 + b"]" * 100000 + b"}", "RecursionError"),
        (b'{"tree": 1' + b"0" * 5000 + b"}", "ValueError"),
        (b'{"tree": {"$array": 0, "dtype": [], "shape": [1]}}', "not allowed"),
        (b'{"tree": {"$array": 0, "dtype": "float32", "shape": [4611686018427387904]}}', "shorter"),
        (b'{"tree": {"$array": 0, "dtype": "float64", "shape": [4294967296, 4294967296]}}', "shorter"),
        (b'{"tree": {"$array": 0.0, "dtype": "float32", "shape": [1]}}', "out of order"),
        (b'{"tree": {"$array": 0, "dtype": "float32", "shape": [1.5]}}', "bad shape"),
        (b'{"tree": {"$dict": {"a": {"$tuple": 7}}}}', "undecodable"),
    ],
)
def test_crafted_headers_raise_wire_errors_only(header: bytes, words: str) -> None:
    with pytest.raises(wire.WireError, match=words):
        wire.decode(_message(header))


def test_a_header_over_the_cap_is_refused_before_parsing() -> None:
    header = b'{"tree": [' + b"[]," * 400_000 + b"[]]}"
    with pytest.raises(wire.WireError, match="over the"):
        wire.decode(_message(header), max_header_bytes=1 << 20)
