"""Admins add, change and retire questions; a version is published only after a worker has
graded its reference and solutions with the expected verdicts."""

from __future__ import annotations

import re
import uuid

import pytest

from workers.grading.bank import read_question_files

from .conftest import Api
from .support import Stack, WorkerProcess

WAIT = "?wait=180"


def small_question(stack: Stack, slug: str, expect: str = "wrong_answer") -> dict[str, str]:
    """softmax, torch only, with one solution: quick enough to check in a test."""
    files = read_question_files(stack.settings.bank_dir / "softmax")
    toml = files["question.toml"].replace('slug = "softmax"', f'slug = "{slug}"')
    toml = toml.replace('frameworks = ["torch", "jax"]', 'frameworks = ["torch"]')
    toml = re.sub(r"\[entry\.jax\]\n(?:[^\[\n].*\n)+", "", toml)
    toml = toml[: toml.index("[[solutions]]")]
    toml += (
        f'[[solutions]]\nfile = "solutions/wrong_axis.torch.py"\nframework = "torch"\n'
        f'expect = "{expect}"\nwhy = "Normalises over the wrong axis."\n'
    )
    keep = (
        "prompt.md",
        "cases.py",
        "torch/starter.py",
        "torch/reference.py",
        "solutions/wrong_axis.torch.py",
    )
    return {"question.toml": toml} | {name: files[name] for name in keep}


def _slug() -> str:
    return f"admin-q-{uuid.uuid4().hex[:8]}"


def test_only_admins_change_questions(candidate: Api, stack: Stack) -> None:
    response = candidate.post(f"/api/admin/questions/{_slug()}", json={"files": small_question(stack, "x")})
    assert response.status_code == 403


def test_invalid_files_name_the_problem(admin: Api, stack: Stack) -> None:
    slug = _slug()
    files = small_question(stack, slug)
    del files["prompt.md"]
    response = admin.post(f"/api/admin/questions/{slug}", json={"files": files})
    assert response.status_code == 422
    assert response.json()["detail"]["file"] == "prompt.md"
    broken = small_question(stack, slug) | {"question.toml": "slug = "}
    assert admin.post(f"/api/admin/questions/{slug}", json={"files": broken}).status_code == 422
    unknown = admin.put(f"/api/admin/questions/{slug}", json={"files": small_question(stack, slug)})
    assert unknown.status_code == 404
    assert admin.post("/api/admin/questions/softmax", json={"files": files}).status_code in (
        409,
        422,
    )


def test_failed_check_is_not_published(admin: Api, stack: Stack, worker: WorkerProcess) -> None:
    slug = _slug()
    response = admin.post(
        f"/api/admin/questions/{slug}{WAIT}",
        json={"files": small_question(stack, slug, "accepted")},
    )
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["error"] == "check_failed" and body["state"] == "rejected"
    [failure] = body["check_failures"]
    assert failure["file"] == "solutions/wrong_axis.torch.py" and failure["got"] == "wrong_answer"
    assert admin.get(f"/api/questions/{slug}").status_code == 404


@pytest.mark.slow
def test_create_update_retire_and_versions(admin: Api, candidate: Api, stack: Stack, worker: WorkerProcess) -> None:
    slug = _slug()
    created = admin.post(f"/api/admin/questions/{slug}{WAIT}", json={"files": small_question(stack, slug)})
    assert created.status_code == 201, created.text
    assert created.json()["state"] == "published" and created.json()["version"] == 1
    assert slug in {q["slug"] for q in candidate.get("/api/questions").json()}

    reference = small_question(stack, slug)["torch/reference.py"]
    first = candidate.wait_done(candidate.submit(reference, question=slug))
    assert first["status"] == "accepted" and first["question_version"] == 1

    changed = small_question(stack, slug) | {"prompt.md": "A clearer statement.\n"}
    updated = admin.put(f"/api/admin/questions/{slug}{WAIT}", json={"files": changed})
    assert updated.status_code == 201 and updated.json()["version"] == 2
    assert candidate.get(f"/api/questions/{slug}").json()["prompt"] == "A clearer statement.\n"
    assert candidate.get(f"/api/submissions/{first['id']}").json()["question_version"] == 1
    files = admin.get(f"/api/admin/questions/{slug}/versions/2/files").json()["files"]
    assert files["prompt.md"] == "A clearer statement.\n"

    assert admin.delete(f"/api/admin/questions/{slug}").status_code == 204
    assert candidate.get(f"/api/questions/{slug}").status_code == 404
    assert slug not in {q["slug"] for q in candidate.get("/api/questions").json()}
    versions = admin.get(f"/api/admin/questions/{slug}/versions").json()
    assert [v["version"] for v in versions] == [1, 2] and all(v["retired_at"] for v in versions)
