"""Hostile bytes on the grading channel: every one ends in a verdict, never a crash or a retry,
and the judge's memory stays bounded.

The candidate's code shares an interpreter with the runner, so it can write anything onto the
runner's reply pipe. All attacks are graded, through the real judge and the real bubblewrap
sandbox, by one separate process (tests/grading/judge_probe.py) that reports how much each
grade grew its peak resident memory; the judge must grow by less than JUDGE_MEMORY_BOUND_MB.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from tests.support import require_bwrap
from workers.grading.verdict import Status

pytestmark = pytest.mark.slow

JUDGE_MEMORY_BOUND_MB = 256
ROOT = Path(__file__).resolve().parents[2]

# Writes frames onto the runner's reply pipe. The pipe is found as the attacker would:
# the open, writable io.FileIO in the interpreter (the runner's reply stream).
PRELUDE = """
import gc, io, json, os, struct, sys
import numpy as np
import torch

def _reply_fd():
    for obj in gc.get_objects():
        if isinstance(obj, io.FileIO) and not obj.closed and obj.mode == 'wb' and obj.fileno() > 2:
            return obj.fileno()
    return int(os.environ['DOJO_CHANNEL_FDS'].split(',')[1])

FD = _reply_fd()

def frame(header, body=b''):
    return struct.pack('<QI', 4 + len(header) + len(body), len(header)) + header + body

def send(data):
    view = memoryview(data)
    while view:
        view = view[os.write(FD, view[: 1 << 20]):]

def reply(fields, body=b''):
    # hand-built: arrays given as raw header entries plus blob bytes
    send(frame(json.dumps({'tree': {'$dict': fields}}).encode(), body))

def encoded_reply(tree):
    # in the runner's own encoding (nested dicts and lists)
    send(harness_module('wire').encode(tree))

def real_softmax(x):
    e = (x - x.amax(dim=-1, keepdim=True)).exp()
    return e / e.sum(dim=-1, keepdim=True)

def harness_module(name):
    return next(m for n, m in list(sys.modules.items()) if n.endswith('.' + name) and m is not None
                and n.split('.')[0] == 'harness')
