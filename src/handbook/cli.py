"""The command line: argument parsing and every ``build.py`` command's handler, nothing else.

Each handler turns arguments into a call of the core (rules, pdf, site, diff, scaffold) and its
result into messages and an exit code. Heavy modules (MkDocs, WeasyPrint, git) are imported by
the handler that needs them, so ``check`` starts fast.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict
from pathlib import Path

from .problems import RULES, Problem, refuse_on_errors, report_lines
from .rules import check_library, check_report
from .schema import write_schemas


def cmd_check(args: argparse.Namespace) -> int:
    root = Path(args.root)
    paths = [Path(p) for p in args.paths] or None
    report = check_report(root, paths)
    problems = report.problems
    failing = [p for p in problems if p.severity == "error" or (args.strict and p.severity == "warning")]
    if args.format == "json":
        print(json.dumps([p.as_dict() for p in problems], ensure_ascii=False, indent=2))
    else:
        for line in report_lines(problems):
            print(line)
        print(summary(problems, report.files, strict=args.strict), file=sys.stderr)
    return 1 if failing else 0


def summary(problems: list[Problem], files: int, *, strict: bool) -> str:
    counts = {s: sum(p.severity == s for p in problems) for s in ("error", "warning", "info")}
    line = f"检查了 {files} 个文件：{counts['error']} 个错误，{counts['warning']} 个警告，{counts['info']} 条提示。"
    if strict and not counts["error"] and counts["warning"]:
        line += f"按 --strict，{counts['warning']} 个警告视为错误。"
    first = next((p for p in problems if p.severity == "error" or strict and p.severity == "warning"), None)
    if first is not None:
        caused = sum(p.cause == first.file for p in problems)
        why = f"（另有 {caused} 处引用因它无法检查）" if caused else ""
        line += f"先改 {first.file} 第 {first.line} 行{why}。"
    return line


def cmd_schema(args: argparse.Namespace) -> int:
    for path in write_schemas(Path(args.root)):
        print(f"已写入 {path}")
    return 0


def cmd_rules(args: argparse.Namespace) -> int:
    for rule in RULES.values():
        print(f"{rule.code}\t{rule.severity}\t{rule.group}\t{rule.summary}")
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    from .diff import (
        CHANGE_NAMES,
        CHANGE_TYPES,
        FIELD_NAMES,
        DiffError,
        affected_sessions,
        as_dict,
        compare,
        default_revision,
    )

    root = Path(args.root)
    rev = args.rev or default_revision(root)
    try:
        old_lib, new_lib, changes = compare(root, rev)
    except DiffError as exc:
        if not args.rev and rev == "HEAD~1" and "找不到" in str(exc):
            exc = DiffError("仓库中只有一次提交，工作区也没有改动，没有可以比较的上一版")
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    sessions = affected_sessions(changes, new_lib)
    for side, lib in ((f"版本 {rev} ", old_lib), ("工作区", new_lib)):
        if lib.errors:
            print(f"注意：{side}有 {len(lib.errors)} 个错误，未能载入的文件没有参与比较（运行 check 查看）", file=sys.stderr)
    if args.format == "json":
        print(json.dumps({
            "old": rev,
            "new": "working tree",
            "changes": [as_dict(c) for c in changes],
            "affected_sessions": [{**asdict(s), "changes": [c.key for c in s.changes]} for s in sessions],
        }, ensure_ascii=False, indent=2))
        return 0
    print(f"比较版本 {rev}（旧）与工作区（新）：")
    if not changes:
        print("没有变化。")
    for doc_id in dict.fromkeys(c.doc for c in changes):
        doc = new_lib.document(doc_id) or old_lib.document(doc_id)
        print(f"\n{doc_id} {doc.title}")
        for c in changes:
            if c.doc == doc_id:
                print(f"  {c.describe()}")
                for w in c.wording:
                    print(f"    {FIELD_NAMES.get(w.field, w.field)}：{w.inline()}")
    if changes:
        counts = "，".join(f"{CHANGE_NAMES[t]} {n}" for t in CHANGE_TYPES if (n := sum(c.change == t for c in changes)))
        print(f"\n共 {len(changes)} 处变化：{counts}。")
    if sessions:
        print("\n需要培训者复核的课次（讲授的条款有变化）：")
        for s in sessions:
            print(f"  {s.describe()}")
    return 0


def cmd_pdf(args: argparse.Namespace) -> int:
    from .pdf.build import OUT_DIR, build
    from .pdf.render import pdf_name, variants

    root = Path(args.root)
    lib = check_library(root)
    if refuse_on_errors(lib.errors, " PDF"):
        return 1
    only = getattr(args, "only", None)
    if only:
        known = {d.id for d in lib.documents}
        unknown = [i for i in only if i not in known and not any(
            pdf_name(d, v).removesuffix(".pdf") == i for d in lib.documents for v in variants(d))]
        if unknown:
            print(f"没有这些文件：{'、'.join(unknown)}", file=sys.stderr)
            return 2
    start = time.perf_counter()
    result = build(lib, root, only=only, jobs=getattr(args, "jobs", 0) or 0, force=getattr(args, "force", False))
    seconds = time.perf_counter() - start
    failed = result["failed"]
    print(f"PDF：生成 {len(result['built'])} 个，跳过 {len(result['skipped'])} 个，失败 {len(failed)} 个，"
          f"用时 {seconds:.1f} 秒。输出目录 {OUT_DIR}/")
    if failed:
        for name, error in failed.items():
            print(f"失败：{name}：{error}（保留了上一次生成的文件）", file=sys.stderr)
        return 1
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    from .rules.placeholders import MARKER
    from .scaffold import ScaffoldError, create

    root = Path(args.root)
    try:
        path = create(root, args.kind, args.id)
    except ScaffoldError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return exc.code
    name = path.relative_to(root).as_posix()
    print(f"已创建 {name}。请把其中的“{MARKER}”换成正式内容，然后运行 python build.py check")
    return 0


def cmd_site(args: argparse.Namespace) -> int:
    from .site.build import SiteError, TemplateFailure, Unlogged, build_site, quiet_logging

    quiet_logging()
    root = Path(args.root).resolve()
    out = Path(args.out)
    out = out if out.is_absolute() else root / out
    try:
        build_site(root, out)
    except SiteError as exc:
        if isinstance(exc, (TemplateFailure, Unlogged)):
            print(exc, file=sys.stderr)
        print(f"网站未生成，{out} 保持不变。", file=sys.stderr)
        return 1
    print(f"网站已生成：{out}（直接打开 {out / 'index.html'} 也可浏览）")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from mkdocs.exceptions import MkDocsException

    from .site.build import SiteError, quiet_logging
    from .site.overlay import chinese_serve_log
    from .site.serve import serve

    quiet_logging(verbose=True)
    chinese_serve_log()
    try:
        serve(Path(args.root).resolve(), port=args.port, only=args.only or "")
    except (MkDocsException, SiteError) as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


def _lazy(module: str, function: str):
    """Import heavy modules (MkDocs, WeasyPrint) only for the command that needs them."""

    def run(args: argparse.Namespace) -> int:
        import importlib

        return getattr(importlib.import_module(module), function)(args)

    return run


ROSTER_SHEET = """依据学员名单生成签到表、学时汇总表、结业证书和继续教育学时证明（输出到 build/roster/课程ID/）。

