"""Every table, imported in one place so that Alembic and tests see the whole schema."""

from app.accounts.models import AuthToken, User
from app.concepts.models import ConceptReview
from app.core.database import Base
from app.interviews.models import InterviewEvent, InterviewSession
from app.pairing.models import PairSnapshot, PairUpdate
from app.questions.models import QuestionVersion
from app.rubrics.models import Rubric
from app.submissions.models import Submission, SubmissionEvent, WorkerHeartbeat
from app.teams.models import Invite, Team, TeamMembership

__all__ = [
    "AuthToken",
    "Base",
    "ConceptReview",
    "InterviewEvent",
    "InterviewSession",
    "Invite",
    "PairSnapshot",
    "PairUpdate",
    "QuestionVersion",
    "Rubric",
    "Submission",
    "SubmissionEvent",
    "Team",
    "TeamMembership",
    "User",
    "WorkerHeartbeat",
]
