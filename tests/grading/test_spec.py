"""A broken question file gets an error that names the file and the field."""

import pytest

from workers.grading.bank import DEFAULT_BANK_DIR, load_bank, read_question_files
from workers.grading.spec import QuestionFormatError, parse_question


@pytest.fixture
def softmax_files() -> dict[str, str]:
    return read_question_files(DEFAULT_BANK_DIR / "softmax")


def broken(files: dict[str, str], old: str, new: str) -> dict[str, str]:
    assert old in files["question.toml"]
    return {**files, "question.toml": files["question.toml"].replace(old, new, 1)}


def test_the_bank_loads() -> None:
    bank = load_bank()
    assert "softmax" in bank
    assert bank["softmax"].spec.entry["torch"].name == "softmax"


@pytest.mark.parametrize(
    ("old", "new", "field", "words"),
    [
        ('difficulty = "easy"', 'difficulty = "trivial"', "difficulty", "easy"),
        ("time_limit_s = 10", "time_limit_s = -1", "limits.time_limit_s", "greater than 0"),
        ("time_limit_s = 10", "time_limit = 10", "limits.time_limit", "Extra inputs"),
        ('kind = "coding"', 'kind = "quiz"', "kind", "coding"),
        ('expect = "accepted"', 'expect = "great"', "solutions.0.expect", "accepted"),
        ('slug = "softmax"', 'slug = "Soft Max"', "slug", "pattern"),
    ],
)
def test_schema_errors_name_the_field(softmax_files, old, new, field, words) -> None:
    with pytest.raises(QuestionFormatError) as info:
        parse_question("softmax", broken(softmax_files, old, new))
    assert info.value.file == "question.toml"
    assert info.value.field == field
    assert words in str(info.value)


def test_invalid_toml_names_the_file(softmax_files) -> None:
    with pytest.raises(QuestionFormatError, match=r"question.toml: invalid TOML"):
        parse_question("softmax", {**softmax_files, "question.toml": "title = ["})


def test_missing_reference_names_the_file(softmax_files) -> None:
    files = dict(softmax_files)
    del files["jax/reference.py"]
    with pytest.raises(QuestionFormatError) as info:
        parse_question("softmax", files)
    assert info.value.file == "jax/reference.py"


def test_missing_solution_file_names_the_entry(softmax_files) -> None:
    files = {k: v for k, v in softmax_files.items() if k != "solutions/bfloat16.jax.py"}
    with pytest.raises(QuestionFormatError) as info:
        parse_question("softmax", files)
    assert info.value.field.startswith("solutions.") and "bfloat16.jax.py" in str(info.value)


def test_cases_syntax_error_names_the_line(softmax_files) -> None:
    with pytest.raises(QuestionFormatError) as info:
        parse_question("softmax", {**softmax_files, "cases.py": "def make_inputs(:\n"})
    assert info.value.file == "cases.py" and info.value.field == "line 1"


def test_folder_name_must_match_slug(softmax_files) -> None:
    with pytest.raises(QuestionFormatError, match="does not match the folder"):
        parse_question("other-name", softmax_files)


def test_public_view_hides_references_hidden_tests_and_seeds(softmax_files) -> None:
    question = parse_question("softmax", softmax_files)
    view = question.public_view()
    text = repr(view)
    for framework in ("torch", "jax"):
        assert "amax" not in view["starter"][framework]
        assert question.reference(framework).strip() not in text
    assert "make_inputs" not in text  # the trusted cases module stays on the judge
    assert "huge_logits" not in text and "seed" not in text
    assert "solutions/" not in text
    assert view["hidden_test_count"] == len(question.spec.tests)
    assert set(view["starter"]) == {"torch", "jax"}
