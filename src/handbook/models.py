"""The content model: what an editor may write in a standard, a manual or a curriculum.

These pydantic models are the single source of the field names, types and Chinese
descriptions; the JSON Schemas for editors are generated from them. Display numbers
(5.2.1, 附录A, 第二阶段, 第3讲) are never written by editors: ``numbering`` computes them
from position and stores them on each object.
"""

from __future__ import annotations

import datetime as dt
import typing
from dataclasses import dataclass
from typing import Annotated, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr
from pydantic.fields import FieldInfo

from .problems import E_ASSESS, E_FORMAT, E_HOURS, E_OBJECTIVES, E_STEP_EMPTY, E_STEPS, E_SUPERVISION


@dataclass(frozen=True)
class Need:
    """A completeness rule stated once, on its field: ``check`` reports a breach under ``code``
    (rules/needs.py) and the JSON Schema states it (schema.py), so the editor marks it as you type.

    The document still loads when a need is not met, so every other rule runs too. ``message`` may
    use {noun} (the owner's kind, e.g. 课次), {title}, {value} and {count}.
    """

    code: str
    message: str
    required: bool = False  # present and not null
    min_items: int = 0
    not_blank: bool = False  # text with a character other than spaces
    positive: bool = False  # a number above 0 (when given)

    def broken(self, value: object) -> bool:
        if value is None:
            return self.required or self.not_blank or self.min_items > 0
        if isinstance(value, list):
            return len(value) < self.min_items
        if isinstance(value, str):
            return self.not_blank and not value.strip()
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return self.positive and value <= 0
        return False


@dataclass(frozen=True)
class Hint:
    """How to write a value, added to the type message in ``check`` and in the editor."""

    text: str


def marks(field: FieldInfo, kind: type[Need] | type[Hint]) -> list:
    """The Need or Hint marks on a field, also those on the type inside ``X | None``."""
    found = [m for m in field.metadata if isinstance(m, kind)]
    for arg in typing.get_args(field.annotation):
        if typing.get_origin(arg) is Annotated:
            found += [m for m in arg.__metadata__ if isinstance(m, kind)]
    return found


MAX_ID_LENGTH = 64  # IDs become file names (PDF names add a phase ID and a suffix) and anchors
Slug = Annotated[
    str,
    Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=MAX_ID_LENGTH, description="稳定 ID：小写字母、数字和连字符，如 relapse-prevention。发布后不要改动，链接靠它定位。"),
]
Ref = Annotated[
    str,
    Field(
        pattern=r"^([a-z0-9]+(-[a-z0-9]+)*#)?[a-z0-9]+(-[a-z0-9]+)*$",
        max_length=2 * MAX_ID_LENGTH + 1,
        description="引用：同一文件内写 ID；引用其他文件写“文件ID#条目ID”，如 jd-service-guide#relapse-prevention。",
    ),
]
MARKDOWN = "markdown"  # marks the fields whose text is editor Markdown (``handbook.text.editor_html``)
MARKDOWN_NOTE = ("（Markdown：可用 **加粗**、*强调*、列表、http(s)/mailto 链接，用 [[ID]] 或 [[文件ID#ID]] 引用；"
                 "不支持 HTML、属性列表 {: }，图片只能是与 YAML 放在一起的文件）")
Text = Annotated[str, MARKDOWN, Field(description="文字，可使用 Markdown；用 [[ID]] 或 [[文件ID#ID]] 引用条款、术语、表单或课次。")]
Hours = Annotated[
    float,
    Field(strict=True, allow_inf_nan=False, description="学时（正数，可用 0.5 的倍数）"),
    Hint("学时写阿拉伯数字，如 2 或 1.5"),
    Need(E_HOURS, "{noun}“{title}”的学时 {value:g} 不是正数", positive=True),
]


