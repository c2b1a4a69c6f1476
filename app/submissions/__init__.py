"""Submissions: the row is the source of truth for a grading job; Celery carries only its id.

States: queued -> running -> done. `attempt` counts claims by workers; every transition is a
conditional UPDATE on (state, attempt), so a duplicate or retried task, or a worker that lost
its claim to the reaper, cannot write a second verdict.
"""
