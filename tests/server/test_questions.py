"""The public question API, the bank sync and export, and question versioning."""

from __future__ import annotations

import tomllib
from pathlib import Path

from fastapi.testclient import TestClient

from app.questions.bank_sync import export_bank, sync_bank
from app.questions.service import current_version, versions_of
from tests.support import with_followups
from workers.grading.bank import read_question_files

from .support import Stack


def test_list_and_filters(client: TestClient, stack: Stack) -> None:
    listed = client.get("/api/questions").json()
    slugs = {q["slug"] for q in listed}
    assert "softmax" in slugs
    # The test bank's coding questions: softmax and the follow-ups it leads to (all numerics).
    coding = sorted(with_followups(["softmax"], stack.settings.bank_dir))
    assert len(coding) > 1 and [q["slug"] for q in client.get("/api/questions?kind=coding").json()] == coding
    assert all(q["kind"] == "concept" for q in client.get("/api/questions?kind=concept").json())
    assert [q["slug"] for q in client.get("/api/questions?tag=numerics").json()] == coding
    assert "softmax" in {q["slug"] for q in client.get("/api/questions?framework=jax").json()}
    assert client.get("/api/questions?difficulty=hard&tag=numerics").json() == []
    bad = client.get("/api/questions?framework=tensorflow")
    assert bad.status_code == 422 and bad.json()["error"] == "invalid"


def test_detail_never_leaks_references_or_hidden_tests(client: TestClient) -> None:
    body = client.get("/api/questions/softmax").json()
    assert body["prompt"] and "def softmax" in body["starter"]["torch"]
    assert body["examples"] and body["hidden_test_count"] > 0
    text = str(body)
    reference = Path("questions/softmax/torch/reference.py").read_text()
    assert reference.strip() not in text
    assert not {"files", "tests", "solutions", "reference", "cases"} & set(body)
    for secret in ("'seed'", "huge_logits", "very_negative_logits", "def make_inputs"):
        assert secret not in text, secret


def test_unknown_question(client: TestClient) -> None:
    response = client.get("/api/questions/no-such-thing")
    assert response.status_code == 404 and response.json()["error"] == "not_found"


def test_sync_is_idempotent_and_a_change_is_a_new_version(stack: Stack, tmp_path: Path) -> None:
    bank = tmp_path / "bank"
    files = read_question_files(stack.settings.bank_dir / "softmax")
    slug = "softmax-sync-copy"
    files["question.toml"] = files["question.toml"].replace('slug = "softmax"', f'slug = "{slug}"')
    _write(bank / slug, files)
    with stack.database.session() as db:
        assert sync_bank(db, bank).added == [slug]
    with stack.database.session() as db:
        assert sync_bank(db, bank).unchanged == [slug]
    files["prompt.md"] += "\nOne more sentence.\n"
    _write(bank / slug, files)
    with stack.database.session() as db:
        assert sync_bank(db, bank).updated == [slug]
        versions = versions_of(db, slug)
        assert [v.version for v in versions] == [1, 2]
        current = current_version(db, slug)
        assert current is not None and current.version == 2 and not versions[0].is_current


def test_export_round_trip(stack: Stack, tmp_path: Path) -> None:
    with stack.database.session() as db:
        assert export_bank(db, tmp_path, ["softmax"]) == ["softmax"]
    exported = read_question_files(tmp_path / "softmax")
    assert exported == read_question_files(stack.settings.bank_dir / "softmax")
    assert tomllib.loads(exported["question.toml"])["slug"] == "softmax"


def _write(folder: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(text)