class Node(BaseModel):
    """Base for every mapping: unknown keys are errors; position and number set after loading.

    Fields typed ``Text`` (or ``list[Text]``) are editor Markdown and say so in their description;
    every other string is plain text, shown exactly as written."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)
    noun: ClassVar[str] = ""  # what editors call this kind of mapping (schema titles, messages)
    # The editor's snippet when the required fields alone would fail check (a rule across fields).
    snippet: ClassVar[dict | None] = None
    _path: tuple = PrivateAttr(default=())
    _number: str = PrivateAttr(default="")

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs) -> None:
        changed = False
        for name, info in cls.model_fields.items():
            if is_markdown(cls, name) and MARKDOWN_NOTE not in (info.description or ""):
                info.description = (info.description or "") + MARKDOWN_NOTE
                changed = True
        if changed:
            cls.model_rebuild(force=True)

    @property
    def number(self) -> str:
        return self._number


def is_markdown(model: type[BaseModel], name: str) -> bool:
    """Whether field ``name`` of ``model`` holds editor Markdown (``Text`` or ``list[Text]``)."""
    info = model.model_fields.get(name)
    if info is None:
        return False
    if MARKDOWN in info.metadata:
        return True

    def marked(annotation) -> bool:  # list[Text], list[list[Text]] (table rows), list[Text | ListItem]
        return MARKDOWN in getattr(annotation, "__metadata__", ()) or any(map(marked, typing.get_args(annotation)))

    return marked(info.annotation)


# ---------------------------------------------------------------- shared: forms

class FormField(Node):
    noun: ClassVar[str] = "表单栏目"
    label: str = Field(description="栏目名称，如“服务对象姓名”")
    type: Literal["text", "lines", "date", "check", "sign", "number"] = Field(
        "text",
        description="填写方式：text 单行、lines 多行（留出书写空间）、date 日期、check 勾选、sign 签名、number 数字",
    )
    lines: int = Field(1, ge=1, le=20, strict=True, description="type 为 lines 时留出的行数")
    options: list[str] = Field(default_factory=list, description="type 为 check 时可勾选的选项")
    hint: str = Field("", description="填写说明")


class Card(Node):
    title: str = Field(description="卡片标题，如“情境一：家属要看检测结果”")
    text: Text = Field(description="卡片正文（情境、技巧要点或说明）")
    prompts: list[Text] = Field(default_factory=list, description="讨论题或练习提示")


class Form(Node):
    noun: ClassVar[str] = "表单"
    id: Slug
    title: str = Field(description="表单名称，如“接案登记表”")
    purpose: Text = Field("", description="用途和填写要求")
    cards: list[Card] = Field(default_factory=list, description="卡片或讲义内容（情境卡片、技巧卡），印在表格之前")
    fields: list[FormField] = Field(min_length=1, description="表单栏目，打印时为带边框的表格并留出书写空间")
    note: Text = Field("", description="表下注")


# ---------------------------------------------------------------- standards

# The rounds of a standard (GB/T 1.1—2020 8.1: a draft's cover names its round); 废止 is a withdrawn 发布稿.
DRAFT_STATUSES = ("工作组讨论稿", "征求意见稿", "送审稿", "报批稿")
Status = Literal["工作组讨论稿", "征求意见稿", "送审稿", "报批稿", "发布稿", "废止"]


class Cover(Node):
    noun: ClassVar[str] = "封面"
    level: str = Field(description="层次或类别，如“示例市社会工作团体标准（示例）”")
    code: str = Field(description="文件编号，年份前用一字线，如“示例/T 001—2026”")
    title: str = Field(description="文件名称")
    title_en: str = Field("", description="英文名称")
    ics: str = Field(description="ICS 号，如“03.080”（请加引号）")
    ccs: str = Field(description="CCS 号，如“A 16”")
    issued: dt.date | None = Field(None, description="发布日期 YYYY-MM-DD（发布稿必填）")
    effective: dt.date | None = Field(None, description="实施日期 YYYY-MM-DD，不得早于发布日期（发布稿必填）")
    publisher: str = Field(description="发布机构")
    status: Status = Field(
        "发布稿",
        description="稿次：工作组讨论稿、征求意见稿、送审稿、报批稿（以上为草案：封面印稿次和本稿完成日期，"
                    "PDF 每页加水印，网站页面加提示），发布稿（正式发布，默认），废止")
    draft_date: dt.date | None = Field(None, description="本稿完成日期 YYYY-MM-DD（草案必填，印在封面上）")
    supersedes: str = Field("", description="被代替文件编号")
    filing_no: str = Field("", description="备案号（行业标准、地方标准需要）")

    @property
    def is_draft(self) -> bool:
        return self.status in DRAFT_STATUSES

    @property
    def status_label(self) -> str:
        """The status as readers see it: a 发布稿 is 现行 (in force), a draft keeps its round's name."""
        return "现行" if self.status == "发布稿" else self.status

    @property
    def mark(self) -> str:
        """The large level mark on the cover, from the code's prefix: "DB31/T 1261—2020" -> "DB31",
        "GB/T 1.1—2020" -> "GB", "T/SZSWA 011—2024" -> "T/SZSWA"."""
        head = self.code.split()[0] if self.code.split() else ""
        if head.startswith("T/"):
            return head
        return head.split("/")[0]


