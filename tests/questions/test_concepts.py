"""Concept questions: every folder validates, the bank keeps its mix of formats, and the
answer keys hold: predict_output snippets are run and their output compared, and the
multiple-choice keys are pinned here so a flipped `correct` flag is caught."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from collections import Counter
from pathlib import Path

import pytest

from workers.grading.bank import load_question
from workers.grading.spec import Question

QUESTIONS_DIR = Path(__file__).resolve().parents[2] / "questions"
CONCEPT_DIRS = sorted(p for p in QUESTIONS_DIR.glob("concept-*") if p.is_dir())
SNIPPET_TIMEOUT_S = 60

MIN_TOTAL = 30
MIN_PER_FORMAT = {"predict_output": 10, "multiple_choice": 12, "multiple_select": 3, "short_answer": 8}

ONE_ANSWER = "Choose one."
ALL_THAT_APPLY = "Choose all that apply."

# The 0-based indices of the correct options of every multiple-choice question.
ANSWER_KEY: dict[str, set[int]] = {
    "concept-autodiff-tape-vs-transforms": {3},
    "concept-checkpointing-remat": {2},
    "concept-data-dependent-control-flow": {1},
    "concept-eager-vs-tracing": {1},
    "concept-ecosystem-libraries": {2},
    "concept-export-paths": {3},
    "concept-host-sync-points": {0, 2, 4, 5},
    "concept-jit-retrace-triggers": {1, 2, 3, 4},
    "concept-nan-debugging-tools": {0, 1, 3, 5},
    "concept-no-grad-vs-stop-gradient": {3},
    "concept-prng-explicit-keys": {1},
    "concept-sharding-vs-ddp-fsdp": {2},
    "concept-torch-compile-graph-breaks": {3},
    "concept-train-eval-modes": {1},
    "concept-vmap-semantics": {2},
}


def _raw_format(folder: Path) -> str | None:
    """The concept format read straight from the TOML, for choosing parameters at collection
    time; a broken file gives None here and fails loudly in test_concept_question_loads."""
    try:
        raw = tomllib.loads((folder / "question.toml").read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return None
    concept = raw.get("concept")
    return concept.get("format") if isinstance(concept, dict) else None


def _dirs_of(fmt: str) -> list[Path]:
    return [d for d in CONCEPT_DIRS if _raw_format(d) == fmt]


def _ids(dirs: list[Path]) -> list[str]:
    return [d.name for d in dirs]


def _load(folder: Path) -> Question:
    question = load_question(folder)
    assert question.spec.concept is not None
    return question


@pytest.mark.parametrize("folder", CONCEPT_DIRS, ids=_ids(CONCEPT_DIRS))
def test_concept_question_loads(folder: Path) -> None:
    question = _load(folder)
    spec = question.spec
    assert spec.kind == "concept"
    assert spec.slug == folder.name and spec.slug.startswith("concept-")
    assert spec.version == 1
    assert spec.tags, "tag the question so it can be found"
    assert spec.concept is not None
    assert spec.concept.topic.strip()
    assert spec.concept.model_answer.strip()
    assert question.prompt.strip().startswith("# "), "prompt.md opens with a title"
    if spec.concept.snippet_framework is not None:
        assert spec.concept.snippet_framework in spec.frameworks


def test_bank_has_the_promised_mix() -> None:
    specs = [_load(d).spec for d in CONCEPT_DIRS]
    formats: Counter[str] = Counter(s.concept.format for s in specs if s.concept is not None)
    assert sum(formats.values()) >= MIN_TOTAL, formats
    for fmt, minimum in MIN_PER_FORMAT.items():
        assert formats[fmt] >= minimum, (fmt, formats)
    difficulties = Counter(s.difficulty for s in specs)
    assert set(difficulties) == {"easy", "medium", "hard"}, difficulties


PREDICT_DIRS = _dirs_of("predict_output")


@pytest.mark.parametrize("folder", PREDICT_DIRS, ids=_ids(PREDICT_DIRS))
def test_predict_output_snippet_prints_the_expected_output(folder: Path, tmp_path: Path) -> None:
    concept = _load(folder).spec.concept
    assert concept is not None and concept.snippet and concept.expected_output is not None
    script = tmp_path / "snippet.py"
    script.write_text(concept.snippet, encoding="utf-8")
    env = {
        **os.environ,
        "JAX_PLATFORMS": "cpu",
        "CUDA_VISIBLE_DEVICES": "",
        "PYTHONHASHSEED": "0",
        "OMP_NUM_THREADS": "1",
    }
    env.pop("JAX_ENABLE_X64", None)
    try:
        result = subprocess.run(
            [sys.executable, str(script)],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=SNIPPET_TIMEOUT_S,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{folder.name}: snippet ran past {SNIPPET_TIMEOUT_S} s")
    assert result.returncode == 0, f"{folder.name}: snippet failed:\n{result.stderr}"
    assert result.stdout.strip() == concept.expected_output.strip(), (
        f"{folder.name}: the answer key no longer matches what the snippet prints.\n"
        f"--- printed ---\n{result.stdout}\n--- expected ---\n{concept.expected_output}"
    )


@pytest.mark.parametrize("folder", PREDICT_DIRS, ids=_ids(PREDICT_DIRS))
def test_predict_output_prompt_shows_the_snippet(folder: Path) -> None:
    question = _load(folder)
    concept = question.spec.concept
    assert concept is not None and concept.snippet
    assert concept.snippet.strip() in question.prompt, "prompt.md must show the exact snippet"
    assert "```python" in question.prompt
    assert not concept.options


MC_DIRS = _dirs_of("multiple_choice") + _dirs_of("multiple_select")


@pytest.mark.parametrize("folder", MC_DIRS, ids=_ids(MC_DIRS))
def test_multiple_choice_key(folder: Path) -> None:
    question = _load(folder)
    concept = question.spec.concept
    assert concept is not None
    options = concept.options
    assert len(options) >= 3
    texts = [o.text.strip() for o in options]
    assert all(texts) and len(set(texts)) == len(texts), "option texts are distinct"
    assert all(o.explanation.strip() for o in options), "every option explains itself"
    correct = {i for i, o in enumerate(options) if o.correct}
    assert folder.name in ANSWER_KEY, "add the question to ANSWER_KEY"
    assert correct == ANSWER_KEY[folder.name]
    one = ONE_ANSWER in question.prompt
    many = ALL_THAT_APPLY in question.prompt
    assert one != many, f"prompt.md says either '{ONE_ANSWER}' or '{ALL_THAT_APPLY}'"
    # "Choose all that apply" is graded as a set, so it must be declared multiple_select.
    assert (concept.format == "multiple_select") == many, (folder.name, concept.format)
    if one:
        assert len(correct) == 1
    else:
        assert 1 <= len(correct) < len(options)


def test_answer_key_names_only_existing_questions() -> None:
    assert set(ANSWER_KEY) == {d.name for d in MC_DIRS}


SHORT_DIRS = _dirs_of("short_answer")


@pytest.mark.parametrize("folder", SHORT_DIRS, ids=_ids(SHORT_DIRS))
def test_short_answer_has_a_substantial_model_answer(folder: Path) -> None:
    concept = _load(folder).spec.concept
    assert concept is not None
    assert len(concept.model_answer.split()) >= 60
    assert not concept.options and concept.snippet is None
