"""The rubrics page (/rubrics): the rubrics an interviewer may use, and a form to make one."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from app.accounts.models import User
from app.core.deps import SessionDep
from app.rubrics import service as rubrics
from app.rubrics.defaults import DEFAULT_CRITERIA
from app.rubrics.schemas import RubricIn, explain

from .deps import Csrf, PageInterviewer, PageRoute
from .templating import render, set_flash

router = APIRouter(route_class=PageRoute, include_in_schema=False)
MAX_CRITERIA_JSON = 64 * 1024
EXAMPLE = json.dumps(DEFAULT_CRITERIA[:2], indent=2)


def _page(request: Request, db: SessionDep, user: User, status_code: int = 200, **context: Any) -> Response:
    data = {
        "section": "rubrics",
        "rubrics": rubrics.visible_out(db, user),
        "form": {"name": "", "criteria": EXAMPLE, "is_default": False},
        **context,
    }
    return render(request, "rubrics/list.html", data, status_code=status_code)


@router.get("/rubrics")
def rubrics_page(request: Request, db: SessionDep, user: PageInterviewer) -> Response:
    return _page(request, db, user)


def parse_rubric(name: str, criteria: str, is_default: bool) -> RubricIn:
    """The form's fields as a rubric, or ValueError with what to fix."""
    if len(criteria) > MAX_CRITERIA_JSON:
        raise ValueError(f"the criteria are over {MAX_CRITERIA_JSON // 1024} KiB")
    try:
        parsed = json.loads(criteria)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise ValueError(f"the criteria are not valid JSON: {exc.msg} ({where})") from None
    try:
        return RubricIn.model_validate({"name": name, "criteria": parsed, "is_default": is_default})
    except ValidationError as exc:
        raise ValueError(explain(exc)) from None


@router.post("/rubrics", dependencies=[Csrf])
def create_rubric(
    request: Request,
    db: SessionDep,
    user: PageInterviewer,
    name: Annotated[str, Form()] = "",
    criteria: Annotated[str, Form()] = "",
    is_default: Annotated[str, Form()] = "",
) -> Response:
    try:
        body = parse_rubric(name, criteria, bool(is_default))
    except ValueError as exc:
        form = {"name": name[:100], "criteria": criteria[:MAX_CRITERIA_JSON], "is_default": bool(is_default)}
        return _page(request, db, user, 422, error=str(exc), form=form)
    rubric = rubrics.create(db, user, body)
    response = RedirectResponse(f"/rubrics#rubric-{rubric.id}", 303)
    set_flash(response, "success", f"Rubric {rubric.name} saved: pick it when you create a session.")
    return response


@router.post("/rubrics/{rubric_id}/delete", dependencies=[Csrf])
def delete_rubric(rubric_id: int, db: SessionDep, user: PageInterviewer) -> Response:
    rubric = rubrics.get_editable(db, user, rubric_id)
    name = rubric.name
    rubrics.delete(db, rubric)
    response = RedirectResponse("/rubrics", 303)
    set_flash(response, "info", f"Rubric {name} deleted; sessions that used it keep their copy.")
    return response
