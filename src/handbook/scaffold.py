"""``build.py new``: a skeleton standard, manual or curriculum that already passes ``check``.

Every required element is present; text an editor must write says 【待填写】, which rule W101
reports as a warning until it is replaced. The schema line comes first so VS Code's YAML
extension checks and completes the file while it is being filled in.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from .library import Library
from .loader import find_files
from .models import MAX_ID_LENGTH, Standard
from .rules import check_library
from .rules.placeholders import MARKER
from .schema import schema_line

ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
FOLDERS = {"standard": "standards", "manual": "standards", "curriculum": "curricula"}

_HEAD = """\
# 新建文件：请把所有“{m}”换成正式内容，然后运行 python build.py check 检查。
# id 是稳定 ID（小写字母、数字和连字符），发布后不要改动：其他文件和网页链接都靠它定位。
# 下面各条目的 id（如 {example}）只是示例，可以改成有意义的英文，但同一文件内不能重复。
"""

STANDARD = """\
kind: standard
id: {id}
sample: false
cover:
  level: {m}层次或类别，如“示例市社会工作团体标准”
  # 文件编号：年份前用一字线“—”，如“示例/T 001—2026”
  code: {m}—{year}
  title: {m}文件名称
  title_en: ""
  ics: "{m}ICS 号"
  ccs: {m}CCS 号
  publisher: {m}发布机构
  # 稿次：工作组讨论稿、征求意见稿、送审稿、报批稿、发布稿；发布时改为 发布稿 并写 issued、effective
  status: 征求意见稿
  draft_date: {today}  # 本稿完成日期
foreword:
  text: ""
  proposer: {m}提出单位
  administrator: {m}归口单位
  drafting_units:
    - {m}起草单位
  drafters:
    - {m}主要起草人
introduction: ""
scope: {m}本文件规定了……。本文件适用于……。
normative_references:
  # 有引用文件时删去 statement，在 documents 下逐条写 code 和 title
  statement: 本文件没有规范性引用文件。
  documents: []
terms:
  statement: 下列术语和定义适用于本文件。
  entries:
    - id: term-a
      term: {m}术语
      en: ""
      definition: {m}定义，写成陈述句
chapters:
  # 第 4 章起的核心技术章；编号（4、4.1……）按位置自动生成，不要手写
  - id: chapter-a
    title: {m}章标题
    clauses:
      - id: clause-a
        title: {m}条标题
        # 引用本文件的条款、术语或表单写 [[ID]]，引用其他文件写 [[文件ID#ID]]
        text: {m}条文，如需引用可写 [[clause-b]]。
      - id: clause-b
        title: {m}条标题
        text: {m}条文。
annexes: []
bibliography: []
history:
  - edition: 第1版
    date: {today}
    changes:
      - 首次发布
"""

MANUAL = """\
kind: manual
id: {id}
sample: false
meta:
  title: {m}手册名称
  publisher: {m}编制单位
  version: {year} 年版
  date: {today}
  # 手册所依据的标准的文件 ID{standard_hint}
  standard: {standard}
foreword: {m}前言
chapters:
  - id: chapter-a
    title: {m}章标题
    text: {m}本章概述
    # 本章落实的标准条款，如 [{example_ref}]
    implements: []
    procedures:
      - id: procedure-a
        title: {m}程序名称
        purpose: {m}目的
        implements: []
        steps:
          - actor: 禁毒社工
            action: {m}第一步做什么
            record: form-a
            time_limit: ""
          - actor: 督导
            action: {m}第二步做什么
            time_limit: ""
        notes: []
    methods:
      - id: method-a
        title: {m}方法名称
        text: {m}说明
        items: []
        implements: []
    cases:
      - id: case-a
        title: {m}案例标题
        text: {m}案例经过（人物一律写作“某”字形式，如朱某）
        discussion: []
        implements: []
forms:
  - id: form-a
    title: {m}表单名称
    purpose: {m}用途和填写要求
    fields:
      - label: 服务对象
      - label: 日期
        type: date
      - label: {m}栏目名称
        type: lines
        lines: 3
