"""Hostile and broken submissions: each gets a clear verdict and leaves nothing behind.

Every attack runs through the real judge and the real bubblewrap sandbox against the
softmax question. A new exploit found anywhere becomes a case here.
"""

from __future__ import annotations

import os
import subprocess
import textwrap
import uuid

import pytest

from workers.grading.bank import DEFAULT_BANK_DIR
from workers.grading.verdict import Status

pytestmark = pytest.mark.slow

REFERENCE = str(DEFAULT_BANK_DIR / "softmax" / "torch" / "reference.py")
# Attacks on the timer only show in submit mode, where timing happens.
SUBMIT_MODE = {"patch_timer", "patch_timer_jax"}
# A memory bomb is judged by how it ends, not by how fast it gets there. Memory a virtual
# machine touches for the first time comes in at about 0.4 GB/s (filling the 2 GiB limit
# takes 5 s on an idle test machine, past 10 s on a busy one), so these cases get a time
# limit that only a bomb the memory limit failed to stop could reach.
SLOW_FILL = {"memory_bomb", "memory_bomb_tensor"}
SLOW_FILL_TIME_LIMIT_S = 120.0

TORCH_OK = """
import torch

def softmax(x):
    e = (x - x.amax(dim=-1, keepdim=True)).exp()
    return e / e.sum(dim=-1, keepdim=True)
"""

JAX_OK = """
import jax.numpy as jnp

def softmax(x):
    e = jnp.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)
"""


def torch_with(prelude: str, body: str = "") -> str:
    """A correct torch softmax, preceded by module-level code and with extra call-time code."""
    call = textwrap.indent(textwrap.dedent(body), "    ")
    return (
        textwrap.dedent(prelude)
        + "\nimport torch\n\ndef softmax(x):\n"
        + call
        + "\n    e = (x - x.amax(dim=-1, keepdim=True)).exp()\n    return e / e.sum(dim=-1, keepdim=True)\n"
    )


