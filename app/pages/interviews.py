"""Interview pages: the interviewer's sessions, live view and report; the candidate's session."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from app.accounts.models import User
from app.core.database import utcnow
from app.core.deps import SessionDep
from app.core.errors import DojoError, Invalid
from app.interviews import service as interviews
from app.interviews import takehome
from app.interviews.followups import followup_menu
from app.interviews.integrity import CAVEATS, SUMMARY, duration_text, integrity_data
from app.interviews.loader import load_session_record
from app.interviews.report import report_data
from app.interviews.routes import CANDIDATE_PATH
from app.pairing.service import edited_texts
from app.rubrics import service as rubrics

from . import interview_views as views
from .deps import Csrf, PageInterviewer, PageRoute
from .take_home import TakeHomeForm
from .templating import render, set_flash, templates

router = APIRouter(route_class=PageRoute, include_in_schema=False)
# What the integrity signals on a timeline can and cannot mean, for every page that shows one.
templates.env.globals["INTEGRITY"] = {"caveats": CAVEATS, "note": SUMMARY}
templates.env.filters["duration"] = duration_text
LINK_COOKIE = "dojo_link_{id}"
LINK_COOKIE_S = 15 * 60  # how long a new candidate link stays visible to its interviewer
DURATIONS = (15, 30, 45, 60, 90, 120, 180, 240, 480)  # the longer ones are for take-home work
RECOMMENDATIONS = {
    "strong_yes": "Strong yes",
    "yes": "Yes",
    "no": "No",
    "strong_no": "Strong no",
}


def _candidate_url(request: Request, token: str) -> str:
    return str(request.base_url).rstrip("/") + CANDIDATE_PATH.format(token=token)


def _remember_link(request: Request, response: Response, session_id: int, token: str) -> None:
    response.set_cookie(
        LINK_COOKIE.format(id=session_id),
        token,
        max_age=LINK_COOKIE_S,
        httponly=True,
        samesite="strict",
        secure=bool(request.app.state.settings.cookie_secure),
        path=f"/interviews/{session_id}",
    )


# ---- interviewer ----


@router.get("/interviews")
def interview_list(request: Request, db: SessionDep, user: PageInterviewer) -> Response:
    sessions = interviews.list_for_interviewer(db, user)
    rows = [(s, views.state_of(s)) for s in sessions]
    return render(request, "interviews/list.html", {"section": "interviews", "rows": rows})


@router.get("/interviews/new")
def new_interview_form(request: Request, db: SessionDep, user: PageInterviewer) -> Response:
    return render(request, "interviews/new.html", _new_context(db, user, {}))


def _new_context(db: SessionDep, user: User, form: dict[str, Any], error: str | None = None) -> dict[str, Any]:
    visible = rubrics.visible_out(db, user)
    preferred = next((r.id for r in visible if r.is_default and r.owner_id == user.id), "default")
    return {
        "section": "interviews",
        "choices": views.coding_choices(db),
        "durations": DURATIONS,
        "rubrics": visible,
        "form": {"framework": "torch", "duration_min": 45, "questions": [], "rubric_id": preferred, **form},
        "error": error,
    }


@dataclass
class NewSessionForm:
    title: str
    candidate_name: str
    framework: str
    duration_min: str
    notes: str
    questions: list[str]
    rubric_id: str

    @classmethod
    def parse(cls, data: Any) -> NewSessionForm:
        return cls(
            title=str(data.get("title", ""))[:200],
            candidate_name=str(data.get("candidate_name", ""))[:200],
            framework=str(data.get("framework", "torch")),
            duration_min=str(data.get("duration_min", "45")),
            notes=str(data.get("notes", ""))[:20000],
            questions=[str(v) for v in data.getlist("questions")],
            rubric_id=str(data.get("rubric_id", "default"))[:20],
        )

    def check(self) -> None:
        if self.framework not in ("torch", "jax"):
            raise Invalid("pick PyTorch or JAX")
        if not self.duration_min.isdigit() or not 5 <= int(self.duration_min) <= 480:
            raise Invalid("the duration is between 5 and 480 minutes")
        if not self.questions:
            raise Invalid("pick at least one question")
        if len(self.questions) > 10:
            raise Invalid("pick at most 10 questions")


@router.post("/interviews", dependencies=[Csrf])
async def create_interview(request: Request, db: SessionDep, user: PageInterviewer) -> Response:
    data = await request.form()
    form, take_home_form = NewSessionForm.parse(data), TakeHomeForm.parse(data)
    try:
        form.check()
        window = take_home_form.window(request.app.state.settings, int(form.duration_min))
        session, token = interviews.create_session(
            db,
            user,
            questions=form.questions,
            framework=form.framework,
            duration_min=int(form.duration_min),
            title=form.title,
            candidate_name=form.candidate_name,
            rubric_id=form.rubric_id or "default",
        )
        if window is not None:
            takehome.apply_window(session, window)
        if form.notes.strip():
            interviews.save_scorecard(db, session, {"notes": form.notes, "recommendation": ""})
    except DojoError as exc:
        message = exc.message[:1].upper() + exc.message[1:] + "."
        context = _new_context(db, user, asdict(form) | take_home_form.as_form(), message)
        return render(request, "interviews/new.html", context, status_code=exc.status_code)
    response = RedirectResponse(f"/interviews/{session.id}", 303)
    _remember_link(request, response, session.id, token)
    set_flash(response, "success", "Session created. Send the candidate link below.")
    return response


@router.get("/interviews/{session_id}")
def interview_detail(request: Request, session_id: int, db: SessionDep, user: PageInterviewer) -> Response:
    session = interviews.get_for_interviewer(db, user, session_id)
    token = request.cookies.get(LINK_COOKIE.format(id=session.id))
    link = _candidate_url(request, token) if token else None
    if token:
        # A rotated link leaves an old token in the cookie: show it only while it still works.
        try:
            valid = interviews.get_by_candidate_token(db, token).id == session.id
        except DojoError:
            valid = False
        link = link if valid else None
    record = load_session_record(db, session)
    context = {
        "section": "interviews",
        "s": session,
        "state": views.state_of(session),
        "link": link,
        "titles": views.question_titles(record),
        "submissions": record.submissions,
        "take_home": takehome.report_section(record),
    }
    return render(request, "interviews/detail.html", context)


@router.post("/interviews/{session_id}/link", dependencies=[Csrf])
def rotate_link(request: Request, session_id: int, db: SessionDep, user: PageInterviewer) -> Response:
    session = interviews.get_for_interviewer(db, user, session_id)
    token = interviews.rotate_link(db, session)
    response = RedirectResponse(f"/interviews/{session.id}", 303)
    _remember_link(request, response, session.id, token)
    set_flash(response, "info", "New candidate link made; the previous one no longer works.")
    return response


@router.post("/interviews/{session_id}/end", dependencies=[Csrf])
def end_interview(session_id: int, db: SessionDep, user: PageInterviewer) -> Response:
    session = interviews.get_for_interviewer(db, user, session_id)
    interviews.end_session(db, session)
    response = RedirectResponse(f"/interviews/{session.id}/report", 303)
    set_flash(response, "info", "Session ended. The candidate's page is closed.")
    return response


@router.get("/interviews/{session_id}/live")
def live_view(request: Request, session_id: int, db: SessionDep, user: PageInterviewer) -> Response:
    session = interviews.get_for_interviewer(db, user, session_id)
    record = load_session_record(db, session)
    context = {
        "section": "interviews",
        "s": session,
        "state": views.state_of(session),
        "titles": views.question_titles(record),
        "live": views.live_state(record, edited_texts(db, session.id)),
        "followups": followup_menu(db, session),
        "now": utcnow(),
    }
    return render(request, "interviews/live.html", context)


@router.get("/interviews/{session_id}/live.json")
def live_data(session_id: int, db: SessionDep, user: PageInterviewer) -> Response:
    """The live view's poll: current code per question and the timeline as rendered HTML."""
    session = interviews.get_for_interviewer(db, user, session_id)
    record = load_session_record(db, session)
    live = views.live_state(record, edited_texts(db, session.id))
    timeline = templates.get_template("interviews/_timeline.html").render(
        rows=live.pop("rows"), titles=views.question_titles(record)
    )
    return JSONResponse({**live, "timeline_html": timeline}, headers={"Cache-Control": "no-store"})


