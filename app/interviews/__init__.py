"""Timed interview sessions.

An interviewer picks questions, a framework and a duration, and gets a candidate link holding an
unguessable token (only its digest is stored). The candidate needs no account; the link works
until the session ends: `duration_min` after the candidate first opens it, when the interviewer
ends it, or `interview_link_valid_hours` after creation if it is never opened. Every draft, run,
submit and verdict lands on the session's timeline, from which the report is built.

A take-home session (`takehome.py`) has no live interviewer: the candidate starts within a
window, and at the deadline the server submits each question's last code.
"""
