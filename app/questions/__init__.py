"""The question bank in the database: versioned copies of question folders.

Every change makes a new version row; submissions point at the version they were graded
against. The version candidates see is the one flagged `is_current` (published, newest).
"""
