"""编辑指南: every field an editor may write, generated from the content model's descriptions."""

from __future__ import annotations

import datetime as dt
import types
import typing

from pydantic import BaseModel

from ..models import KINDS
from .md import esc, heading, join, table

NAMES = {
    "Standard": "标准", "Cover": "封面", "Foreword": "前言", "Clause": "条", "NormativeReferences": "规范性引用文件",
    "NormativeReference": "引用文件", "Terms": "术语和定义", "Term": "术语条目", "Annex": "附录", "Edition": "版本",
    "Form": "表单", "FormField": "表单栏目", "Manual": "实务手册", "ManualMeta": "手册信息",
    "ManualChapter": "手册的章", "Procedure": "工作程序", "Step": "步骤", "Method": "方法与技巧", "Vignette": "案例",
    "Curriculum": "培训课程", "CurriculumMeta": "项目信息", "Supervision": "督导模式", "Phase": "阶段",
    "Module": "模块", "Session": "课次",
}
SCALARS = {str: "文字", int: "整数", float: "数字", bool: "true 或 false", dt.date: "日期 YYYY-MM-DD"}


def anchor(model: type[BaseModel]) -> str:
    return "model-" + model.__name__.lower()


def describe(annotation) -> tuple[str, list[type[BaseModel]]]:
    """How a field's type reads to an editor, and the models it contains."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        return describe(args[0])
    if origin in (typing.Union, types.UnionType):
        parts = [describe(a) for a in args if a is not type(None)]
        return "或".join(p[0] for p in parts), [m for p in parts for m in p[1]]
    if origin is typing.Literal:
        return "取值之一：" + "、".join(esc(a) for a in args), []
    if origin is list:
        inner, models = describe(args[0])
        return f"列表，每项为{inner}", models
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return f"[{NAMES.get(annotation.__name__, annotation.__name__)}](#{anchor(annotation)})", [annotation]
    return SCALARS.get(annotation, esc(getattr(annotation, "__name__", str(annotation)))), []


def render_fields() -> str:
    blocks = [
        "# 编辑指南：字段说明\n",
        ("每个 YAML 文件的顶层写 `kind:`（standard、manual 或 curriculum），下面列出每种文件可以写的全部字段，"
         "由程序根据内容模型自动生成。“必填”的字段不写时检查会报 E201；写了未列出的字段会报 E202。"
         "编号（如 5.2.1、附录A、第3讲）由程序按位置计算，不需要填写。"),
    ]
    seen: set[type[BaseModel]] = set()
    for kind, model in KINDS.items():
        blocks.append(heading(2, f"{NAMES[model.__name__]}（kind: {kind}）", anchor(model)))
        queue = [model]
        seen.add(model)
        first = True
        while queue:
            current = queue.pop(0)
            rows = []
            for name, info in current.model_fields.items():
                kind_text, models = describe(info.annotation)
                for m in models:
                    if m not in seen:
                        seen.add(m)
                        queue.append(m)
                rows.append((f"`{name}`", kind_text, "必填" if info.is_required() else "", esc(info.description or "")))
            if not first:
                blocks.append(heading(3, NAMES.get(current.__name__, current.__name__), anchor(current)))
            blocks.append(table(["字段", "类型", "必填", "说明"], rows))
            first = False
    return join(*blocks)
