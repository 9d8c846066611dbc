"""The trainer's toolkit in the shipped PDFs, read back with pdftotext: exam papers without
answers, answer keys in the trainer guide only, timed agendas that add up, scoring sheets,
handouts printed once, the clause → session → item chain with its gaps, and no heading left
alone at the bottom of a page. Uses the session-wide PDF build (conftest ``shipped``).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from handbook import coursework
from handbook.models import Curriculum
from handbook.pdf import build as pdf_build
from handbook.pdf.render import contents, render_print, variants
from handbook.rules.curriculum import sessions

MARKUP = re.compile(r"[\[\]*_`]")


# A4 portrait in points, without the running header (25 mm) and footer (22 mm) margins.
BODY = ["-x", "0", "-y", "71", "-W", "595", "-H", "709"]


def pages(path: Path) -> list[str]:
    """Body text per page (pdftotext reading order), without running headers and footers."""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", *BODY, str(path), "-"], capture_output=True, text=True, check=True)
    return out.stdout.split("\f")


def cells(path: Path) -> list[str]:
    """Text per page in drawing order (pypdf): keeps each table cell's text together."""
    return [p.extract_text() for p in PdfReader(path).pages]


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def curricula(shipped) -> list[Curriculum]:
    return [d for d in shipped[1].documents if isinstance(d, Curriculum)]


def pdf(shipped, name: str) -> Path:
    return shipped[0] / pdf_build.OUT_DIR / name


def plain(text: str) -> bool:
    return bool(text) and not MARKUP.search(text)


def test_shipped_curricula_have_item_banks_agendas_and_rubrics(shipped) -> None:
    lib = shipped[1]
    new, peer = lib.document("new-worker-programme"), lib.document("peer-counsellor-training")
    assert len(new.items) >= 30 and len(peer.items) >= 15
    assert {"单选", "多选", "判断", "简答", "案例分析"} <= {i.kind for i in new.items}
    assert any("答辩" in r.title for r in new.rubrics)
    assert any("朋辈" in r.title for r in peer.rubrics)
    for doc in (new, peer):
        assert sum(bool(s.agenda) for s in sessions(doc)) >= len(sessions(doc)) // 2
        assert not [p for p in lib.problems if p.file.endswith(f"{doc.id}.yaml")]


def test_exam_paper_has_every_item_and_no_answers(shipped) -> None:
    for doc in curricula(shipped):
        papers = coursework.papers(doc, doc.phases)
        exam = squash("".join(pages(pdf(shipped, f"{doc.id}-exam.pdf"))))
        assert "答案：" not in exam and "评分要点" not in exam and "解析：" not in exam
        for paper in papers:
            assert squash(f"{paper.phase.number} {paper.component.title}") in exam
            assert squash(f"满分 {paper.score:g} 分") in exam
            for item in paper.items:
                if plain(item.stem):  # the answer bracket（　　）may wrap away from the stem
                    assert all(part in exam for part in re.split(r"（）", squash(item.stem)))
                for option in item.options:
                    assert squash(option) in exam
                for point in item.points:
                    assert squash(point) not in exam
                if item.explanation:
                    assert squash(item.explanation) not in exam


def test_trainer_guide_has_every_items_answer_and_marking_points(shipped) -> None:
    for doc in curricula(shipped):
        trainer = squash("".join(cells(pdf(shipped, f"{doc.id}-trainer.pdf"))))
        workbook = squash("".join(pages(pdf(shipped, f"{doc.id}-workbook.pdf"))))
        keyed = [i for p in coursework.papers(doc, doc.phases) for i in p.items]
        keyed += [i for s in coursework.pre_post_items(doc) for i in s.items]
        answers = re.findall(r"答案：([A-H]+|对|错)", trainer)
        assert len(answers) == sum(1 for i in keyed if i.answer)
        for item in keyed:
            if item.answer:
                assert f"答案：{coursework.answer_text(item)}" in trainer
            for point in item.points:
                if plain(point):
                    assert squash(point) in trainer
                    assert squash(point) not in workbook
            if plain(item.explanation):
                assert squash(item.explanation) in trainer
        assert "答案：" not in workbook


def test_pre_and_post_test_are_in_the_workbook_without_answers(shipped) -> None:
    doc = shipped[1].document("new-worker-programme")
    assert doc.pre_post_test is not None
    text = pages(pdf(shipped, f"{doc.id}-workbook.pdf"))
    flat = squash("".join(text))
    assert flat.count("训前测试") >= 2 and flat.count("训后测试") >= 2  # 目次 and the test itself
    first = next(i for i in coursework.pre_post_items(doc)[0].items if plain(i.stem))
    assert flat.count(squash(first.stem)) == 2


CLOCK = re.compile(r"(\d\d):(\d\d)—(\d\d):(\d\d)")


