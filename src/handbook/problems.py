"""Problems found in the library, and the registry of rule codes that can produce them.

Every code an editor can see is registered here once, with its severity and a Chinese
summary; the rule catalogue on the site and in ``build.py rules`` is generated from it.
"""

from __future__ import annotations

import sys

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Literal

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity
    summary: str
    group: str


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    column: int
    code: str
    message: str
    # The file of an unusable document that made this problem appear (a reference into it cannot
    # be checked); ``check`` folds such problems into one line under their cause.
    cause: str = field(default="", compare=False)

    @property
    def severity(self) -> Severity:
        return RULES[self.code].severity

    def format(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.code} {self.message}"

    def as_dict(self) -> dict:
        return {**asdict(self), "severity": self.severity}


def report_lines(problems: list[Problem]) -> list[str]:
    """One line per problem, cause first; problems another file's failure caused are one line under it."""
    caused: dict[str, list[Problem]] = {}
    for p in problems:
        if p.cause:
            caused.setdefault(p.cause, []).append(p)
    lines, folded = [], set()
    shown = [p for p in problems if not p.cause]
    for i, p in enumerate(shown):
        lines.append(p.format())
        last_of_file = i + 1 == len(shown) or shown[i + 1].file != p.file
        if last_of_file and p.file in caused and p.file not in folded:
            lines.append(_fold_line(p.file, caused[p.file]))
            folded.add(p.file)
    lines += [_fold_line(cause, group) for cause, group in caused.items() if cause not in folded]
    return lines


def _fold_line(cause: str, group: list[Problem]) -> str:
    files = len({p.file for p in group})
    where = f"{files} 个文件中" if files > 1 else f"{group[0].file} 中"
    return f"{cause}: 另有 {len(group)} 处引用因此无法检查（在 {where}），改好这个文件后重新检查"


RULES: dict[str, Rule] = {}
_RANK = {"error": 1, "warning": 2, "info": 3}


def ordered(problems: Iterable[Problem], unusable_files: Iterable[str]) -> list[Problem]:
    """Cause first: errors that keep a document from loading, then other errors, warnings, notes;
    within each, by file, line and column."""
    unusable = set(unusable_files)

    def rank(p: Problem) -> int:
        return 0 if p.severity == "error" and p.file in unusable else _RANK[p.severity]

    return sorted(problems, key=lambda p: (rank(p), p.file, p.line, p.column, p.code))


def rule(code: str, summary: str, group: str) -> str:
    severity: Severity = {"E": "error", "W": "warning", "I": "info"}[code[0]]
    RULES[code] = Rule(code, severity, summary, group)
    return code


_FILE = "文件与 YAML 语法"
_SCHEMA = "字段与类型"
_STD = "标准（GB/T 1.1—2020 结构）"
_MANUAL = "实务手册"
_CURR = "培训课程"
_LIB = "全库一致性"

# File and YAML level
E_READ = rule("E100", "文件无法读取，或不是 UTF-8 编码", _FILE)
E_SYNTAX = rule("E101", "YAML 语法错误", _FILE)
E_DUPKEY = rule("E102", "同一映射中出现重复的键（后一个会覆盖前一个，造成内容丢失）", _FILE)
E_TAG = rule("E103", "不允许的 YAML 标签（如 !!python/object），内容不会被执行", _FILE)
E_ALIAS = rule("E104", "不允许使用 YAML 锚点和别名（&、*）", _FILE)
E_SIZE = rule("E105", "文件过大", _FILE)
E_EMPTY = rule("E106", "文件为空", _FILE)
E_TOPLEVEL = rule("E107", "文件顶层必须是映射（键: 值），不能是列表或单个值", _FILE)
E_KIND = rule("E108", "kind 缺失或取值无效（应为 standard、manual 或 curriculum）", _FILE)
E_NESTING = rule("E109", "嵌套层次过深（列表或映射套了太多层，多为缩进错误）", _FILE)
E_INVISIBLE = rule("E110", "文件中有看不见的控制字符（NUL、单独的回车 CR、行分隔符 U+2028 等）", _FILE)
E_NO_CONTENT = rule("E111", "项目中没有任何内容文件（standards/ 和 curricula/ 中没有 YAML）", _FILE)
E_OUTSIDE = rule("E112", "符号链接指向项目以外的文件，已拒绝读取", _FILE)

# Schema level
E_MISSING = rule("E201", "缺少必填字段", _SCHEMA)
E_UNKNOWN = rule("E202", "未知字段（会提示最接近的已知字段）", _SCHEMA)
E_TYPE = rule("E203", "字段类型错误（如需要文字却写了数字）", _SCHEMA)
E_CHOICE = rule("E204", "取值不在允许范围内", _SCHEMA)
E_DATE = rule("E205", "日期格式错误，应写作 YYYY-MM-DD", _SCHEMA)
E_ID = rule("E206", "ID 格式错误：只能用小写字母、数字和连字符", _SCHEMA)
E_VALUE = rule("E207", "取值无效（如列表为空、数值超出范围）", _SCHEMA)

