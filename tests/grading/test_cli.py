"""`dojo grade` and `dojo questions` as a user runs them: real processes, real sandbox."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import require_bwrap
from workers.grading.bank import DEFAULT_BANK_DIR

pytestmark = pytest.mark.slow
SOFTMAX = DEFAULT_BANK_DIR / "softmax"


def dojo(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args], capture_output=True, text=True, timeout=300, env=env
    )


@pytest.fixture(autouse=True)
def _sandbox() -> None:
    require_bwrap()


def test_grade_json_accepted_prints_one_object_and_exits_0() -> None:
    proc = dojo("grade", str(SOFTMAX / "solutions/stable.torch.py"), "--question", "softmax",
                "--framework", "torch", "--mode", "run", "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)  # exactly one JSON document on stdout
    assert data["status"] == "accepted"
    assert {t["name"] for t in data["tests"]} == {"small", "uniform_row"}
    assert all(t["passed"] for t in data["tests"])
    assert data["timing"]["speedup"] is None  # run mode measures no speed


def test_grade_json_submit_has_timing_for_jax() -> None:
    proc = dojo("grade", str(SOFTMAX / "solutions/stable.jax.py"), "--question", "softmax",
                "--framework", "jax", "--mode", "submit", "--json")
    assert proc.returncode == 0, proc.stderr
    timing = json.loads(proc.stdout)["timing"]
    assert timing["submission_ms"] > 0 and timing["reference_ms"] > 0
    assert timing["speedup_ci_low"] <= timing["speedup"] <= timing["speedup_ci_high"]
    assert timing["speed_verdict"] in {"faster", "slower", "tied"}
    assert timing["submission_compile_ms"] is not None


def test_grade_wrong_answer_exits_1_with_readable_report() -> None:
    proc = dojo("grade", str(SOFTMAX / "solutions/naive_exp.torch.py"), "--question", "softmax",
                "--framework", "torch", "--mode", "submit")
    assert proc.returncode == 1
    assert "WRONG ANSWER" in proc.stdout
    assert "subtract the row maximum" in proc.stdout


def test_unknown_question_is_a_usage_error(tmp_path: Path) -> None:
    source = tmp_path / "x.py"
    source.write_text("def softmax(x):\n    return x\n")
    proc = dojo("grade", str(source), "--question", "nope", "--framework", "torch")
    assert proc.returncode == 2
    assert "unknown question 'nope'" in proc.stderr


def test_missing_file_is_a_usage_error() -> None:
    proc = dojo("grade", "/nonexistent.py", "--question", "softmax", "--framework", "torch")
    assert proc.returncode == 2 and "cannot read" in proc.stderr


def test_refuses_to_run_without_bubblewrap(monkeypatch, capsys) -> None:
    from app.cli import main
    from workers.grading.sandbox import bwrap

    monkeypatch.setattr(bwrap, "BWRAP_CANDIDATES", ("/nonexistent/bwrap",))
    with pytest.raises(SystemExit) as info:
        main(["grade", str(SOFTMAX / "solutions/stable.torch.py"), "--question", "softmax",
              "--framework", "torch"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "apt-get install -y bubblewrap" in err
    assert "--unsafe-no-sandbox" in err


def test_questions_list_json() -> None:
    proc = dojo("questions", "list", "--json")
    assert proc.returncode == 0
    rows = json.loads(proc.stdout)
    softmax = next(r for r in rows if r["slug"] == "softmax")
    assert softmax["kind"] == "coding" and softmax["frameworks"] == ["torch", "jax"]
    assert softmax["title"]


def test_questions_check_reports_a_broken_bank(tmp_path: Path) -> None:
    bank = tmp_path / "bank"
    (bank / "softmax").mkdir(parents=True)
    for path in SOFTMAX.rglob("*"):
        if path.is_file():
            target = bank / "softmax" / path.relative_to(SOFTMAX)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    toml = bank / "softmax" / "question.toml"
    toml.write_text(toml.read_text().replace("rtol = 1e-4", "rtol = -1"))
    proc = dojo("questions", "check", "--questions-dir", str(bank))
    assert proc.returncode == 2
    assert "question.toml: tolerance.rtol" in proc.stderr
