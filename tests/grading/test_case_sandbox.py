"""A question's cases.py runs in a sandboxed case runner, never in the judge's process.

A version posted through the admin API is code from whoever holds an admin token, and it is
checked (app/questions/checking.py) before anyone reviews it. These tests check hostile
versions of the softmax question with that same function, through the real sandbox.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from app.questions.checking import _failures
from workers.grading.bank import DEFAULT_BANK_DIR, read_question_files
from workers.grading.judge import grade
from workers.grading.spec import Question, parse_question
from workers.grading.verdict import Status

pytestmark = pytest.mark.slow

SOFTMAX_FILES = read_question_files(DEFAULT_BANK_DIR / "softmax")


def softmax_with_cases(prelude: str, marker: str = "") -> Question:
    """softmax, with `prelude` run in cases.py's make_inputs before the real inputs are made;
    only the torch reference is checked."""
    files = {k: v for k, v in SOFTMAX_FILES.items() if not k.startswith("solutions/")}
    toml = files["question.toml"]
    toml = toml[: toml.index("[[solutions]]")] if "[[solutions]]" in toml else toml
    files["question.toml"] = toml.replace('frameworks = ["torch", "jax"]', 'frameworks = ["torch"]')
    original = files["cases.py"].replace("def make_inputs(", "def _real_make_inputs(")
    files["cases.py"] = original + f"""

def make_inputs(family, size, rng):
{prelude}
    return _real_make_inputs(family, size, rng)
"""
    return parse_question("softmax", files)


def test_a_hostile_cases_py_finds_no_secrets_no_network_no_host_files(sandboxed_config, monkeypatch, tmp_path) -> None:
    secret = "dojo-secret-" + uuid.uuid4().hex
    monkeypatch.setenv("DOJO_SECRET_KEY", secret)
    monkeypatch.setenv("DOJO_ADMIN_TOKEN", secret)
    marker = tmp_path / "written-by-cases-py"
    question = softmax_with_cases(f"""
    import os, socket
    for path in ['/proc/self/environ', '/proc/1/environ', '/proc/' + str(os.getppid()) + '/environ']:
        try:
            if b'{secret}' in open(path, 'rb').read():
                raise RuntimeError('LEAKED the secret via ' + path)
        except OSError:
            pass
    if any('{secret}' in v for v in os.environ.values()):
        raise RuntimeError('LEAKED the secret via os.environ')
    try:
        socket.create_connection(('127.0.0.1', 5432), 2).close()
        raise RuntimeError('LEAKED: reached PostgreSQL on the host')
    except OSError:
        pass
    try:
        open('{marker}', 'w').write('x')
    except OSError:
        pass
""")
    failures = _failures(question, sandboxed_config.launcher)
    assert failures == [], failures  # the reference passes: no leak raised inside make_inputs
    assert not marker.exists()


def test_a_crashing_cases_py_fails_the_check_without_touching_the_judge(sandboxed_config) -> None:
    question = softmax_with_cases("""
    import os
    os.kill(os.getppid(), 9)
    os._exit(3)
""")
    failures = _failures(question, sandboxed_config.launcher)
    assert len(failures) == 1 and failures[0]["got"] == "internal_error", failures  # the torch reference
    assert "cases.py" in failures[0]["message"]
    assert os.getpid() > 0  # still here: the judge's process was out of reach


def test_a_memory_bomb_in_cases_py_is_contained(sandboxed_config) -> None:
    question = softmax_with_cases("""
    hog = b'x' * (8 * 1024 ** 3)
""")
    result = grade(question, "torch", SOFTMAX_FILES["torch/reference.py"], "run", config=sandboxed_config)
    assert result.status is Status.INTERNAL_ERROR and "cases.py" in result.message, result.message


def test_the_judge_never_executes_cases_py_itself(sandboxed_config, tmp_path) -> None:
    """The same marker written from the judge's process would land on the host."""
    marker = Path(tmp_path) / "judge-ran-cases-py"
    question = softmax_with_cases(f"""
    open('{marker}', 'w').write('x')
""")
    result = grade(question, "torch", SOFTMAX_FILES["torch/reference.py"], "run", config=sandboxed_config)
    assert not marker.exists()
    # tmp_path is not bound into the sandbox: the write fails there and the question is broken.
    assert result.status is Status.INTERNAL_ERROR, result.message