# Standards
E_CODE_DASH = rule("E301", "文件编号应在年份前使用一字线“—”，如“示例/T 001—2026”", _STD)
E_DATES = rule("E302", "实施日期不得早于发布日期", _STD)
E_DEPTH = rule("E303", "条款层级超过 5 层（章下最多 5 层条）", _STD)
E_LONE = rule("E304", "同一层级只有一个条（单独的子条），应至少两个或取消分条", _STD)
E_TITLES = rule("E305", "同级条应全部有标题或全部无标题", _STD)
E_HANGING = rule("E306", "悬置段：标题与其下的条之间不应有段落", _STD)
E_MODAL = rule("E307", "术语定义中不应使用能愿动词（应、宜、可、必须等）", _STD)
E_REFS_STMT = rule("E308", "规范性引用文件的引导语不符合规定表述", _STD)
E_TERMS_STMT = rule("E309", "术语和定义的引导语不符合规定表述", _STD)
E_ANNEX_UNREF = rule("E310", "规范性附录未在正文中引用", _STD)
W_FOREWORD_FIXED = rule("W311", "前言说明中重复了自动生成的固定表述（起草依据、专利说明、首次发布）", _STD)
E_FIGURE_SOURCE = rule("E312", "图应有且只有一个来源：flow（流程图）或 file（SVG/PNG 文件）", _STD)
E_FIGURE_FILE = rule("E313", "图文件不存在、不是 SVG/PNG、超过 1 MB，或 SVG 中有脚本和外部引用", _STD)
E_FLOW_EDGE = rule("E314", "流程图的连线指向不存在的节点，或节点 ID 重复", _STD)
E_TABLE_CELLS = rule("E315", "表的某一行格数与表头不同", _STD)
W_UNCITED = rule("W316", "图或表没有在条文中提及（宜写“见[[ID]]”）", _STD)
E_LIST_LEAD = rule("E317", "列项应由引导语引出（在 text 中写引导语）", _STD)
W_LIST_PUNCT = rule("W318", "引导语以冒号结尾时，各项宜以分号结尾，最后一项以句号结尾", _STD)
W_LIST_MARK = rule("W319", "列项前手写了标号或符号（——、a)、•、· 等由输出自动加上）", _STD)
W_NOTE_REQUIREMENT = rule("W320", "注和示例是资料性的，不宜写“应”“不应”“必须”等要求", _STD)

# Manuals
E_STEPS = rule("E401", "程序至少应有两个步骤", _MANUAL)
E_STEP_EMPTY = rule("E402", "步骤的执行者和行动不能为空", _MANUAL)
E_CASE_ID = rule("E403", "案例中出现身份证号码，未匿名化", _MANUAL)
E_CASE_PHONE = rule("E404", "案例中出现手机号码，未匿名化", _MANUAL)
E_CASE_NAME = rule("E405", "案例人物应写作“某”字形式（如朱某）", _MANUAL)

# Curricula
E_OBJECTIVES = rule("E501", "课次至少应有一个学习目标", _CURR)
E_HOURS = rule("E502", "学时必须为正数", _CURR)
E_FORMAT = rule("E503", "课次应注明形式和至少一种教学方法", _CURR)
E_MODULE_SUM = rule("E504", "模块声明的学时与各课次学时之和不符", _CURR)
E_PHASE_SUM = rule("E505", "阶段声明的学时与各模块学时之和不符", _CURR)
E_TOTAL_SUM = rule("E506", "项目声明的总学时与各阶段学时之和不符", _CURR)
E_ASSESS = rule("E507", "每个阶段都应有考核方式", _CURR)
E_SUPERVISION = rule("E508", "未声明督导模式", _CURR)
E_AGENDA_SUM = rule("E509", "教学流程各环节的分钟数之和与课次学时不符", _CURR)
E_AGENDA_METHOD = rule("E510", "环节的教学方法不是本课次的教学方法之一", _CURR)
E_ANSWER = rule("E511", "题目缺少答案或评分要点，或答案与选项不符", _CURR)
E_WEIGHTS = rule("E512", "阶段考核各组成部分的权重之和不是 100%", _CURR)
E_RUBRIC_SUM = rule("E513", "评分表各评分项目的分值之和不是 100", _CURR)
W_UNTESTED = rule("W514", "阶段的学习目标没有任何题目或评分项目考查", _CURR)
E_OBJECTIVE_REF = rule("E515", "学习目标引用无效（应为“课次ID/序号”，且该课次有这一条目标）", _CURR)
E_HANDOUT = rule("E516", "材料引用的讲义不是本课程的表单", _CURR)
W_PASS_SCORE = rule("W517", "阶段写了合格分（pass_score），却没有说明总分由哪些考核组成（components）计算", _CURR)