class Foreword(Node):
    noun: ClassVar[str] = "前言"
    text: Text = Field("", description="前言中起草依据之后的说明，如与其他文件的关系、主要技术变化")
    proposer: str = Field(description="提出单位")
    administrator: str = Field(description="归口单位")
    drafting_units: list[str] = Field(min_length=1, description="起草单位")
    drafters: list[str] = Field(min_length=1, description="主要起草人")


Notes = Annotated[list[Text], Field(description="注：一条印作“注：”，多条印作“注1：”“注2：”……（注是资料性的，不写要求）")]
Examples = Annotated[list[Text], Field(description="示例：一条印作“示例：”，多条印作“示例1：”“示例2：”……")]


class ListItem(Node):
    noun: ClassVar[str] = "列项"
    text: Text = Field(description="列项的文字")
    items: list[Text] = Field(default_factory=list, description="第二层列项，印作 1) 2) ……（列项最多两层）")


class FlowNode(Node):
    noun: ClassVar[str] = "流程图节点"
    id: Slug
    label: str = Field(description="框中的文字")
    shape: Literal["step", "decision", "start", "end"] = Field(
        "step", description="形状：step 步骤（矩形）、decision 判断（菱形）、start 开始、end 结束（圆角框）")


class FlowEdge(Node):
    noun: ClassVar[str] = "流程图连线"
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    source: str = Field(alias="from", description="起点节点的 ID")
    target: str = Field(alias="to", description="终点节点的 ID")
    label: str = Field("", description="箭头旁的文字，如判断的“是”“否”")


class Flow(Node):
    noun: ClassVar[str] = "流程图"
    direction: Literal["TB", "LR"] = Field("TB", description="方向：TB 自上而下，LR 自左向右")
    nodes: list[FlowNode] = Field(min_length=2, description="节点")
    edges: list[FlowEdge] = Field(min_length=1, description="连线（from、to 写节点 ID）")


class Figure(Node):
    noun: ClassVar[str] = "图"
    snippet: ClassVar[dict | None] = {  # a figure needs one source (E312)
        "id": "new-figure", "title": "【待填写】图题",
        "flow": {"nodes": [{"id": "step-1", "label": "【待填写】第一步"}, {"id": "step-2", "label": "【待填写】第二步"}],
                 "edges": [{"from": "step-1", "to": "step-2"}]},
    }
    id: Slug
    title: str = Field(description="图题，如“服务流程”；编号（图1、图A.1）按位置自动生成，图题在图下方")
    flow: Flow | None = Field(None, description="用节点和连线描述的流程图（生成时由 Graphviz 绘制）")
    file: str = Field("", description="与 YAML 文件同目录或其子目录下的 SVG 或 PNG 图片，如“figures/flow.svg”（与 flow 二选一）")
    alt: str = Field("", description="图的文字说明（供读屏软件朗读）；流程图可省略")
    notes: Notes = Field(default_factory=list)


class Table(Node):
    noun: ClassVar[str] = "表"
    id: Slug
    title: str = Field(description="表题；编号（表1、表A.1）按位置自动生成，表题在表上方")
    header: list[list[str]] = Field(min_length=1, description="表头行（可有多行），每行是各栏的名称；打印跨页时表头重复")
    rows: list[list[Text]] = Field(min_length=1, description="表体各行，每行的格数与表头相同")
    notes: Notes = Field(default_factory=list)