名单是一张表（Excel 用“学员”工作表或第一张工作表），标题行有“姓名”一栏，其余各栏可选：
  单位、身份证号码      身份证号码按 GB 11643 校验，打印时只显示前 6 位和后 4 位
  第1讲、第2讲……        出勤栏：出勤写 √ 或 1，缺勤留空或写 0；都还空着时只生成签到表
  日期行、地点行        标题行下加一行，“姓名”一栏写“日期”（或“地点”），各讲次栏写
                        2026-03-05 或 2026年3月5日；印在签到表、学时汇总表、证书和学时证明上
  成绩栏（满分 100）    阶段总分一栏写阶段名称加“成绩”，如“岗前集中培训成绩”；或每个考核
                        组成一栏（如“闭卷笔试”），按课程的权重合计；未考写“缺考”，未出成绩留空
有成绩栏时，结业须出勤达标，且课程写了合格分（pass_score）的每个阶段都合格；
没有成绩栏时只按出勤认定。详见 docs/roster.md。"""


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="build.py", description="禁毒社工标准与培训手册：检查、生成网站和 PDF")
    parser.add_argument("--root", default=".", help="项目根目录（默认当前目录）")
    sub = parser.add_subparsers(dest="command")
    check = sub.add_parser("check", help="检查 standards/ 和 curricula/ 下的全部 YAML 文件")
    check.add_argument("paths", nargs="*", help="只检查这些文件（默认全部）")
    check.add_argument("--format", choices=["text", "json"], default="text", help="输出格式")
    check.add_argument("--strict", action="store_true", help="警告也视为失败")
    check.set_defaults(func=cmd_check)
    site = sub.add_parser("site", help="生成网站到 site/（失败时保留上一次的网站）")
    site.add_argument("--out", default="site", help="输出目录")
    site.set_defaults(func=cmd_site)
    serve = sub.add_parser("serve", help="本地预览网站，保存 YAML 后自动刷新")
    serve.add_argument("--only", metavar="ID", help="只预览这一个文件（更快）")
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(func=cmd_serve)
    pdf = sub.add_parser("pdf", help="生成 PDF 手册和培训资料到 build/pdf/（内容未变的不重新生成）")
    pdf.add_argument("--only", metavar="ID", action="append", help="只生成这些文件的 PDF")
    pdf.add_argument("--jobs", type=int, default=0, help="并行进程数（默认等于 CPU 核数）")
    pdf.add_argument("--force", action="store_true", help="忽略缓存，全部重新生成")
    pdf.set_defaults(func=cmd_pdf)
    roster = sub.add_parser("roster", help="依据学员名单生成签到表、学时汇总表、结业证书和继续教育学时证明（输出到 build/roster/）",
                            formatter_class=argparse.RawDescriptionHelpFormatter, description=ROSTER_SHEET)
    roster.add_argument("curriculum", help="课程文件 ID，如 new-worker-programme")
    roster.add_argument("--roster", required=True, help="学员名单 .xlsx 或 .csv（写法见上）")
    roster.add_argument("--out", help="输出目录（默认 build/roster/课程ID/）")
    roster.add_argument("--date", help="证书落款日期 YYYY-MM-DD（默认今天）")
    roster.set_defaults(func=_lazy("handbook.roster.command", "cmd_roster"))
    docx = sub.add_parser("docx", help="生成标准的 Word 版（build/pdf/ID.docx）；草案另生成意见反馈表（Word 和 PDF）")
    docx.add_argument("ids", nargs="*", metavar="ID", help="只生成这些标准（默认全部）")
    docx.set_defaults(func=_lazy("handbook.docx.command", "cmd_docx"))
    comments = sub.add_parser("comments", help="依据 comments/ID.yaml 或 .xlsx 生成意见汇总处理表（PDF 和 Word，输出到 build/comments/）")
    comments.add_argument("id", metavar="ID", help="标准的文件 ID，如 jd-service-guide")
    comments.set_defaults(func=_lazy("handbook.review.command", "cmd_comments"))
    new = sub.add_parser("new", help="新建一个标准、手册或课程文件（带占位内容的骨架）")
    new.add_argument("kind", choices=["standard", "manual", "curriculum"], help="文件类型")
    new.add_argument("id", help="文件 ID，也是文件名，如 relapse-prevention-guide")
    new.set_defaults(func=cmd_new)
    diff = sub.add_parser("diff", help="与某个 git 版本比较：新增、删除、移动、重新编号、文字修改的条款")
    diff.add_argument("rev", nargs="?", help="git 版本（默认：最近的标签；没有标签时为上一次提交，工作区有改动时为 HEAD）")
    diff.add_argument("--format", choices=["text", "json"], default="text", help="输出格式")
    diff.set_defaults(func=cmd_diff)
    sub.add_parser("schema", help="生成供编辑器使用的 JSON Schema").set_defaults(func=cmd_schema)
    sub.add_parser("rules", help="列出全部校验规则").set_defaults(func=cmd_rules)
    # Options (--pages, --runs, --json ...; see `build.py bench --help`) pass through to bench.run.
    bench = sub.add_parser("bench", help="基准测试：合成内容库上与原版 MkDocs 对比", prefix_chars="+", add_help=False)
    bench.add_argument("options", nargs=argparse.REMAINDER)
    bench.set_defaults(func=_lazy("bench.run", "cmd_bench"))
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    if args.command is None:
        return build_everything(parser, argv or [])
    return args.func(args)


def build_everything(parser: argparse.ArgumentParser, argv: list[str]) -> int:
    """No command: check, then the PDFs and the Word files, then the site (so its downloads page lists them)."""
    for command in ("check", "pdf", "docx", "site"):
        args = parser.parse_args([*argv, command])
        code = args.func(args)
        if code != 0:
            print(f"“{command}”失败，已停止；已有的网站和 PDF 保持不变。", file=sys.stderr)
            return code
    return 0