"""


def attack(body: str, top: str = "") -> str:
    """Candidate code: PRELUDE, module-level `top`, and a softmax that runs `body` first."""
    call = textwrap.indent(textwrap.dedent(body), "    ")
    return PRELUDE + textwrap.dedent(top) + "\ndef softmax(x):\n" + call + "\n    return real_softmax(x)\n"


# The first call of a run-mode grade is request 2 (the load was 1).
CALL_SEQ = 2

# (id, code, expected status, words the message must contain)
ATTACKS: list[tuple[str, str, Status, str]] = [
    ("deep_json_nesting", attack("""
        send(frame(b'{"tree": ' + b'[' * 300000 + b']' * 300000 + b'}'))
     """), Status.REJECTED, "tampered"),
    ("header_of_150_mb", attack("""
        send(frame(b'{"tree": [' + b'[],' * 50_000_000 + b'[]]}'))
     """), Status.REJECTED, "tampered"),
    ("ten_million_tiny_objects", attack("""
        send(frame(b'{"tree": [' + b'0,' * 10_000_000 + b'0]}'))
     """), Status.REJECTED, "tampered"),
    ("a_mib_of_empty_lists", attack("""
        send(frame(b'{"tree": [' + b'[],' * 349_000 + b'[]]}'))
     """), Status.REJECTED, "tampered"),
    ("harness_input_conversion_raises", attack("""
        def boom(self, args):
            raise RuntimeError('conversion sabotaged')
        harness_module('adapters').TorchAdapter.to_framework = boom
     """), Status.RUNTIME_ERROR, "prepare the inputs"),
    ("forged_internal_error", attack(f"""
        encoded_reply({{'error': {{'kind': 'internal', 'type': 'Oops', 'message': 'the grader failed'}},
                       'seq': {CALL_SEQ}}})
     """), Status.RUNTIME_ERROR, "prepare the inputs"),
    ("unknown_error_kind", attack(f"""
        encoded_reply({{'error': {{'kind': 'judge_crash', 'message': 'x'}}, 'seq': {CALL_SEQ}}})
     """), Status.REJECTED, "tampered"),
    ("huge_error_message", attack(f"""
        encoded_reply({{'error': {{'kind': 'runtime', 'type': 'E' * 100000, 'message': 'm' * 900000}},
                       'seq': {CALL_SEQ}}})
     """), Status.RUNTIME_ERROR, "mmmm"),
    ("reply_before_its_request", attack("", top="""
        _wire = harness_module('wire')
        _original = _wire.encode
        def _encode_twice(tree):
            data = _original(tree)
            return data + data if isinstance(tree, dict) and 'elapsed_ns' in tree else data
        _wire.encode = _encode_twice
     """), Status.REJECTED, "tampered"),
    ("wrong_sequence_number", attack("""
        x = real_softmax(x).numpy()
        reply({'ok': True, 'result': {'$array': 0, 'dtype': 'float32', 'shape': list(x.shape)},
               'dtypes': ['float32'], 'elapsed_ns': 1000, 'seq': 99}, x.tobytes())
     """), Status.REJECTED, "sequence"),
    ("forged_reply_with_the_right_sequence", attack(f"""
        y = real_softmax(x).numpy()
        reply({{'ok': True, 'result': {{'$array': 0, 'dtype': 'float32', 'shape': list(y.shape)}},
               'dtypes': ['float32'], 'elapsed_ns': 1000, 'ops': [], 'seq': {CALL_SEQ}}}, y.tobytes())
     """), Status.REJECTED, "tampered"),
    ("blob_claims_2_62_elements", attack(f"""
        reply({{'ok': True, 'result': {{'$array': 0, 'dtype': 'float32', 'shape': [2 ** 62]}},
               'dtypes': ['float32'], 'elapsed_ns': 1000, 'seq': {CALL_SEQ}}})
     """), Status.REJECTED, "tampered"),
    ("shape_product_wraps_int64", attack(f"""
        reply({{'ok': True, 'result': {{'$array': 0, 'dtype': 'float64', 'shape': [2 ** 32, 2 ** 32]}},
               'dtypes': ['float32'], 'elapsed_ns': 1000, 'seq': {CALL_SEQ}}})
     """), Status.REJECTED, "tampered"),
    ("nan_in_header", attack(f"""
        send(frame(b'{{"tree": {{"$dict": {{"ok": true, "result": null, "dtypes": [], "elapsed_ns": NaN, '
                   b'"seq": {CALL_SEQ}}}}}}}'))
     """), Status.REJECTED, "tampered"),
    ("huge_integer_in_header", attack(f"""
        send(frame(b'{{"tree": {{"$dict": {{"ok": true, "result": null, "dtypes": [], "elapsed_ns": 1'
                   + b'0' * 5000 + b', "seq": {CALL_SEQ}}}}}}}'))
     """), Status.REJECTED, "tampered"),
    ("unhashable_dtype", attack(f"""
        reply({{'ok': True, 'result': {{'$array': 0, 'dtype': [], 'shape': [1]}},
               'dtypes': ['float32'], 'elapsed_ns': 1000, 'seq': {CALL_SEQ}}}, b'0000')
     """), Status.REJECTED, "tampered"),
    ("ops_that_are_not_names", attack(f"""
        encoded_reply({{'ok': True, 'result': None, 'dtypes': [], 'elapsed_ns': 1000, 'ops': [{{'a': 1}}],
                       'seq': {CALL_SEQ}}})
     """), Status.REJECTED, "tampered"),
    ("oversized_control_reply", attack("", top="""
        reply({'ok': True, 'seq': 1}, b'\\0' * (2 << 20))
     """), Status.REJECTED, "tampered"),
    ("real_output_far_over_the_expected_size", attack("""
        return torch.zeros(2 ** 26)
     """), Status.OUTPUT_LIMIT_EXCEEDED, "too large"),
    ("harness_method_replaced_mid_run", attack("""
        harness_module('main').Runner.call = lambda self, request: {'ok': True}
     """), Status.REJECTED, "tampered"),
]


@pytest.fixture(scope="module")
def probe_results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    require_bwrap()
    spec = tmp_path_factory.mktemp("probe") / "attacks.json"
    spec.write_text(json.dumps([{"framework": "torch", "code": code} for _, code, _, _ in ATTACKS]))
    done = subprocess.run([sys.executable, "-m", "tests.grading.judge_probe", str(spec)], cwd=ROOT,
                          capture_output=True, text=True, timeout=900)
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    assert done.returncode == 0 and len(lines) == len(ATTACKS), done.stderr[-3000:]
    return {name: line for (name, *_), line in zip(ATTACKS, lines, strict=True)}


@pytest.mark.parametrize(("name", "expected", "words"), [pytest.param(n, s, w, id=n) for n, _, s, w in ATTACKS])
def test_channel_attack_ends_in_a_verdict(probe_results, name: str, expected: Status, words: str) -> None:
    result = probe_results[name]
    status = Status(result["status"])
    assert status is expected, result["message"]
    assert not status.is_infrastructure_failure  # never retried as our own failure
    assert words in result["message"].lower() + result["stderr"].lower(), result["message"]
    assert len(result["message"]) < 5000
    assert result["rss_growth_mb"] < JUDGE_MEMORY_BOUND_MB, result
