"""The interviewer's report: per question, what was tried and how it went, from the session's record."""

from __future__ import annotations

from typing import Any

from app.submissions.models import Submission

from .followups import part_labels
from .loader import SessionRecord
from .models import InterviewSession
from .service import expiry_reason, session_rubric

_RANK = {"accepted": 0, "wrong_answer": 1, "time_limit_exceeded": 2, "runtime_error": 3}


def _question_summary(slug: str, submissions: list[Submission], session: InterviewSession) -> dict[str, Any]:
    mine = [s for s in submissions if s.question_slug == slug]
    done = [s for s in mine if s.state == "done"]
    accepted = [s for s in done if s.status == "accepted"]
    best = min(
        done,
        key=lambda s: (_RANK.get(s.status or "", 9), s.runtime_ms or float("inf")),
        default=None,
    )
    first_accept_s = None
    if accepted and session.started_at is not None:
        first = min(accepted, key=lambda s: s.created_at)
        first_accept_s = (first.created_at - session.started_at).total_seconds()
    return {
        "question": slug,
        "runs": sum(1 for s in mine if s.mode == "run"),
        "submits": sum(1 for s in mine if s.mode == "submit"),
        "accepted": bool(accepted),
        "best_status": best.status if best else None,
        "best_submission_id": best.id if best else None,
        "best_runtime_ms": best.runtime_ms if best else None,
        "speedup": ((best.verdict or {}).get("timing") or {}).get("speedup") if best else None,
        "first_accepted_after_s": first_accept_s,
        "final_code": mine[-1].code if mine else None,
    }


def report_data(record: SessionRecord) -> dict[str, Any]:
    """Everything a report page shows, with a scorecard pre-filled from the results."""
    session = record.session
    questions = [_question_summary(q["slug"], record.submissions, session) | part_labels(q) for q in session.questions]
    solved = sum(1 for q in questions if q["accepted"])
    suggested = {
        "correctness": f"{solved}/{len(questions)} questions accepted",
        "attempts": sum(q["runs"] + q["submits"] for q in questions),
    }
    return {
        "session": {
            "id": session.id,
            "title": session.title,
            "candidate_name": session.candidate_name,
            "framework": session.framework,
            "duration_min": session.duration_min,
            "started_at": session.started_at,
            "ends_at": session.ends_at,
            "ended_at": session.ended_at,
            "active": expiry_reason(session) is None,
        },
        "questions": questions,
        "rubric": session_rubric(session),
        "scorecard": session.scorecard or suggested,
        "suggested_scorecard": suggested,
        "timeline": [
            {
                "id": e.id,
                "at": e.at,
                "type": e.type,
                "question": e.question,
                "submission_id": e.submission_id,
                "data": e.data,
            }
            for e in record.events
        ],
    }
