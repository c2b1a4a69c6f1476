"""Rubrics: who sees which, create, change, delete, and the copy a session keeps.

Functions take the caller's session and never commit.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.accounts.models import Role, User
from app.core.database import utcnow
from app.core.errors import Forbidden, NotFound
from app.teams.service import team_of, teammate_ids

from .defaults import DEFAULT_ID, default_snapshot
from .models import Rubric
from .schemas import RubricIn, RubricOut


def _sees_all(user: User) -> bool:
    return user.has_role(Role.ADMIN)


def can_edit(user: User, rubric: Rubric) -> bool:
    return rubric.owner_id == user.id or _sees_all(user)


def list_visible(db: Session, user: User) -> list[Rubric]:
    """The caller's rubrics and their team's (admins: all), by name."""
    query = select(Rubric).order_by(Rubric.name, Rubric.id)
    if not _sees_all(user):
        query = query.where(Rubric.owner_id.in_(teammate_ids(db, user)))
    return list(db.scalars(query.limit(500)))


def get_visible(db: Session, user: User, rubric_id: int) -> Rubric:
    """A rubric of the caller or of their team (admins: any); others answer 404."""
    rubric = db.get(Rubric, rubric_id)
    if rubric is None or not (_sees_all(user) or rubric.owner_id in teammate_ids(db, user)):
        raise NotFound("no such rubric")
    return rubric


def get_editable(db: Session, user: User, rubric_id: int) -> Rubric:
    rubric = get_visible(db, user, rubric_id)
    if not can_edit(user, rubric):
        raise Forbidden("only the rubric's owner can change or delete it")
    return rubric


def parse_id(value: str | int | None) -> int | None:
    """A rubric id from a path or a form: None for the shipped rubric, 404 for nonsense."""
    if value is None or value == DEFAULT_ID:
        return None
    if isinstance(value, int):
        return value
    if value.isascii() and value.isdigit() and len(value) < 10:
        return int(value)
    raise NotFound("no such rubric")


def _clear_other_defaults(db: Session, rubric: Rubric) -> None:
    db.execute(
        update(Rubric)
        .where(Rubric.owner_id == rubric.owner_id, Rubric.id != rubric.id)
        .values(is_default=False)
        .execution_options(synchronize_session="fetch")
    )


def create(db: Session, user: User, body: RubricIn) -> Rubric:
    team = team_of(db, user.id)
    rubric = Rubric(
        owner_id=user.id,
        team_id=team.id if team is not None else None,
        name=body.name,
        criteria=[c.model_dump() for c in body.criteria],
        is_default=body.is_default,
    )
    db.add(rubric)
    db.flush()
    if rubric.is_default:
        _clear_other_defaults(db, rubric)
    return rubric


def change(db: Session, rubric: Rubric, body: RubricIn) -> Rubric:
    """Replace the name and criteria. Sessions keep the copy they took when created."""
    rubric.name = body.name
    rubric.criteria = [c.model_dump() for c in body.criteria]
    rubric.is_default = body.is_default
    rubric.updated_at = utcnow()
    db.flush()
    if rubric.is_default:
        _clear_other_defaults(db, rubric)
    return rubric


def delete(db: Session, rubric: Rubric) -> None:
    db.delete(rubric)


def snapshot(rubric: Rubric) -> dict[str, Any]:
    return {
        "id": rubric.id,
        "name": rubric.name,
        "criteria": [{**c, "anchors": dict(c["anchors"])} for c in rubric.criteria],
    }


def snapshot_for_session(db: Session, user: User, rubric_id: str | int | None) -> dict[str, Any]:
    """The copy a new session keeps: the named rubric (if the caller sees it), "default" for
    the shipped one, or when none is named the caller's own marked default, else the shipped one."""
    if rubric_id is None:
        own = db.scalar(select(Rubric).where(Rubric.owner_id == user.id, Rubric.is_default.is_(True)).limit(1))
        return snapshot(own) if own is not None else default_snapshot()
    number = parse_id(rubric_id)
    return default_snapshot() if number is None else snapshot(get_visible(db, user, number))


def default_out() -> RubricOut:
    shipped = default_snapshot()
    return RubricOut.model_validate(
        {
            **shipped,
            "shipped": True,
            "is_default": False,
            "owner_id": None,
            "team_id": None,
            "editable": False,
            "created_at": None,
            "updated_at": None,
        }
    )


def to_out(user: User, rubric: Rubric) -> RubricOut:
    return RubricOut.model_validate(
        {
            "id": rubric.id,
            "name": rubric.name,
            "criteria": rubric.criteria,
            "shipped": False,
            "is_default": rubric.is_default,
            "owner_id": rubric.owner_id,
            "team_id": rubric.team_id,
            "editable": can_edit(user, rubric),
            "created_at": rubric.created_at,
            "updated_at": rubric.updated_at,
        }
    )


def visible_out(db: Session, user: User) -> list[RubricOut]:
    """Every rubric the caller may use, the shipped one first."""
    return [default_out(), *(to_out(user, r) for r in list_visible(db, user))]
