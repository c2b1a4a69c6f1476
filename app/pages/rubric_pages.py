"""The rubrics page (/rubrics): the rubrics an interviewer may use, and a form to make one,
change one of one's own, or start from any rubric one sees."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from app.accounts.models import User
from app.core.deps import SessionDep
from app.rubrics import service as rubrics
from app.rubrics.defaults import DEFAULT_CRITERIA, DEFAULT_NAME
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


def _form_of(name: str, criteria: list[dict[str, Any]], is_default: bool = False) -> dict[str, Any]:
    return {"name": name, "criteria": json.dumps(criteria, indent=2), "is_default": is_default}


@router.get("/rubrics")
def rubrics_page(request: Request, db: SessionDep, user: PageInterviewer, start: str | None = None) -> Response:
    """`start`: a rubric the caller sees (or "default"), copied into the new-rubric form."""
    if start is None:
        return _page(request, db, user)
    number = rubrics.parse_id(start)
    if number is None:
        return _page(request, db, user, form=_form_of(f"Copy of {DEFAULT_NAME}", DEFAULT_CRITERIA))
    source = rubrics.get_visible(db, user, number)
    return _page(request, db, user, form=_form_of(f"Copy of {source.name}"[:100], source.criteria))


@router.get("/rubrics/{rubric_id}/edit")
def edit_rubric_page(request: Request, rubric_id: int, db: SessionDep, user: PageInterviewer) -> Response:
    rubric = rubrics.get_editable(db, user, rubric_id)
    return _page(request, db, user, editing=rubric.id,
                 form=_form_of(rubric.name, rubric.criteria, rubric.is_default))


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


@dataclass(frozen=True)
class Refused:
    """A rubric form that did not validate: what to fix, and the form as typed to show again."""

    error: str
    form: dict[str, Any]


def _parsed_form(name: str, criteria: str, is_default: str) -> RubricIn | Refused:
    try:
        return parse_rubric(name, criteria, bool(is_default))
    except ValueError as exc:
        form = {"name": name[:100], "criteria": criteria[:MAX_CRITERIA_JSON], "is_default": bool(is_default)}
        return Refused(str(exc), form)


@router.post("/rubrics", dependencies=[Csrf])
def create_rubric(
    request: Request,
    db: SessionDep,
    user: PageInterviewer,
    name: Annotated[str, Form()] = "",
    criteria: Annotated[str, Form()] = "",
    is_default: Annotated[str, Form()] = "",
) -> Response:
    body = _parsed_form(name, criteria, is_default)
    if isinstance(body, Refused):
        return _page(request, db, user, 422, error=body.error, form=body.form)
    rubric = rubrics.create(db, user, body)
    response = RedirectResponse(f"/rubrics#rubric-{rubric.id}", 303)
    set_flash(response, "success", f"Rubric {rubric.name} saved: pick it when you create a session.")
    return response


@router.post("/rubrics/{rubric_id}", dependencies=[Csrf])
def change_rubric(
    request: Request,
    rubric_id: int,
    db: SessionDep,
    user: PageInterviewer,
    name: Annotated[str, Form()] = "",
    criteria: Annotated[str, Form()] = "",
    is_default: Annotated[str, Form()] = "",
) -> Response:
    rubric = rubrics.get_editable(db, user, rubric_id)
    body = _parsed_form(name, criteria, is_default)
    if isinstance(body, Refused):
        return _page(request, db, user, 422, error=body.error, form=body.form, editing=rubric.id)
    rubrics.change(db, rubric, body)
    response = RedirectResponse(f"/rubrics#rubric-{rubric.id}", 303)
    set_flash(response, "success", f"Rubric {rubric.name} saved; sessions created before keep their copy.")
    return response


@router.post("/rubrics/{rubric_id}/delete", dependencies=[Csrf])
def delete_rubric(rubric_id: int, db: SessionDep, user: PageInterviewer) -> Response:
    rubric = rubrics.get_editable(db, user, rubric_id)
    name = rubric.name
    rubrics.delete(db, rubric)
    response = RedirectResponse("/rubrics", 303)
    set_flash(response, "info", f"Rubric {name} deleted; sessions that used it keep their copy.")
    return response
