"""``python build.py comments ID``: the 意见汇总处理表 of a standard's comments, as PDF and Word in
build/comments/, with the counts per decision and a warning for each comment whose clause the next
edition changed or removed."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..loader import display_name
from ..models import Standard

OUT_DIR = Path("build") / "comments"


def cmd_comments(args: argparse.Namespace) -> int:
    from ..rules import check_library
    from .forms import write_comment_table
    from .summary import summary_for

    root = Path(args.root)
    lib = check_library(root)
    doc = lib.document(args.id)
    if not isinstance(doc, Standard):
        known = "、".join(d.id for d in lib.documents if isinstance(d, Standard))
        print(f"没有 ID 为“{args.id}”的标准（现有：{known or '无'}）", file=sys.stderr)
        return 2
    errors = [p for p in lib.errors if p.file == lib.sources[doc.id].file]
    summary, problems = summary_for(root, lib, doc.id)
    problems = errors + problems
    if problems:
        for p in problems:
            print(p.format(), file=sys.stderr)
        print(f"有 {len(problems)} 个错误，未生成意见汇总处理表。改正后重新运行（python build.py check 列出全部问题）。",
              file=sys.stderr)
        return 1
    if summary is None:
        print(f"没有找到 comments/{doc.id}.yaml 或 comments/{doc.id}.xlsx：请把收到的意见按意见反馈表的栏目录入其中之一",
              file=sys.stderr)
        return 1
    for w in summary.warnings:
        print(w.format(), file=sys.stderr)
    out = root / OUT_DIR
    written = write_comment_table(summary, out, f"{doc.id}-comments", root)
    print(f"《{summary.title}》{summary.round}意见汇总处理表：{summary.count_line()}")
    for row in summary.rows:
        print(f"  {row.number:>3}  {row.provision.label:<24}  {row.decision:<4}  {row.source}")
    print("已写入 " + "、".join(display_name(p, root) for p in written))
    return 0