"""

CURRICULUM = """\
kind: curriculum
id: {id}
sample: false
meta:
  title: {m}项目名称
  organiser: {m}主办单位
  partner: ""
  audience: {m}培训对象
  delivery: 线下
  period: {m}实施周期
  # 总学时须等于各阶段学时之和
  total_hours: 4
  goals:
    - {m}总体目标
supervision:
  model: {m}督导模式，如“内主外辅、协同互助”
  internal: ""
  external: ""
  frequency: ""
  modes: []
phases:
  - id: phase-a
    title: {m}阶段名称
    period: ""
    goals:
      - {m}阶段目标
    hours: 4
    assessment: {m}考核方式
    modules:
      - id: module-a
        title: {m}模块名称
        type: 专业
        hours: 4
        sessions:
          - id: session-a
            title: {m}课次名称
            hours: 2
            format: 线下
            methods: [讲授]
            trainer_role: ""
            objectives:
              - {m}学习目标
            outline:
              - {m}内容提纲
            assessment: ""
            # 本课次讲授的标准条款，如 [{example_ref}]
            covers: []
            worksheets: [form-sign-in]
          - id: session-b
            title: {m}课次名称
            hours: 2
            format: 线下
            methods: [研讨]
            trainer_role: ""
            objectives:
              - {m}学习目标
            covers: []
            worksheets: []
forms:
  - id: form-sign-in
    title: 签到表
    fields:
      - label: 姓名
      - label: 单位
      - label: 签名
        type: sign
"""

TEMPLATES = {"standard": STANDARD, "manual": MANUAL, "curriculum": CURRICULUM}
EXAMPLE_IDS = {"standard": "clause-a", "manual": "procedure-a", "curriculum": "session-a"}


class ScaffoldError(Exception):
    def __init__(self, message: str, code: int):
        super().__init__(message)
        self.code = code


def target_path(root: Path, kind: str, doc_id: str) -> Path:
    return root / FOLDERS[kind] / f"{doc_id}.yaml"


def skeleton(kind: str, doc_id: str, path: Path, root: Path, lib: Library, today: dt.date | None = None) -> str:
    """The text of a new document; a manual cites the library's first standard, or itself."""
    today = today or dt.date.today()
    standard = next((d for d in lib.documents if isinstance(d, Standard)), None)
    clause = next(iter(lib.entries_of(standard, "clause")), None) if standard else None
    values = {
        "m": MARKER,
        "id": doc_id,
        "year": today.year,
        "today": today.isoformat(),
        "example": EXAMPLE_IDS[kind],
        "standard": standard.id if standard else doc_id,
        "standard_hint": "" if standard else f"。{MARKER}：库中还没有标准，暂时指向本手册自身，请改为标准的文件 ID",
        "example_ref": clause.key if clause else "标准ID#条款ID",
    }
    body = (_HEAD + TEMPLATES[kind]).format(**values)
    return schema_line(kind, path, root) + "\n" + body


def create(root: Path, kind: str, doc_id: str, today: dt.date | None = None) -> Path:
    """Write the skeleton; refuse an invalid ID (code 2) or an existing file or document ID (code 1)."""
    if not ID_PATTERN.match(doc_id):
        raise ScaffoldError(f"ID“{doc_id}”格式错误：只能用小写字母、数字和连字符，如 relapse-prevention", 2)
    if len(doc_id) > MAX_ID_LENGTH:
        raise ScaffoldError(f"ID 太长：最多 {MAX_ID_LENGTH} 个字符（现有 {len(doc_id)} 个），请缩短", 2)
    path = target_path(root, kind, doc_id)
    name = path.relative_to(root).as_posix()
    if path.exists():
        raise ScaffoldError(f"{name} 已经存在，没有覆盖。请换一个 ID，或直接编辑这个文件", 1)
    for existing in find_files(root):
        if existing.stem == doc_id:
            raise ScaffoldError(f"已有同名文件 {existing.relative_to(root).as_posix()}，请换一个 ID", 1)
    lib = check_library(root)
    if lib.document(doc_id) is not None:
        raise ScaffoldError(f"文件 ID“{doc_id}”已在 {lib.sources[doc_id].file} 中使用，请换一个 ID", 1)
    text = skeleton(kind, doc_id, path, root, lib, today)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