# Privacy and wording (warnings: editors fix them, the build goes on unless --strict)
_PRIVACY = "隐私与用语"
W_RESIDENT_ID = rule("W701", "文字中出现有效的 18 位居民身份证号码", _PRIVACY)
W_MOBILE = rule("W702", "文字中出现大陆手机号码", _PRIVACY)
W_STIGMA = rule("W703", "使用了污名化用语（会提示建议用语，清单可配置）", _PRIVACY)
I_EXTERNAL_LINK = rule("I704", "内容中链接到外部网站（列出供核对）", _PRIVACY)

# Editing hints (new documents from `build.py new` start with placeholders)
W_PLACEHOLDER = rule("W101", "仍有未填写的占位内容（“【待填写】”）", "编辑提示")

# Library-wide
E_DUP_ID = rule("E601", "ID 重复", _LIB)
E_DANGLING = rule("E602", "引用无法解析（会提示最接近的现有 ID）", _LIB)
E_UNSAFE = rule("E603", "文字中含有脚本、内嵌网页或 javascript: 等危险链接", _LIB)
W_FACT_CONTRADICTED = rule("W604", "文字中写出的数值或说法与 facts.yaml 中的事实不一致（会提示应引用的 [[fact:ID]]）", _LIB)
I_FACT_RESTATED = rule("I605", "文字中直接写出了 facts.yaml 中已有的事实，建议改为引用 [[fact:ID]]，全库只写一次", _LIB)

# Wording of provisions (GB/T 1.1—2020 附录C and the wording list): warnings with the fix
_WORDING = "条文用语"
W_MODAL_ORDER = rule("W801", "能愿动词应放在动词前，“不少于”等放在宾语前（如“宜每月接受不少于 1 次督导”，不写“宜不少于”）", _WORDING)
W_LIST_MODAL_MISMATCH = rule("W802", "列项使用的能愿动词与引导语不一致（如“应”的引导语下出现“不宜”）", _WORDING)
W_LIST_MODAL_REPEATED = rule("W803", "引导语已有能愿动词，列项中又重复使用", _WORDING)
W_LABEL_DOUBLED = rule("W804", "“注”“示例”标签重复（输出会自动加上标签，或写成了“注：示例：”）", _WORDING)
W_LATIN_GLOSS = rule("W805", "中文正文中用括号夹注外文词（外文对应词写在术语的 en 字段）", _WORDING)

# Review rounds: a draft's cover, and the comments collected on it (comments/<standard-id>.yaml or .xlsx)
_REVIEW = "征求意见与意见处理"
E_DRAFT_DATE = rule("E901", "草案（工作组讨论稿、征求意见稿、送审稿、报批稿）应写本稿完成日期 draft_date", _REVIEW)
E_RELEASE_DATES = rule("E902", "发布稿应写发布日期 issued 和实施日期 effective", _REVIEW)
E_COMMENTS_STANDARD = rule("E903", "意见文件对应的标准不存在（文件名或 standard 应为标准的文件 ID）", _REVIEW)
E_COMMENT_CLAUSE = rule("E904", "意见所指的章条在所征求意见的那一稿中不存在", _REVIEW)
E_COMMENT_DECISION = rule("E905", "处理意见不在允许范围内（采纳、部分采纳、不采纳，未处理时留空）", _REVIEW)
E_COMMENT_REASON = rule("E906", "部分采纳或不采纳的意见应写明处理说明（理由）", _REVIEW)
E_COMMENTS_FILE = rule("E907", "意见表格无法读取，或缺少“章条编号”“修改意见”栏目", _REVIEW)
E_COMMENTS_REVISION = rule("E908", "意见文件写的 revision 不是本仓库中的 git 版本，或该版本中没有这份标准", _REVIEW)
W_COMMENT_CHANGED = rule("W909", "意见所指的章条在下一稿中已修改、移动或删除（生成意见汇总处理表时提示，便于复核）", _REVIEW)

# Editor text: what a Markdown field may contain (handbook.text), and what a plain field may not
_MARKUP = "文字与 Markdown"
E_HTML = rule("E811", "Markdown 字段中写了 HTML 标签或注释（不支持 HTML，会原样显示为文字）", _MARKUP)
E_ATTR_LIST = rule("E812", "Markdown 字段中写了属性列表“{: …}”（不支持，会原样显示为文字）", _MARKUP)
E_IMAGE = rule("E813", "图片只能引用与 YAML 放在一起、随项目提供的图片文件", _MARKUP)
E_LINK = rule("E814", "链接只能指向 http(s)、mailto 地址；文件内引用请写 [[ID]]", _MARKUP)
E_REF_FORM = rule("E815", "引用写法有误：[[ 与 ]] 没有成对，或 ID 两侧有空格", _MARKUP)
W_REF_PLAIN = rule("W816", "纯文字字段中写了 [[引用]] 或 Markdown 链接（不会变成链接）", _MARKUP)


def refuse_on_errors(errors: list[Problem], not_made: str) -> bool:
    """Print the errors that stop a build, then what was not made (" PDF", " Word 文件"); True if any."""
    if not errors:
        return False
    for problem in errors:
        print(problem.format(), file=sys.stderr)
    print(f"内容有 {len(errors)} 个错误，未生成{not_made}。请先修正（python build.py check）。", file=sys.stderr)
    return True
