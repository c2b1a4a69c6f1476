"""Rubrics: the criteria an interview is scored against, each with anchors for scores 1 to 4.

One rubric ships with the app ("ML framework interview", `DEFAULT_RUBRIC`, id "default"): it is
defined in code, so it can be neither edited nor deleted and every interviewer sees it.
Interviewers make their own (`/api/rubrics`, or the /rubrics page); interviewers of one team
see each other's, only the owner (or an admin) changes or deletes one. A session keeps a copy
of the rubric chosen when it was created, so later edits never change past reports.
"""
