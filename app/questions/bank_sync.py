"""Between the question folders on disk and the database: `dojo questions sync|export`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from workers.grading.bank import load_bank, write_question_files
from workers.grading.followups import check_links

from .models import QuestionVersion
from .service import content_hash, current_version, followup_finder, new_version_row, publish


@dataclass
class SyncReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return f"{len(self.added)} added, {len(self.updated)} updated, {len(self.unchanged)} unchanged"


def sync_bank(db: Session, bank_dir: Path) -> SyncReport:
    """Load every folder (validated; a broken one, or a follow-up link that neither the folders
    nor the published questions resolve, stops the sync) as a published version.

    A folder whose exact content is already stored (as any version) is left alone, so an
    admin's newer edit through the API is never reverted by an older copy on disk. Folders in
    the repository are checked by `dojo questions check` in CI, so they publish directly.
    """
    report = SyncReport()
    if not bank_dir.is_dir():
        return report
    bank = load_bank(bank_dir, check_followups=False)
    find = followup_finder(db, bank)  # a follow-up may already be in the database
    for question in bank.values():
        check_links(question, find)
    for slug, question in bank.items():
        known = set(db.scalars(select(QuestionVersion.content_hash).where(QuestionVersion.slug == slug)))
        if content_hash(question.files) in known:
            report.unchanged.append(slug)
            continue
        row = new_version_row(db, question, source="bank")
        publish(db, row)
        (report.updated if known else report.added).append(slug)
    return report


def export_bank(db: Session, out_dir: Path, slugs: list[str] | None = None) -> list[str]:
    """Write the current version of each question (or of `slugs`) to `out_dir/<slug>/`."""
    query = select(QuestionVersion.slug).where(QuestionVersion.is_current.is_(True))
    if slugs:
        query = query.where(QuestionVersion.slug.in_(slugs))
    written = []
    for slug in db.scalars(query.order_by(QuestionVersion.slug)):
        row = current_version(db, slug, include_retired=True)
        assert row is not None
        write_question_files(out_dir / slug, row.files)
        written.append(slug)
    return written