class Clause(Node):
    noun: ClassVar[str] = "条"
    id: Slug
    title: str = Field("", description="条标题；同级条应全部有标题或全部无标题")
    text: Text = Field("", description="条文；有列项时，这里写引导语")
    items: list[Text | ListItem] = Field(default_factory=list, description="列项（引导语写在 text 中）；需要第二层时写成 {text, items}")
    item_style: Literal["letter", "dash"] = Field(
        "letter", description="第一层列项的标号：letter 印作 a) b) ……，dash 印作“——”")
    tables: list[Table] = Field(default_factory=list, description="本条中的表")
    figures: list[Figure] = Field(default_factory=list, description="本条中的图")
    examples: Examples = Field(default_factory=list)
    notes: Notes = Field(default_factory=list)
    clauses: list[Clause] = Field(default_factory=list, description="下一层条（章下最多 5 层）")


class NormativeReference(Node):
    noun: ClassVar[str] = "规范性引用文件"
    code: str = Field(description="文件编号，如“GB/T 1.1—2020”")
    title: str = Field(description="文件名称")


class NormativeReferences(Node):
    noun: ClassVar[str] = "规范性引用文件"
    statement: str = Field(
        "",
        description="引导语；没有引用文件时写“本文件没有规范性引用文件。”，有引用文件时可省略（使用标准引导语）",
    )
    documents: list[NormativeReference] = Field(default_factory=list, description="引用文件")


class Term(Node):
    noun: ClassVar[str] = "术语"
    id: Slug
    term: str = Field(description="术语")
    en: str = Field("", description="英文对应词")
    aliases: list[Annotated[str, Field(min_length=1)]] = Field(
        default_factory=list,
        description="别称、简称或口头说法（如“尿检”之于“尿液检测”），搜索这些词也能找到本术语；不在页面上列出",
    )
    definition: Text = Field(description="定义；不使用能愿动词（应、宜、可、必须等）")
    examples: Examples = Field(default_factory=list)
    notes: Notes = Field(default_factory=list)
    source: str = Field("", description="来源，如“GB/T 20000.1—2014，5.2”")


class Terms(Node):
    noun: ClassVar[str] = "术语和定义"
    statement: str = Field(
        "下列术语和定义适用于本文件。",
        description="引导语：“下列术语和定义适用于本文件。”；没有术语时写“本文件没有需要界定的术语和定义。”",
    )
    entries: list[Term] = Field(default_factory=list, description="术语条目")


class Annex(Node):
    noun: ClassVar[str] = "附录"
    id: Slug
    nature: Literal["规范性", "资料性"] = Field(description="附录性质：规范性 或 资料性")
    title: str = Field(description="附录标题")
    text: Text = Field("", description="附录正文")
    clauses: list[Clause] = Field(default_factory=list, description="附录中的条（编号 A.1、A.1.1…）")
    tables: list[Table] = Field(default_factory=list, description="附录中直接给出的表（编号表A.1…，与表单连续编号）")
    figures: list[Figure] = Field(default_factory=list, description="附录中直接给出的图（编号图A.1…）")
    forms: list[Form] = Field(default_factory=list, description="附录中的表单")


class Edition(Node):
    noun: ClassVar[str] = "版本"
    edition: str = Field(description="版次，如“第1版”")
    date: dt.date = Field(description="日期")
    changes: list[Text] = Field(default_factory=list, description="主要变化；首版写“首次发布”")


class Standard(Node):
    noun: ClassVar[str] = "标准"
    kind: Literal["standard"] = Field(description="文件类型")
    id: Slug
    sample: bool = Field(False, strict=True, description="是否为示例文件（示例文件在封面和页面上标注“示例”）")
    contents_lists_figures: bool = Field(False, strict=True, description="目次中是否列出图和表（GB/T 1.1—2020 允许列出）")
    cover: Cover
    foreword: Foreword
    introduction: Text = Field("", description="引言（可选）")
    scope: Text = Field(description="1 范围：“本文件规定了……本文件适用于……”")
    normative_references: NormativeReferences = Field(description="2 规范性引用文件")
    terms: Terms = Field(description="3 术语和定义")
    chapters: list[Clause] = Field(min_length=1, description="第 4 章起的核心技术章，每章为一棵条款树")
    annexes: list[Annex] = Field(default_factory=list, description="附录 A、B……")
    bibliography: list[str] = Field(default_factory=list, description="参考文献")
    history: list[Edition] = Field(min_length=1, description="版本历史")

    @property
    def title(self) -> str:
        return self.cover.title


