"""`python build.py roster CURRICULUM --roster participants.xlsx`."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from ..models import Curriculum
from ..problems import refuse_on_errors
from .attendance import records
from .output import documents, summary_line, write_all
from .read import RosterError, read_roster

OUT_DIR = Path("build") / "roster"  # /build/ is git-ignored; the site never reads it


def cmd_roster(args: argparse.Namespace) -> int:
    from ..rules import check_library

    root = Path(args.root)
    lib = check_library(root)
    doc = lib.document(args.curriculum)
    if not isinstance(doc, Curriculum):
        known = "、".join(d.id for d in lib.documents if isinstance(d, Curriculum))
        print(f"没有这个课程：{args.curriculum}。可用的课程：{known}", file=sys.stderr)
        return 2
    if refuse_on_errors(lib.errors, ""):
        return 1
    path = Path(args.roster)
    if not path.is_file():
        print(f"找不到学员名单：{path}", file=sys.stderr)
        return 2
    try:
        issued = dt.date.fromisoformat(args.date) if args.date else dt.date.today()
    except ValueError:
        print(f"--date 应写作 YYYY-MM-DD，实际是“{args.date}”", file=sys.stderr)
        return 2
    try:
        roster = read_roster(path, doc)
    except RosterError as exc:
        for line in exc.problems:
            print(line, file=sys.stderr)
        print(f"学员名单有 {len(exc.problems)} 处问题，未生成任何文件。请修改后重新运行。", file=sys.stderr)
        return 1
    out = Path(args.out) if args.out else root / OUT_DIR / doc.id
    written = write_all(documents(doc, roster, issued), out, str(root.resolve()) + "/")
    for p in written:
        print(f"已生成 {p}")
    if roster.has_attendance:
        print(summary_line(records(doc, roster)))
        if not roster.score_columns:
            marked = "、".join(f"{p.title}（{p.pass_score:g} 分）" for p in doc.phases if p.pass_score is not None)
            print(f"名单中没有成绩栏：结业只按出勤认定（出勤学时不低于 {doc.meta.attendance_rule:g}%）。"
                  + (f"课程规定了合格分：{marked}；加上“{doc.phases[0].title}成绩”这样的成绩栏，即按出勤和考核共同认定。"
                     if marked else ""))
    elif roster.sessions:
        print("名单的出勤栏还没有填：只生成了预填姓名的签到表。课程结束后填好出勤再运行一次，即可生成学时汇总表和证书。")
    else:
        print("名单中没有“第1讲”“第2讲”……出勤栏：只生成了预填姓名的签到表。课程结束后填好出勤再运行一次，即可生成学时汇总表和证书。")
    if not roster.dates:
        print("名单中没有“日期”行：签到表和证明上的上课日期留空（在标题行下加一行，“姓名”一栏写“日期”，各讲次栏写上课日期）。")
    print("这些文件含学员个人信息，只保存在本机，请勿提交到仓库或上传网站。")
    return 0
