"""A standard's round (status) and the dates its cover needs: a draft has a completion date, a
发布稿 has both its dates."""

from __future__ import annotations

from collections.abc import Iterator

from ..models import Document, Standard
from ..problems import E_DRAFT_DATE, E_RELEASE_DATES, Problem
from ..yamlsource import Source


def check(doc: Document, src: Source) -> Iterator[Problem]:
    if not isinstance(doc, Standard):
        return
    cover = doc.cover
    if cover.is_draft and cover.draft_date is None:
        yield src.problem(cover._path + ("status",), E_DRAFT_DATE,
                          f"{cover.status}的封面印“本稿完成日期”：请在 cover 下写 draft_date: YYYY-MM-DD")
    if not cover.is_draft:
        missing = [name for name, value in (("发布日期 issued", cover.issued), ("实施日期 effective", cover.effective))
                   if value is None]
        if missing:
            near = "issued" if cover.issued else "effective" if cover.effective else "status"  # beside the date given
            yield src.problem(cover._path + (near,), E_RELEASE_DATES,
                              f"{cover.status}的封面印发布日期和实施日期：请在 cover 下写{'和'.join(missing)}（YYYY-MM-DD）；"
                              "尚未发布时把 status 改为征求意见稿等稿次")