# ---------------------------------------------------------------- manuals

class ManualMeta(Node):
    noun: ClassVar[str] = "手册信息"
    title: str = Field(description="手册名称")
    publisher: str = Field(description="编制单位")
    version: str = Field(description="版本，如“2026 年版”")
    date: dt.date = Field(description="编制日期")
    standard: Ref = Field(description="手册所依据的标准的文件ID")


class Step(Node):
    noun: ClassVar[str] = "步骤"
    actor: Annotated[str, Need(E_STEP_EMPTY, "步骤的执行者（actor）不能为空", not_blank=True)] = Field(
        description="执行者，如“禁毒社工”“督导”")
    action: Annotated[Text, Need(E_STEP_EMPTY, "步骤的行动（action）不能为空", not_blank=True)] = Field(
        description="行动")
    record: Ref | None = Field(None, description="产生的记录：表单 ID（须存在）")
    time_limit: str = Field("", description="时限，如“接案后 3 个工作日内”")


class Procedure(Node):
    noun: ClassVar[str] = "程序"
    id: Slug
    title: str = Field(description="程序名称")
    purpose: Text = Field("", description="目的")
    implements: list[Ref] = Field(default_factory=list, description="所落实的标准条款")
    steps: Annotated[list[Step], Need(E_STEPS, "程序“{title}”只有 {count} 个步骤，至少应有两个", min_items=2)] = Field(
        description="按顺序排列的步骤（至少两步）")
    notes: list[Text] = Field(default_factory=list, description="注意事项")


class Method(Node):
    noun: ClassVar[str] = "方法"
    id: Slug
    title: str = Field(description="方法或技巧名称")
    text: Text = Field(description="说明")
    items: list[Text] = Field(default_factory=list, description="要点")
    implements: list[Ref] = Field(default_factory=list, description="所落实的标准条款")


class Vignette(Node):
    noun: ClassVar[str] = "案例"
    id: Slug
    title: str = Field(description="案例标题")
    text: Text = Field(description="案例经过；人物一律写作“某”字形式，如朱某")
    discussion: list[Text] = Field(default_factory=list, description="讨论与启示")
    implements: list[Ref] = Field(default_factory=list, description="相关标准条款")


class ManualChapter(Node):
    noun: ClassVar[str] = "章"
    id: Slug
    title: str = Field(description="章标题")
    text: Text = Field("", description="概述")
    implements: list[Ref] = Field(default_factory=list, description="本章落实的标准条款")
    procedures: list[Procedure] = Field(default_factory=list, description="工作程序")
    methods: list[Method] = Field(default_factory=list, description="方法与技巧")
    cases: list[Vignette] = Field(default_factory=list, description="案例（已匿名化）")


class Manual(Node):
    noun: ClassVar[str] = "实务手册"
    kind: Literal["manual"] = Field(description="文件类型")
    id: Slug
    sample: bool = Field(False, strict=True, description="是否为示例文件")
    meta: ManualMeta
    foreword: Text = Field("", description="前言")
    chapters: list[ManualChapter] = Field(min_length=1, description="章")
    forms: list[Form] = Field(default_factory=list, description="表单（附于手册末尾，可打印空白表）")

    @property
    def title(self) -> str:
        return self.meta.title


# ---------------------------------------------------------------- curricula

Delivery = Literal["线上", "线下", "混合"]
_NO_SUPERVISION = "未声明督导模式，请填写 supervision.model（如“内主外辅、协同互助”）"
TeachingMethod = Literal["讲授", "研讨", "案例分析", "角色扮演", "实地实习", "督导", "参访", "演练", "自学"]


class CurriculumMeta(Node):
    noun: ClassVar[str] = "项目"
    title: str = Field(description="项目名称")
    organiser: str = Field(description="主办单位")
    partner: str = Field("", description="协办或承办单位")
    audience: str = Field(description="培训对象")
    delivery: Delivery = Field(description="实施方式")
    period: str = Field("", description="实施周期，如“2026 年 3 月至 12 月”")
    total_hours: Hours | None = Field(None, description="声明的总学时；填写后与各阶段之和核对")
    minutes_per_hour: int = Field(45, strict=True, ge=30, le=60, description="每学时的分钟数（通常为 45），用于核对教学流程")
    attendance_rule: float = Field(80, strict=False, gt=0, le=100, description="结业所需的出勤学时比例（%）")
    goals: list[Text] = Field(default_factory=list, description="总体目标")