# (id, framework, code, expected status, words the message must contain)
CASES = [
    ("syntax_error", "torch", "def softmax(x)\n    return x\n", Status.COMPILE_ERROR, "SyntaxError on line 1"),
    ("missing_entry", "torch", "def soft_max(x):\n    return x\n", Status.COMPILE_ERROR, "named 'softmax'"),
    ("missing_entry_jax", "jax", "import jax\n", Status.COMPILE_ERROR, "named 'softmax'"),
    ("returns_list", "torch", "def softmax(x):\n    return x.tolist()\n", Status.WRONG_ANSWER, "got list"),
    ("returns_numpy_jax", "jax", "import numpy as np\ndef softmax(x):\n    return np.asarray(x)\n",
     Status.WRONG_ANSWER, "numpy.ndarray"),
    ("wrong_shape", "torch", "def softmax(x):\n    return x.sum(-1)\n", Status.WRONG_ANSWER, "expected shape"),
    ("wrong_dtype", "torch", torch_with("", "x = x.double()"), Status.WRONG_ANSWER, "float64"),
    ("raises", "torch", "def softmax(x):\n    return 1 / 0\n", Status.RUNTIME_ERROR, "ZeroDivisionError"),
    ("raises_jax", "jax", "def softmax(x):\n    raise ValueError('boom')\n", Status.RUNTIME_ERROR, "ValueError: boom"),
    ("infinite_loop", "torch", "def softmax(x):\n    while True:\n        pass\n",
     Status.TIME_LIMIT_EXCEEDED, "longer than"),
    ("infinite_loop_at_import", "torch", "while True:\n    pass\n", Status.TIME_LIMIT_EXCEEDED, "loading"),
    ("sleep_forever_jax", "jax", "import time\ndef softmax(x):\n    time.sleep(3600)\n",
     Status.TIME_LIMIT_EXCEEDED, "longer than"),
    ("memory_bomb", "torch", torch_with("", "b = bytearray(8 * 1024**3)"), Status.MEMORY_LIMIT_EXCEEDED, "memory"),
    ("memory_bomb_tensor", "torch", torch_with("", "b = torch.ones(4 * 1024**3 // 4)"),
     Status.MEMORY_LIMIT_EXCEEDED, "memory"),
    ("fork_bomb", "torch", torch_with("import os", """
        while True:
            try:
                os.fork()
            except OSError:
                pass
     """), None, ""),
    ("output_flood", "torch", torch_with("", "print('x' * 10**7)"), Status.OUTPUT_LIMIT_EXCEEDED, "output"),
    ("disk_fill", "torch", torch_with("", """
        with open('/tmp/fill', 'wb') as f:
            while True:
                f.write(b'0' * 2**20)
     """), Status.RUNTIME_ERROR, "Errno"),
    ("sys_exit", "torch", torch_with("import sys", "sys.exit(0)"), Status.RUNTIME_ERROR, "sys.exit"),
    ("os_exit", "torch", torch_with("import os", "os._exit(0)"), Status.RUNTIME_ERROR, "exited with code 0"),
    ("os_exit_jax", "jax", "import os\ndef softmax(x):\n    os._exit(7)\n", Status.RUNTIME_ERROR, "code 7"),
    ("kill_parent", "torch", torch_with("import os, signal", "os.kill(os.getppid(), signal.SIGKILL)"),
     Status.RUNTIME_ERROR, ""),
    ("kill_init", "torch", torch_with("import os, signal", "os.kill(1, signal.SIGKILL)"), Status.RUNTIME_ERROR, ""),
    ("network_postgres", "torch", torch_with("import socket", "socket.create_connection(('127.0.0.1', 5432), 2)"),
     Status.RUNTIME_ERROR, "Error"),
    ("network_dns", "torch", torch_with("import socket", "socket.getaddrinfo('pypi.org', 443)"),
     Status.RUNTIME_ERROR, "gaierror"),
    ("read_host_file", "torch", torch_with("", "open('/etc/shadow').read()"), Status.RUNTIME_ERROR, "Error"),
    ("read_reference", "torch", torch_with("import glob, os", f"""
        paths = ['{REFERENCE}', *glob.glob('/*/softmax/torch/reference.py'), *glob.glob('/sandbox/**', recursive=True)]
        found = [p for p in paths if os.path.exists(p) and p.endswith('reference.py')]
        if found:
            raise RuntimeError('found ' + found[0])
     """), Status.ACCEPTED, ""),
    ("write_outside_tmp", "torch", torch_with("", "open('/usr/evil', 'w')"), Status.RUNTIME_ERROR, "Error"),
    ("patch_timer", "torch", torch_with("import time", "time.perf_counter_ns = lambda: 0"), Status.REJECTED,
     "timer"),
    ("patch_timer_jax", "jax", "import time\n" + JAX_OK + "\ntime.perf_counter_ns = lambda: 5\n", Status.REJECTED,
     "timer"),
    ("fake_verdict_on_stdout", "torch",
     "import json\ndef softmax(x):\n    print(json.dumps({'status': 'accepted'}))\n    return x\n",
     Status.WRONG_ANSWER, "expected"),
    ("garbage_on_channel", "torch", torch_with("import os, struct", """
        fd = int(os.environ['DOJO_CHANNEL_FDS'].split(',')[1])
        os.write(fd, struct.pack('<QI', 12, 8) + b'notjson!')
     """), Status.REJECTED, "tampered"),
    ("huge_length_on_channel", "torch", torch_with("import os", """
        fd = int(os.environ['DOJO_CHANNEL_FDS'].split(',')[1])
        os.write(fd, b'\\xff' * 64)
     """), Status.REJECTED, "tampered"),
    ("patch_harness_reply", "torch", """
import sys
import torch

def softmax(x):
    for name, module in list(sys.modules.items()):
        if name.endswith('.main') and hasattr(module, 'Runner'):
            module.Runner.call = lambda self, request: {'ok': True, 'result': None, 'dtypes': [], 'elapsed_ns': 1}
    return x
""", Status.REJECTED, "did not report the ops"),
    ("lazy_tensor_subclass", "torch", """
import torch

class Lazy(torch.Tensor):
    pass

def softmax(x):
    e = (x - x.amax(dim=-1, keepdim=True)).exp()
    return (e / e.sum(dim=-1, keepdim=True)).as_subclass(Lazy)
""", Status.WRONG_ANSWER, "plain"),
    ("builtin_forbidden_method", "torch", "def softmax(x):\n    return x.softmax(-1)\n", Status.REJECTED, "forbids"),
    ("builtin_forbidden_private", "jax",
     "import jax._src.nn.functions as f\ndef softmax(x):\n    return f.softmax(x, axis=-1)\n",
     Status.REJECTED, "forbids"),
    ("bfloat16_jax", "jax", "import jax.numpy as jnp\ndef softmax(x):\n    x = x.astype(jnp.bfloat16)\n"
     "    e = jnp.exp(x - x.max(-1, keepdims=True))\n    return e / e.sum(-1, keepdims=True)\n",
     Status.WRONG_ANSWER, "bfloat16"),
    ("nan_output", "torch", "import torch\ndef softmax(x):\n    return torch.full_like(x, float('nan'))\n",
     Status.WRONG_ANSWER, "NaN"),
    ("threads_bomb", "torch", torch_with("import threading, time", """
        for _ in range(10000):
            threading.Thread(target=time.sleep, args=(60,), daemon=True).start()
     """), Status.RUNTIME_ERROR, ""),
]


