"""Reading question folders from disk into validated `Question` objects."""

from __future__ import annotations

from pathlib import Path

from .followups import check_bank_links
from .spec import Question, QuestionFormatError, parse_question

DEFAULT_BANK_DIR = Path(__file__).resolve().parents[2] / "questions"
_TEXT_SUFFIXES = {".toml", ".md", ".py", ".txt", ".json"}
MAX_QUESTION_FILE_BYTES = 256 * 1024


def read_question_files(folder: Path) -> dict[str, str]:
    """Every text file of a question folder as relative path -> text."""
    files: dict[str, str] = {}
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.suffix not in _TEXT_SUFFIXES or "__pycache__" in path.parts:
            continue
        rel = path.relative_to(folder).as_posix()
        if path.stat().st_size > MAX_QUESTION_FILE_BYTES:
            raise QuestionFormatError(folder.name, rel, "", "file is larger than 256 KiB")
        try:
            files[rel] = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise QuestionFormatError(folder.name, rel, "", "file is not UTF-8") from exc
    return files


def load_question(folder: Path) -> Question:
    return parse_question(folder.name, read_question_files(folder))


def load_bank(root: Path = DEFAULT_BANK_DIR, *, check_followups: bool = True) -> dict[str, Question]:
    """All questions under `root`, keyed by slug. Any broken folder, or a follow-up link to a
    question the bank cannot give, stops the load loudly (the links are left to the caller with
    `check_followups=False`, for one that can also resolve them elsewhere)."""
    bank: dict[str, Question] = {}
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(("_", "."))):
        question = load_question(folder)
        bank[question.slug] = question
    if check_followups:
        check_bank_links(bank)
    return bank


def write_question_files(folder: Path, files: dict[str, str]) -> None:
    """Export a question (e.g. an admin's edit stored in the database) back to a folder."""
    for rel, text in files.items():
        target = (folder / rel).resolve()
        if folder.resolve() not in target.parents:
            raise QuestionFormatError(folder.name, rel, "", "path escapes the question folder")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
