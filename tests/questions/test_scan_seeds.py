"""scripts/scan_seeds.py: grading a question's files on many hidden-test draws, in process."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from workers.grading.bank import load_question
from workers.grading.spec import parse_question

ROOT = Path(__file__).resolve().parents[2]
SOFTMAX = load_question(ROOT / "questions" / "softmax")


def _scanner():
    spec = importlib.util.spec_from_file_location("scan_seeds", ROOT / "scripts" / "scan_seeds.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["scan_seeds"] = module
    spec.loader.exec_module(module)
    return module


def _by_file(results):
    return {r.file: r for r in results}


def test_the_banks_softmax_gets_its_expected_verdicts_on_every_draw() -> None:
    results, skipped = _scanner().scan_question(SOFTMAX, ["torch"], seeds=3, max_seconds=60, seed_base=1)
    found = _by_file(results)
    assert found["torch/reference.py"].draws == 3 and found["torch/reference.py"].rate() == 0.0
    assert found["solutions/stable.torch.py"].rate() == 0.0
    # Fixed inputs: one failing example settles the verdict without drawing hidden tests.
    assert found["solutions/bfloat16.torch.py"].example_failure and found["solutions/bfloat16.torch.py"].draws == 0
    # Every hidden shape is new to it; the benchmark's second call replays the first answer.
    cache_first = found["solutions/cache_first.torch.py"]
    assert cache_first.draws == 3 and cache_first.draws_failed == 3 and cache_first.rate() == 0.0
    assert any("builtin.torch.py" in note for note in skipped)


# Wrong only when the first logit of a 64-row input exceeds 2 (about one draw in four).
SOMETIMES_WRONG = """
import torch


def softmax(x):
    out = torch.softmax(x, dim=-1)
    if x.shape[0] == 64 and x[0, 0] > 2:
        out = out.clone()
        out[0, 0] = 0.0
    return out
"""


def test_a_must_fail_file_that_passes_some_draws_is_reported_with_its_rate() -> None:
    files = dict(SOFTMAX.files)
    files["solutions/sometimes.torch.py"] = SOMETIMES_WRONG
    files["question.toml"] += (
        '\n[[solutions]]\nfile = "solutions/sometimes.torch.py"\nframework = "torch"\n'
        'expect = "wrong_answer"\nwhy = "Wrong on some draws only."\n'
    )
    question = parse_question("softmax", files)
    results, _ = _scanner().scan_question(question, ["torch"], seeds=12, max_seconds=120, seed_base=3)
    sometimes = _by_file(results)["solutions/sometimes.torch.py"]
    assert sometimes.draws == 12
    # Seeds are fixed by seed_base, so this split is the same on every run.
    assert 0 < sometimes.draws_failed < 12
    assert sometimes.rate() == (12 - sometimes.draws_failed) / 12
    assert any("PASSES every test" in line for line in sometimes.lines())


def test_each_grade_loads_cases_afresh_so_per_grade_state_does_not_leak_between_files() -> None:
    # dropout's cases.py keeps the first same-seed mask of a grade to compare the next one with;
    # shared across files, an accepted generator-based answer was compared with the reference's.
    dropout = load_question(ROOT / "questions" / "dropout")
    results, _ = _scanner().scan_question(dropout, ["torch"], seeds=2, max_seconds=60, seed_base=1)
    found = _by_file(results)
    assert found["solutions/bernoulli_generator.torch.py"].draws == 2
    assert found["solutions/bernoulli_generator.torch.py"].rate() == 0.0
    assert found["solutions/global_rng.torch.py"].draws_failed == 2
