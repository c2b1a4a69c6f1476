"""/api/rubrics: the rubrics an interviewer may score sessions against."""

from __future__ import annotations

from fastapi import APIRouter, Response

from app.accounts.deps import InterviewerUser
from app.core.deps import SessionDep
from app.core.errors import Forbidden

from . import service
from .schemas import RubricIn, RubricOut

router = APIRouter(tags=["rubrics"])
SHIPPED_IS_READ_ONLY = "the shipped rubric cannot be changed or deleted: make your own instead"


@router.get("/api/rubrics", response_model=list[RubricOut])
def list_rubrics(db: SessionDep, user: InterviewerUser) -> list[RubricOut]:
    """The shipped rubric (id "default") first, then the caller's and their team's."""
    return service.visible_out(db, user)


@router.post("/api/rubrics", status_code=201, response_model=RubricOut)
def create_rubric(body: RubricIn, db: SessionDep, user: InterviewerUser) -> RubricOut:
    return service.to_out(user, service.create(db, user, body))


@router.get("/api/rubrics/{rubric_id}", response_model=RubricOut)
def get_rubric(rubric_id: str, db: SessionDep, user: InterviewerUser) -> RubricOut:
    number = service.parse_id(rubric_id)
    if number is None:
        return service.default_out()
    return service.to_out(user, service.get_visible(db, user, number))


@router.put("/api/rubrics/{rubric_id}", response_model=RubricOut)
def change_rubric(rubric_id: str, body: RubricIn, db: SessionDep, user: InterviewerUser) -> RubricOut:
    number = service.parse_id(rubric_id)
    if number is None:
        raise Forbidden(SHIPPED_IS_READ_ONLY)
    return service.to_out(user, service.change(db, service.get_editable(db, user, number), body))


@router.delete("/api/rubrics/{rubric_id}", status_code=204)
def delete_rubric(rubric_id: str, db: SessionDep, user: InterviewerUser) -> Response:
    number = service.parse_id(rubric_id)
    if number is None:
        raise Forbidden(SHIPPED_IS_READ_ONLY)
    service.delete(db, service.get_editable(db, user, number))
    return Response(status_code=204)