class Supervision(Node):
    noun: ClassVar[str] = "督导"
    model: Annotated[str, Need(E_SUPERVISION, _NO_SUPERVISION, not_blank=True)] = Field(
        description="督导模式，如“内主外辅、协同互助、线上线下相结合”")
    internal: Text = Field("", description="内部督导的安排")
    external: Text = Field("", description="外部督导的安排")
    frequency: str = Field("", description="频次")
    modes: list[str] = Field(default_factory=list, description="督导形式，如个别督导、小组督导")


class Segment(Node):
    minutes: int = Field(strict=True, gt=0, description="时长（分钟）")
    activity: str = Field(description="环节内容，如“导入：匿名写下第一印象”")
    method: TeachingMethod | None = Field(None, description="教学方法，须是本课次 methods 中的一种；开场、小结可不填")
    materials: list[Text] = Field(default_factory=list, description="本环节使用的材料；写 [[表单ID]] 指向本课程的讲义或练习单")
    note: Text = Field("", description="培训者提示（只印在培训者手册中）")
    pause: bool = Field(False, description="课间休息：计入时间表，不计入学时")


class Session(Node):
    noun: ClassVar[str] = "课次"
    id: Slug
    title: str = Field(description="课次名称")
    hours: Hours
    start: str = Field("", pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$|^$",
                       description="开始时间，如“09:00”；填写后时间表印出每个环节的起止时刻")
    format: Annotated[Delivery | None, Need(E_FORMAT, "课次“{title}”没有注明形式（format）", required=True)] = Field(
        None, description="形式：线上 / 线下 / 混合")
    methods: Annotated[
        list[TeachingMethod], Need(E_FORMAT, "课次“{title}”没有注明教学方法（methods）", min_items=1)
    ] = Field(default_factory=list, description="教学方法")
    trainer_role: str = Field("", description="授课或带教人员的角色，如“外部督导”“资深禁毒社工”")
    objectives: Annotated[list[Text], Need(E_OBJECTIVES, "课次“{title}”没有学习目标（objectives）", min_items=1)] = Field(
        default_factory=list, description="学习目标（至少一条）")
    outline: list[Text] = Field(default_factory=list, description="内容提纲")
    materials: list[Text] = Field(default_factory=list, description="教材与材料；写 [[表单ID]] 指向本课程的讲义、卡片或模板（须存在）")
    assessment: Text = Field("", description="考核方式")
    trainer_notes: Text = Field("", description="培训者备注（只印在培训者手册中）")
    covers: list[Ref] = Field(default_factory=list, description="本课次讲授的标准条款")
    worksheets: list[Ref] = Field(default_factory=list, description="本课次使用的表单或练习单")
    agenda: list[Segment] = Field(default_factory=list, description="教学流程：按顺序排列的环节，分钟数之和等于学时")


class Module(Node):
    noun: ClassVar[str] = "模块"
    id: Slug
    title: str = Field(description="模块名称")
    type: Literal["公需", "专业"] = Field("专业", description="公需科目或专业科目")
    hours: Hours | None = Field(None, description="声明学时；填写后与各课次之和核对")
    sessions: list[Session] = Field(min_length=1, description="课次")


ItemKind = Literal["单选", "多选", "判断", "简答", "案例分析"]
ObjectiveRef = Annotated[
    str,
    Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*/[1-9][0-9]*$",
          description="学习目标：课次ID/序号，如 law-and-regulations/1 表示该课次的第 1 条学习目标"),
]