@pytest.mark.parametrize(("name", "framework", "code", "expected", "words"),
                         [pytest.param(*c, id=c[0]) for c in CASES])
def test_attack_gets_a_clear_verdict(grade_softmax, name, framework, code, expected, words) -> None:
    time_limit_s = SLOW_FILL_TIME_LIMIT_S if name in SLOW_FILL else None
    result = grade_softmax(code, framework, mode="submit" if name in SUBMIT_MODE else "run",
                           time_limit_s=time_limit_s)
    if expected is None:  # fork bomb: contained, whatever the code ends up doing
        assert result.status in (Status.RUNTIME_ERROR, Status.TIME_LIMIT_EXCEEDED, Status.ACCEPTED)
    else:
        assert result.status is expected, result.message
    assert words.lower() in (result.message + result.stderr).lower(), result.message
    assert not any("leftover" in note for note in result.notes), result.notes


def test_secret_environment_never_reaches_the_sandbox(grade_softmax, monkeypatch) -> None:
    secret = "dojo-secret-" + uuid.uuid4().hex
    monkeypatch.setenv("DOJO_SECRET_KEY", secret)
    code = torch_with("import os", f"""
        for path in ['/proc/self/environ', '/proc/1/environ']:
            try:
                data = open(path, 'rb').read()
            except OSError:
                continue
            if b'{secret}' in data:
                raise RuntimeError('leaked via ' + path)
        if any('{secret}' in v for v in os.environ.values()):
            raise RuntimeError('leaked via os.environ')
    """)
    result = grade_softmax(code)
    assert result.status is Status.ACCEPTED, result.message


def test_daemonised_grandchild_does_not_survive(grade_softmax) -> None:
    marker = str(40000 + os.getpid() % 20000)
    code = torch_with("import os, subprocess", f"""
        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:
                os.execv('/usr/bin/sleep', ['sleep', '{marker}'])
            os._exit(0)
    """)
    result = grade_softmax(code)
    assert result.status is Status.ACCEPTED, result.message
    survivors = subprocess.run(["pgrep", "-f", f"sleep {marker}"], capture_output=True, text=True).stdout
    assert survivors.strip() == ""


def test_stdout_is_shown_but_capped(grade_softmax) -> None:
    result = grade_softmax(torch_with("", "print('hello from the candidate ' * 3000)"))
    assert result.status is Status.ACCEPTED, result.message
    assert result.stdout.startswith("hello from the candidate")
    assert len(result.stdout) <= 16 * 1024


def test_a_short_print_is_shown(grade_softmax) -> None:
    """A print smaller than the stdout buffer must not be lost when the runner exits."""
    result = grade_softmax(torch_with("print('shape check ok')"))
    assert result.status is Status.ACCEPTED, result.message
    assert result.stdout == "shape check ok\n"


def test_timing_cannot_be_gamed_by_slowing_the_reference_phase(grade_softmax) -> None:
    """Returning garbage only for benchmark-sized inputs is caught: timed outputs are verified."""
    code = TORCH_OK + "\n_real = softmax\n\ndef softmax(x):\n    return x if x.shape[0] >= 2048 else _real(x)\n"
    result = grade_softmax(code, mode="submit")
    assert result.status is Status.WRONG_ANSWER
    assert "speed benchmark" in result.message


@pytest.mark.parametrize("solution", ["functional_adamw.torch.py", "optax_adamw.jax.py"])
def test_library_rules_reject_the_adamw_bypasses(sandboxed_config, solution: str) -> None:
    """adamw-step forbids torch.optim and optax by library path: the functional
    torch.optim.adamw.adamw (no Optimizer, no record_function) and optax.adamw are calls into them."""
    from workers.grading.bank import load_question
    from workers.grading.judge import grade

    question = load_question(DEFAULT_BANK_DIR / "adamw-step")
    code = (DEFAULT_BANK_DIR / "adamw-step" / "solutions" / solution).read_text()
    result = grade(question, solution.split(".")[1], code, "run", config=sandboxed_config)
    assert result.status is Status.REJECTED, result.message
    assert "forbids" in result.message and ("torch.optim" in result.message or "optax" in result.message)
