"""Practice pages: the problem list, a problem's workspace, submissions, history, references."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from app.core.deps import SessionDep
from app.core.errors import Invalid, NotFound
from app.questions import service as questions
from app.submissions import service as submissions
from app.submissions.models import Submission

from . import concepts
from . import practice_service as practice
from .deps import Csrf, PageRoute, PageUserOptional, PageUserRequired, SubmissionQuota, wants_json
from .templating import render
from .verdicts import verdict_view

router = APIRouter(route_class=PageRoute, include_in_schema=False)
FILTER_VALUES = {
    "kind": ("coding", "concept"),
    "framework": ("torch", "jax"),
    "difficulty": ("easy", "medium", "hard"),
    "status": ("solved", "attempted", "todo"),
}


def _choice(name: str, value: str | None) -> str:
    return value if value in FILTER_VALUES[name] else ""


@router.get("/questions")
def question_list(
    request: Request,
    db: SessionDep,
    user: PageUserOptional,
    kind: str | None = None,
    framework: str | None = None,
    difficulty: str | None = None,
    tag: str | None = None,
    q: str = "",
    status: str | None = None,
) -> Response:
    filters: dict[str, str | None] = {
        "kind": _choice("kind", kind) or None,
        "framework": _choice("framework", framework) or None,
        "difficulty": _choice("difficulty", difficulty) or None,
        "tag": (tag or "")[:64] or None,
    }
    search = q.strip()[:100]
    chosen_status = _choice("status", status)
    rows, progress = practice.filter_questions(db, filters, search, chosen_status, user)
    all_rows = questions.list_current(db, {})
    coding = [r for r in all_rows if r["kind"] == "coding"]
    solved = sum(1 for r in coding if (p := progress.get(r["slug"])) and p.status == "solved")
    context = {
        "section": "questions",
        "rows": rows,
        "progress": progress,
        "filters": {**filters, "q": search, "status": chosen_status},
        "tags": practice.all_tags(db),
        "summary": {
            "coding_total": len(coding),
            "solved": solved,
            "attempted": sum(1 for p in progress.values() if p.status == "attempted"),
            "concepts": len(all_rows) - len(coding),
        },
        "any_filter": any(filters.values()) or bool(search) or bool(chosen_status),
    }
    return render(request, "questions/list.html", context)


def _code_for(db: SessionDep, user: Any, view: dict[str, Any], framework: str) -> dict[str, Any]:
    last = practice.latest_code(db, user, view["slug"], framework)
    if last is not None:
        return {
            "code": last.code,
            "code_source": "submission",
            "code_saved_at": last.created_at,
            "last": last,
        }
    return {
        "code": view["starter"][framework],
        "code_source": "starter",
        "code_saved_at": None,
        "last": None,
    }


@router.get("/questions/{slug}")
def question_page(
    request: Request,
    slug: str,
    db: SessionDep,
    user: PageUserOptional,
    framework: str | None = None,
    review: int | None = None,
) -> Response:
    row = questions.get_current(db, slug)
    view = questions.public_view(row)
    if view["kind"] == "concept":
        return concepts.card_page(request, db, user, row, view, review)
    frameworks: list[str] = view["frameworks"]
    chosen = framework if framework is not None and framework in frameworks else frameworks[0]
    context = _code_for(db, user, view, chosen)
    last: Submission | None = context["last"]
    context.update(
        q=view,
        section="questions",
        framework=chosen,
        solved=practice.has_solved(db, user, slug),
        submission_count=len(practice.history(db, user, slug)) if user else 0,
        last_view=verdict_view(last.verdict) if last is not None and last.verdict else None,
        chart=_chart_for(db, last),
        solutions_url=f"/questions/{slug}/solutions",
    )
    return render(request, "questions/question.html", context)


def _chart_for(db: SessionDep, sub: Submission | None) -> dict[str, Any] | None:
    if sub is None or sub.mode != "submit" or sub.status != "accepted":
        return None
    return practice.runtime_chart(db, sub.question_slug, sub.framework, sub)


@router.post("/questions/{slug}/submissions", dependencies=[Csrf, SubmissionQuota])
def submit(
    request: Request,
    slug: str,
    db: SessionDep,
    user: PageUserRequired,
    framework: Annotated[str, Form()] = "",
    code: Annotated[str, Form()] = "",
    mode: Annotated[str, Form()] = "run",
) -> Response:
    if mode not in ("run", "submit"):
        raise Invalid("mode must be run or submit")
    sub = submissions.create_submission(db, question=slug, framework=framework, code=code, mode=mode, user=user)
    if wants_json(request):
        body = {
            "id": sub.id,
            "events_url": f"/api/submissions/{sub.id}/events",
            "panel_url": f"/submissions/{sub.id}/panel",
        }
        return JSONResponse(body, status_code=202)
    return RedirectResponse(f"/submissions/{sub.id}", 303)


def _submission_context(db: SessionDep, sub: Submission) -> dict[str, Any]:
    return {
        "sub": sub,
        "v": verdict_view(sub.verdict) if sub.verdict else None,
        "chart": _chart_for(db, sub),
        "solutions_url": f"/questions/{sub.question_slug}/solutions",
    }


@router.get("/submissions/{submission_id}/panel")
def submission_panel(request: Request, submission_id: str, db: SessionDep, user: PageUserRequired) -> Response:
    sub = practice.submission_for_page(db, user, submission_id)
    return render(request, "partials/result.html", _submission_context(db, sub))


@router.get("/submissions/{submission_id}")
def submission_page(request: Request, submission_id: str, db: SessionDep, user: PageUserRequired) -> Response:
    sub = practice.submission_for_page(db, user, submission_id)
    row = questions.current_version(db, sub.question_slug, include_retired=True)
    context = _submission_context(db, sub)
    context.update(section="questions", title=row.title if row else sub.question_slug)
    return render(request, "questions/submission.html", context)


@router.get("/questions/{slug}/submissions")
def history_page(request: Request, slug: str, db: SessionDep, user: PageUserRequired) -> Response:
    row = questions.get_current(db, slug)
    if row.kind != "coding":
        raise NotFound("concept questions have no submissions")
    rows = practice.history(db, user, slug)
    context = {
        "section": "questions",
        "q": {"slug": row.slug, "title": row.title},
        "rows": [(s, verdict_view(s.verdict) if s.verdict else None) for s in rows],
        "solved": practice.has_solved(db, user, slug),
    }
    return render(request, "questions/history.html", context)


@router.get("/questions/{slug}/solutions")
def solutions_page(request: Request, slug: str, db: SessionDep, user: PageUserOptional) -> Response:
    row = questions.get_current(db, slug)
    if row.kind != "coding":
        raise NotFound("concept questions have model answers, not solutions")
    references = practice.references(db, user, row)
    context = {
        "section": "questions",
        "q": questions.public_view(row),
        "references": references,
        "mine": practice.best_accepted(db, user, slug) if references else None,
    }
    return render(request, "questions/solutions.html", context, status_code=200)


router.include_router(concepts.router)
