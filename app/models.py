"""Every table, imported in one place so that Alembic and tests see the whole schema."""

import importlib
import importlib.util

from app.accounts.models import AuthToken, User
from app.core.database import Base
from app.interviews.models import InterviewEvent, InterviewSession
from app.pages.models import ConceptReview
from app.questions.models import QuestionVersion
from app.submissions.models import Submission, SubmissionEvent, WorkerHeartbeat
from app.teams.models import Invite, Team, TeamMembership

# The pages package keeps its own tables (concept practice); they are migrated here too.
if importlib.util.find_spec("app.pages") and importlib.util.find_spec("app.pages.models"):
    importlib.import_module("app.pages.models")

__all__ = [
    "AuthToken",
    "Base",
    "ConceptReview",
    "InterviewEvent",
    "InterviewSession",
    "Invite",
    "QuestionVersion",
    "Submission",
    "SubmissionEvent",
    "Team",
    "TeamMembership",
    "User",
    "WorkerHeartbeat",
]