def test_agenda_minutes_add_up_per_session(shipped) -> None:
    for doc in curricula(shipped):
        trainer = "\n".join(pages(pdf(shipped, f"{doc.id}-trainer.pdf")))
        # Runs of contiguous clock ranges, one run per timed session, in print order.
        runs, last = [], None
        for m in CLOCK.finditer(trainer):
            start, end = int(m[1]) * 60 + int(m[2]), int(m[3]) * 60 + int(m[4])
            if last is None or start != last:
                runs.append([])
            runs[-1].append((start, end))
            last = end
        timed = [s for s in sessions(doc) if s.agenda and s.start]
        assert len(runs) == len(timed)
        flat = squash(trainer)
        for session, run in zip(timed, runs):
            h, m = map(int, session.start.split(":"))
            assert run[0][0] == h * 60 + m
            span = run[-1][1] - run[0][0]
            pauses = sum(seg.minutes for seg in session.agenda if seg.pause)
            assert span - pauses == session.hours * doc.meta.minutes_per_hour, session.id
            assert squash(f"合计 {span - pauses} 分钟（{session.hours:g} 学时）") in flat


def test_scoring_sheets_print_whole_with_their_signature_rows(shipped) -> None:
    for doc in curricula(shipped):
        text = cells(pdf(shipped, f"{doc.id}-trainer.pdf"))
        for rubric in doc.rubrics:
            caption = squash(f"{rubric.number} {rubric.title}")
            found = [i for i, p in enumerate(text) if caption in squash(p) and "评分人签名" in p]
            assert found, rubric.title
            page = squash(text[found[-1]])
            assert all(squash(c.title) in page for c in rubric.criteria)
            assert squash(f"合计{sum(c.weight for c in rubric.criteria):g}") in page


def test_handouts_are_printed_once_in_the_workbook_where_first_used(shipped) -> None:
    for doc in curricula(shipped):
        workbook = squash("".join(pages(pdf(shipped, f"{doc.id}-workbook.pdf"))))
        carded = [f for f in doc.forms if f.cards]
        assert carded
        for form in carded:
            assert workbook.count(squash(form.cards[0].text)) == 1, form.id


def test_coverage_chain_in_the_trainer_guide_names_the_gaps(shipped) -> None:
    lib = shipped[1]
    for doc in curricula(shipped):
        chain = coursework.chain(doc, lib)
        text = cells(pdf(shipped, f"{doc.id}-trainer.pdf"))
        start = next(i for i, p in enumerate(text) if "条款—课次—考核对照" in p and "标准条款" in p)
        section = squash("".join(text[start:]))
        assert chain.rows and chain.taught_not_assessed
        assessed = next(r for r in chain.rows if r.items)
        assert squash(assessed.clause.label) in section
        assert squash(f"{assessed.items[0].number}（{assessed.items[0].kind}）") in section
        assert squash(f"讲授但未考核的条款（{len(chain.taught_not_assessed)} 条）") in section
        gaps = section.split("讲授但未考核的条款")[1]
        for row in chain.taught_not_assessed:
            assert squash(row.clause.label) in gaps
        assert squash(f"没有题目或评分项目考查的学习目标（{len(chain.objectives_without_items)} 条）") in section


# 学习笔记 is kept with its ruled box by the template (a box has no text to read back).
LABELS = ("学习目标", "内容提纲", "教材与材料", "培训者备注", "本讲讲授的标准条款", "阶段目标", "总体目标", "督导安排")


def _headings(doc, lib, variant) -> set[str]:
    html = render_print(doc, lib, variant)
    found = {squash(label) for _, _, label in contents(html)}
    found |= {squash(m) for m in re.findall(r'<p class="form-caption">(.*?)</p>', html)}
    found |= {squash(re.sub(r"<[^>]+>", "", m)) for m in re.findall(r'<p class="paper-section-title">(.*?)</p>', html)}
    return {f for f in found if f} | set(LABELS)


@pytest.mark.parametrize("kind", ["trainer", "workbook", "exam"])
def test_no_heading_is_left_alone_at_a_page_bottom(shipped, kind) -> None:
    root, lib, _ = shipped
    stranded = []
    for doc in curricula(shipped):
        for variant in (v for v in variants(doc) if v.kind == kind and v.phase is None):
            headings = _headings(doc, lib, variant)
            path = root / pdf_build.OUT_DIR / f"{doc.id}-{kind}.pdf"
            for n, page in enumerate(pages(path)[:-1], 1):
                body = [ln.strip() for ln in page.splitlines() if ln.strip()]
                if n == 1 or not body:
                    continue  # the cover
                last = squash(body[-1])
                if any(last == h or (len(last) >= 4 and h.startswith(last)) for h in headings):
                    stranded.append(f"{path.name} p{n}: {body[-1]}")
    assert stranded == []