class Item(Node):
    snippet: ClassVar[dict | None] = {"id": "new-item", "kind": "判断", "stem": "【待填写】题干", "answer": "对"}  # E511
    id: Slug
    kind: ItemKind = Field(description="题型：单选、多选、判断、简答、案例分析")
    stem: Text = Field(description="题干")
    options: list[str] = Field(default_factory=list, description="选项（单选、多选），按 A、B、C、D 排列")
    answer: str = Field("", description="答案：选择题写字母（如“B”“ACD”），判断题写“对”或“错”")
    points: list[Text] = Field(default_factory=list, description="评分要点（简答、案例分析），每条写明要点")
    explanation: Text = Field("", description="解析（印在答案中）")
    score: float = Field(2, strict=False, gt=0, description="分值")
    lines: int = Field(6, ge=0, le=30, strict=True, description="试卷上留出的答题行数（简答、案例分析）")
    objectives: list[ObjectiveRef] = Field(default_factory=list, description="所考查的学习目标")
    clauses: list[Ref] = Field(default_factory=list, description="所依据的标准条款")


class Criterion(Node):
    title: str = Field(description="评分项目，如“资料收集”")
    weight: float = Field(strict=False, gt=0, description="分值（一张评分表各项合计 100）")
    descriptors: list[Text] = Field(default_factory=list, description="评分要点或等级描述")
    objectives: list[ObjectiveRef] = Field(default_factory=list, description="所考查的学习目标")


class Rubric(Node):
    snippet: ClassVar[dict | None] = {  # criteria add up to 100 (E513)
        "id": "new-rubric", "title": "【待填写】评分表名称", "criteria": [{"title": "【待填写】评分项目", "weight": 100}]}
    id: Slug
    title: str = Field(description="评分表名称，如“个案报告答辩评分表”")
    purpose: Text = Field("", description="使用说明")
    criteria: list[Criterion] = Field(min_length=1, description="评分项目")


class Component(Node):
    title: str = Field(description="考核组成部分，如“闭卷笔试”")
    weight: float = Field(strict=False, gt=0, description="占阶段成绩的百分比")
    minutes: int | None = Field(None, strict=True, gt=0, description="考试时长（分钟）")
    items: list[Ref] = Field(default_factory=list, description="题库中的题目 ID（组成试卷）")
    rubric: Ref | None = Field(None, description="评分表 ID（答辩、报告、演练等）")
    note: Text = Field("", description="说明，如“由带教老师评定”")


class PrePostTest(Node):
    title: str = Field("训前训后测试", description="名称")
    items: list[Ref] = Field(min_length=1, description="题库中的题目 ID；训前和训后使用同一组题目")


class Phase(Node):
    noun: ClassVar[str] = "阶段"
    id: Slug
    title: str = Field(description="阶段名称")
    period: str = Field("", description="时间安排")
    goals: list[Text] = Field(default_factory=list, description="阶段目标")
    hours: Hours | None = Field(None, description="声明学时；填写后与各模块之和核对")
    assessment: Annotated[Text, Need(E_ASSESS, "阶段“{title}”没有填写考核方式（assessment）", not_blank=True)] = Field(
        "", description="阶段考核方式（必填）")
    components: list[Component] = Field(default_factory=list, description="考核组成：题目或评分表及其权重（合计 100%）")
    pass_score: float | None = Field(None, strict=False, gt=0, le=100, description=(
        "合格分：阶段总分（各考核组成按权重合计，满分 100）达到它才算考核合格；填写后结业须出勤与考核都合格"))
    modules: list[Module] = Field(min_length=1, description="模块")


class Curriculum(Node):
    noun: ClassVar[str] = "培训课程"
    kind: Literal["curriculum"] = Field(description="文件类型")
    id: Slug
    sample: bool = Field(False, strict=True, description="是否为示例文件")
    meta: CurriculumMeta
    supervision: Annotated[Supervision | None, Need(E_SUPERVISION, _NO_SUPERVISION, required=True)] = Field(
        None, description="督导模式（必填）")
    phases: list[Phase] = Field(min_length=1, description="阶段")
    forms: list[Form] = Field(default_factory=list, description="练习单、讲义、卡片、模板、评估表等")
    items: list[Item] = Field(default_factory=list, description="题库")
    rubrics: list[Rubric] = Field(default_factory=list, description="评分表")
    pre_post_test: PrePostTest | None = Field(None, description="训前训后测试（可选）")

    @property
    def title(self) -> str:
        return self.meta.title


Document = Standard | Manual | Curriculum
KINDS: dict[str, type[Standard] | type[Manual] | type[Curriculum]] = {
    "standard": Standard,
    "manual": Manual,
    "curriculum": Curriculum,
}