@router.get("/interviews/{session_id}/report")
def report_page(request: Request, session_id: int, db: SessionDep, user: PageInterviewer) -> Response:
    session = interviews.get_for_interviewer(db, user, session_id)
    record = load_session_record(db, session)
    data = report_data(record)
    data["integrity"] = integrity_data(db, record, user)
    session_rows = views.timeline_entries(record)
    titles = views.question_titles(record)
    evidence = views.evidence_options(session_rows, titles)
    context = {
        "section": "interviews",
        "s": session,
        "state": views.state_of(session),
        "data": data,
        "reports": views.build_report(record, data["questions"], edited_texts(db, session.id)),
        "session_rows": session_rows,
        "titles": titles,
        "rubric": interviews.session_rubric(session),
        "evidence_options": evidence,
        "evidence_text": {e["id"]: e["text"] for e in evidence},
        "scorecard": session.scorecard or {},
        "recommendations": RECOMMENDATIONS,
        "generated_at": utcnow(),
        "take_home": takehome.report_section(record),
    }
    return render(request, "interviews/report.html", context)


@router.post("/interviews/{session_id}/scorecard", dependencies=[Csrf])
async def save_scorecard(request: Request, session_id: int, db: SessionDep, user: PageInterviewer) -> Response:
    session = interviews.get_for_interviewer(db, user, session_id)
    data = await request.form()
    recommendation = str(data.get("recommendation", ""))
    scores = {}
    for entry in session.questions:
        value = str(data.get(f"score_{entry['slug']}", ""))
        if value.isdigit() and 1 <= int(value) <= 5:
            scores[entry["slug"]] = int(value)
    criteria: dict[str, Any] = {}
    for criterion in interviews.session_rubric(session)["criteria"]:
        key = criterion["key"]
        value = str(data.get(f"crit_{key}", ""))
        evidence = [str(v) for v in data.getlist(f"evidence_{key}")]
        if not all(v.isascii() and v.isdigit() and len(v) < 10 for v in evidence):
            raise Invalid(f"{criterion['title']}: evidence must be entries of this session's timeline")
        note = str(data.get(f"critnote_{key}", "")).strip()[:2000]
        score = int(value) if value in ("1", "2", "3", "4") else None
        if score is not None or evidence or note:
            criteria[key] = {"score": score, "evidence": [int(v) for v in evidence][:50], "note": note}
    overall = str(data.get("score", ""))
    scorecard = {
        "notes": str(data.get("notes", ""))[:20000],
        "recommendation": recommendation if recommendation in RECOMMENDATIONS else "",
        "score": int(overall) if overall.isdigit() and 1 <= int(overall) <= 5 else None,
        "scores": scores,
        "criteria": criteria,
    }
    interviews.save_scorecard(db, session, scorecard)
    response = RedirectResponse(f"/interviews/{session.id}/report#scorecard", 303)
    set_flash(response, "success", "Scorecard saved.")
    return response


# The candidate's pages (the link's side) are in app.pages.candidate.
