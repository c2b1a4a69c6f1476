"""Follow-up links in question.toml: the bank's own, and broken ones refused with a clear error."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from workers.grading.bank import DEFAULT_BANK_DIR, load_bank, read_question_files
from workers.grading.followups import check_bank_links
from workers.grading.spec import Question, QuestionFormatError, parse_question

LINK = '\n[[followups]]\nquestion = "{target}"\nask = "Now do the next thing, please."\n'


def with_links(files: dict[str, str], *targets: str) -> dict[str, str]:
    toml = files["question.toml"].split("\n[[followups]]")[0]  # the question's own links dropped
    return {**files, "question.toml": toml + "".join(LINK.format(target=t) for t in targets)}


def question(slug: str, *targets: str) -> Question:
    """A bank question with its follow-ups replaced by `targets`."""
    return parse_question(slug, with_links(read_question_files(DEFAULT_BANK_DIR / slug), *targets))


def torch_only(q: Question) -> Question:
    return q.model_copy(update={"spec": q.spec.model_copy(update={"frameworks": ["torch"]})})


def test_the_bank_links_follow_ups_an_interviewer_would_ask() -> None:
    bank = load_bank()
    linked = {slug: [f.question for f in q.spec.followups] for slug, q in bank.items() if q.spec.followups}
    assert len(linked) >= 10
    assert linked["softmax"] == ["log-softmax"]
    assert linked["multi-head-attention"] == ["causal-attention"]
    assert linked["causal-attention"] == ["packed-causal-attention"]
    for slug, targets in linked.items():
        for target in targets:
            assert bank[target].spec.kind == "coding"
            assert set(bank[slug].spec.frameworks) <= set(bank[target].spec.frameworks)
    asks = [f.ask for q in bank.values() for f in q.spec.followups]
    assert len(set(asks)) == len(asks) and all(ask.endswith((".", "?")) for ask in asks)


def test_a_follow_up_is_not_shown_to_candidates() -> None:
    view = load_bank()["softmax"].public_view()
    assert "followups" not in view and "log-softmax" not in str(view)


@pytest.mark.parametrize(
    ("targets", "words"),
    [
        (("softmax",), "'softmax' cannot be a follow-up of itself"),
        (("log-softmax", "log-softmax"), "log-softmax is listed more than once"),
        (("Not A Slug",), "pattern"),
    ],
)
def test_a_spec_refuses_links_it_can_judge_alone(targets: tuple[str, ...], words: str) -> None:
    files = with_links(read_question_files(DEFAULT_BANK_DIR / "softmax"), *targets)
    with pytest.raises(QuestionFormatError) as info:
        parse_question("softmax", files)
    assert info.value.file == "question.toml" and info.value.field.startswith("followups")
    assert words in str(info.value)


def test_an_ask_must_say_something() -> None:
    files = read_question_files(DEFAULT_BANK_DIR / "softmax")
    files["question.toml"] = (
        with_links(files)["question.toml"] + '\n[[followups]]\nquestion = "log-softmax"\nask = ""\n'
    )
    with pytest.raises(QuestionFormatError) as info:
        parse_question("softmax", files)
    assert info.value.field == "followups.0.ask"


def test_a_concept_question_has_no_follow_ups() -> None:
    files = with_links(read_question_files(DEFAULT_BANK_DIR / "concept-jit-python-if"), "softmax")
    with pytest.raises(QuestionFormatError, match="only a coding question has follow-ups"):
        parse_question("concept-jit-python-if", files)


def test_a_link_to_a_missing_question_names_the_entry() -> None:
    bank = {"softmax": question("softmax", "log-softmax", "no-such-question"), "log-softmax": question("log-softmax")}
    with pytest.raises(QuestionFormatError) as info:
        check_bank_links(bank)
    assert info.value.slug == "softmax" and info.value.field == "followups.1.question"
    assert "no question 'no-such-question'" in str(info.value)


def test_a_follow_up_must_have_every_framework_of_its_parent() -> None:
    bank = {"softmax": question("softmax", "log-softmax"), "log-softmax": torch_only(question("log-softmax"))}
    assert bank["log-softmax"].spec.frameworks == ["torch"]
    with pytest.raises(QuestionFormatError, match="'log-softmax' has no jax version"):
        check_bank_links(bank)


def test_a_follow_up_must_be_a_coding_question() -> None:
    bank = {"softmax": question("softmax", "concept-jit-python-if")}
    bank["concept-jit-python-if"] = parse_question(
        "concept-jit-python-if", read_question_files(DEFAULT_BANK_DIR / "concept-jit-python-if")
    )
    with pytest.raises(QuestionFormatError, match="not a coding question"):
        check_bank_links(bank)


def test_a_chain_that_leads_back_is_refused() -> None:
    bank = {
        "softmax": question("softmax", "log-softmax"),
        "log-softmax": question("log-softmax", "cumulative-logsumexp"),
        "cumulative-logsumexp": question("cumulative-logsumexp", "softmax"),
    }
    with pytest.raises(QuestionFormatError, match="softmax -> log-softmax -> cumulative-logsumexp -> softmax"):
        check_bank_links(bank)


def test_a_broken_link_stops_the_cli_with_a_message_not_a_traceback(tmp_path: Path) -> None:
    bank = tmp_path / "bank"
    shutil.copytree(DEFAULT_BANK_DIR / "softmax", bank / "softmax", ignore=shutil.ignore_patterns("__pycache__"))
    spec = bank / "softmax" / "question.toml"
    spec.write_text(with_links({"question.toml": spec.read_text()}, "gone-missing")["question.toml"])
    for command in ("list", "check"):
        proc = subprocess.run(
            [sys.executable, "-m", "app.cli", "questions", command, "--questions-dir", str(bank)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert proc.returncode == 2, proc.stderr
        assert "question 'softmax': question.toml: followups.0.question: no question 'gone-missing'" in proc.stderr
        assert "Traceback" not in proc.stderr
