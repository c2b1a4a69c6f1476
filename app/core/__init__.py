"""Shared plumbing: settings, database sessions, the error base class and security helpers."""
