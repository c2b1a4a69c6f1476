"""Teams and invitations: how interviewers get accounts without the command line.

An admin invites an address (`POST /api/admin/invites`, or the /admin/invites page) with a
role and, optionally, a team; the invite link (shown once; only its digest is stored) lets
that person set a password and start as an interviewer. Interviewers of one team see and
run each other's interview sessions (`app.interviews.service` asks `teammate_ids`).
"""
