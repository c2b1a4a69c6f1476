"""One read of everything a session's report, live view and record pages show.

`load_session_record` runs three queries: the timeline, the submissions and the pinned
question versions. The report, the live state, the titles and the candidate's latest code are
then built from the `SessionRecord` without going back to the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.errors import NotFound
from app.questions.models import QuestionVersion
from app.submissions.models import Submission

from .models import InterviewEvent, InterviewSession
from .service import session_submissions
from .timeline import list_timeline


@dataclass
class SessionRecord:
    session: InterviewSession
    events: list[InterviewEvent]  # the whole timeline, oldest first
    submissions: list[Submission]  # oldest first
    versions: dict[int, QuestionVersion]  # the pinned question versions by id
    submissions_by_id: dict[str, Submission] = field(init=False)

    def __post_init__(self) -> None:
        self.submissions_by_id = {s.id: s for s in self.submissions}

    def question(self, slug: str) -> QuestionVersion:
        """The version of `slug` pinned when the session was created (as `pinned_question`)."""
        for entry in self.session.questions:
            if entry["slug"] == slug:
                row = self.versions.get(entry["question_id"])
                if row is not None:
                    return row
        raise NotFound(f"'{slug}' is not part of this interview", question=slug)


def load_session_record(db: Session, session: InterviewSession) -> SessionRecord:
    """The session's timeline, submissions and pinned question versions, read once."""
    events = list_timeline(db, session.id)
    submissions = session_submissions(db, session)
    ids = [entry["question_id"] for entry in session.questions]
    rows = list(db.scalars(select(QuestionVersion).where(QuestionVersion.id.in_(ids)))) if ids else []
    return SessionRecord(
        session=session,
        events=events,
        submissions=submissions,
        versions={row.id: row for row in rows},
    )
