"""What a draft says about itself, in the same words on the site, in the PDF and in Word."""

from __future__ import annotations

from ..models import Cover, Standard

PLACEHOLDER_DATE = "××××-××-××"  # a draft's cover leaves its 发布 and 实施 dates open
# Rounds whose cover asks reviewers for patents they know of (GB/T 1.1—2020 8.1 and 附录C.1)
PATENT_CALL_STATUSES = ("征求意见稿", "送审稿")


def draft_notice(cover: Cover) -> str:
    """The banner of a draft's pages: which round, when it was finished, that it is not in force."""
    return (f"本文件为{cover.status}（本稿完成日期：{cover.draft_date}），尚未发布，不作为执行依据；"
            "条文在后续稿次中可能修改。")


def cover_dates(cover: Cover) -> tuple[str, str]:
    """The cover's 发布 and 实施 dates: a draft's are left open."""
    if cover.is_draft:
        return PLACEHOLDER_DATE, PLACEHOLDER_DATE
    return (cover.issued.isoformat() if cover.issued else PLACEHOLDER_DATE,
            cover.effective.isoformat() if cover.effective else PLACEHOLDER_DATE)


def drafts(documents) -> list[Standard]:
    """The standards of a library that are drafts, in library order (the home page lists them)."""
    return [d for d in documents if isinstance(d, Standard) and d.cover.is_draft]
