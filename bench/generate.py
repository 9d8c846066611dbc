"""A valid synthetic content library of any size, and the same pages as plain Markdown.

``generate(out_dir, pages=N, seed=0)`` writes under ``out_dir``:

- ``standards/*.yaml`` (standards and practice manuals) and ``curricula/*.yaml`` in the real
  formats of ``handbook.models``, which ``python build.py --root out_dir check`` passes;
- ``baseline/``: the same documents as one Markdown page each, with a stock ``mkdocs.yml``
  (Material, ``search: lang: zh``) -- the naive site a user would otherwise set up;
- ``bench-manifest.json``: counts, the largest handbook's ID and a clause to edit.

One page is one document, because the site makes one page per document. A page unit is about
2,500 Chinese characters: a standard with three core chapters, terms and two annexes, a manual
with two chapters, or a curriculum with two phases. One manual, the "large handbook" used for
the PDF timing, is ``handbook_units`` page units long (default ``pages // 18``: 55 units at
1,000 pages, about 200 printed A4 pages, measured); it is still one page of the site.

The text is composed from a vocabulary of the field's words and phrases, deterministic for a
seed; it reads like professional Chinese but is sample content, marked ``sample: true``.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from pathlib import Path

import yaml

# ---------------------------------------------------------------- vocabulary

SURNAMES = "朱李王陈周何吴郑孙黄赵刘林徐"
SUBJECTS = ["禁毒社工", "服务机构", "项目负责人", "督导", "个案管理者", "社区戒毒社区康复工作机构", "朋辈辅导员", "服务团队"]
MODALS = ["应", "应", "应", "宜", "可"]
VERBS = ["评估", "记录", "跟进", "梳理", "链接", "协调", "核实", "更新", "回顾", "整理", "关注", "分析"]
OBJECTS = [
    "服务对象的戒毒康复需求", "家庭支持状况", "就业和生活困难", "复吸高危情境", "社会支持网络", "报到和检测安排",
    "个案服务计划的执行情况", "社区康复协议的履行情况", "心理健康状况", "改变动机和所处的改变阶段", "保护性因素",
    "服务对象的优势和资源", "家属的照顾压力", "社区禁毒宣传教育的覆盖情况", "帮扶救助政策的落实情况", "转介服务的进展",
    "朋辈支持小组的参与情况", "职业技能培训的需求", "危机风险等级", "服务记录的完整性",
]
PURPOSES = [
    "以巩固戒毒操守", "帮助服务对象回归家庭和社会", "降低复吸风险", "保持服务的连续性", "确保服务记录完整、准确",
    "促进服务对象的社会融入", "提升服务对象应对高危情境的能力", "减少社会歧视", "为调整服务计划提供依据",
    "增强服务对象的改变动机", "减轻家庭的照顾压力", "推动帮扶救助资源的整合", "提高禁毒宣传教育的针对性",
]
TIMINGS = [
    "在接案后五个工作日内", "每月至少一次", "在服务对象出所前三十日", "每季度", "在结案前", "在服务计划调整时",
    "在每次面谈后两个工作日内", "在重要节假日前", "每半年", "在首次面谈时", "在转介前", "在家访后", "",
]
# Phrases are composed from parts so that, as in real text, few whole phrases repeat word for word.
ADVERBS = ["", "", "及时", "定期", "主动", "协同", "持续", "全面", "逐项", "分类", "动态", "有针对性地", "会同家属"]
OWNERS = [
    "服务对象", "家庭成员", "戒毒康复人员", "青少年服务对象", "社区康复人员", "社区戒毒人员", "小组组员", "朋辈辅导员",
    "禁毒志愿者", "重点服务对象", "新接案服务对象", "出所人员", "女性服务对象", "老年服务对象",
]
ASPECTS = [
    "戒毒康复需求", "家庭支持状况", "就业意愿", "生活困难", "复吸高危情境", "社会支持网络", "报到和检测安排", "心理健康状况",
    "改变动机", "保护性因素", "优势和资源", "照顾压力", "技能培训需求", "危机风险等级", "社会融入程度", "康复目标", "居住状况",
    "经济来源", "人际关系", "作息规律", "服药依从性", "法律咨询需求", "子女照顾安排", "情绪变化",
]
EVENTS = [
    "出现明显情绪波动", "与家人发生冲突", "失业或收入中断", "连续两次未按时报到", "检测结果异常", "面临重大生活变故",
    "表达改变意愿", "主动寻求帮助", "重返原居住地", "接触原吸毒人员", "完成阶段康复目标", "提出转介需求", "出现自伤念头",
    "刚解除强制隔离戒毒", "更换工作单位", "身体健康状况变化",
]
PLACES = ["", "", "在社区", "在服务对象家中", "在禁毒社工服务站", "在学校", "在戒毒场所", "在工作单位", "在线上", "在康复驿站"]
PURPOSE_PAIRS = [
    ("提升", "应对高危情境的能力"), ("促进", "社会融入"), ("增强", "改变动机"), ("巩固", "戒毒操守"), ("减轻", "生活困难"),
    ("保障", "合法权益"), ("修复", "家庭关系"), ("拓展", "社会支持网络"), ("提高", "就业能力"), ("稳定", "情绪状态"),
    ("明确", "康复目标"), ("保护", "个人隐私"), ("落实", "帮扶救助政策"), ("改善", "居住条件"), ("增进", "自我照顾能力"),
]
CONDITIONS = [
    "服务对象出现明显情绪波动时", "家庭关系紧张时", "服务对象失业或收入中断时", "服务对象连续两次未按时报到时",
    "检测结果异常时", "服务对象面临重大生活变故时", "服务对象表达改变意愿时", "家属主动寻求帮助时",
]
METHOD_PHRASES = [
    "动机式访谈", "复吸预防训练", "优势视角的个案管理", "认知行为干预", "家庭会谈", "同伴支持小组", "正念减压练习",
    "社区资源链接", "危机干预", "生涯规划辅导", "禁毒宣传教育活动", "朋辈辅导",
]
ACTIONS = ["开展", "组织", "运用", "实施", "配合开展"]
TERM_POOL = [
    ("社区戒毒", "community drug treatment", "community-drug-treatment"),
    ("社区康复", "community rehabilitation", "community-rehabilitation"),
    ("动机式访谈", "motivational interviewing", "motivational-interviewing"),
    ("复吸预防", "relapse prevention", "relapse-prevention"),
    ("帮扶救助", "assistance and relief", "assistance-relief"),
    ("禁毒宣传教育", "drug prevention education", "prevention-education"),
    ("高危情境", "high-risk situation", "high-risk-situation"),
    ("朋辈辅导员", "peer counsellor", "peer-counsellor"),
    ("个案管理", "case management", "case-management"),
    ("社会支持网络", "social support network", "social-support-network"),
    ("无缝衔接", "seamless linkage", "seamless-linkage"),
    ("专业督导", "professional supervision", "professional-supervision"),
    ("保护性因素", "protective factor", "protective-factor"),
    ("戒毒操守", "abstinence maintenance", "abstinence-maintenance"),
]
DEF_CONTEXTS = ["在社区戒毒和社区康复工作中", "在禁毒社会工作服务过程中", "在戒毒康复人员回归社会的过程中", "在个案和小组服务中"]
DEF_MEANS = [
    "以服务对象的需求为本", "通过专业关系和系统评估", "运用社会工作的知识和技巧", "依托家庭、社区和服务机构的资源",
    "以尊重和接纳为基础",
]
DEF_ENDS = [
    "帮助服务对象巩固操守、修复社会关系", "协助服务对象识别风险并提升应对能力", "整合帮扶救助资源、减轻生活困难",
    "增进公众对毒品危害的认识", "促进服务对象回归家庭和社会",
]
DEF_KINDS = ["专业服务活动", "工作方法", "服务过程", "支持体系", "工作机制"]
TOPICS = [
    ("community-rehab", "社区康复服务"), ("relapse-prevention", "复吸预防服务"), ("assistance", "帮扶救助服务"),
    ("prevention-education", "禁毒宣传教育服务"), ("case-management", "个案管理服务"), ("family-support", "家庭支持服务"),
    ("employment", "就业帮扶服务"), ("peer-support", "朋辈辅导服务"), ("crisis", "危机干预服务"),
    ("linkage", "场所与社区衔接服务"), ("youth", "青少年毒品预防服务"), ("supervision", "专业督导"),
]
DOC_KINDS = ["服务规范", "服务指南", "工作指引", "评估规范"]
CHAPTERS = [
    ("principles", "服务原则"), ("content", "服务内容"), ("methods", "服务方法"), ("process", "服务流程"),
    ("records", "服务记录与信息管理"), ("assurance", "服务保障"), ("evaluation", "评价与改进"), ("staffing", "人员要求"),
    ("risk", "风险管理"), ("cooperation", "协同联动"),
]
CLAUSE_TITLES = [
    "需求评估", "服务计划", "计划实施", "跟进回访", "结案评估", "转介衔接", "信息保密", "记录归档", "家庭介入", "社区参与",
    "危机处置", "资源链接", "能力建设", "质量控制", "督导支持", "宣传活动", "就业指导", "心理疏导", "小组活动", "志愿服务",
    "报到登记", "检测提醒", "康复训练", "技能培训",
]
FORM_FIELDS = [
    ("服务对象编号", "text"), ("填写日期", "date"), ("禁毒社工", "text"), ("服务形式", "check"), ("服务内容摘要", "lines"),
    ("服务对象的反馈", "lines"), ("风险等级", "check"), ("下一步计划", "lines"), ("督导意见", "lines"), ("签名", "sign"),
    ("服务时长（分钟）", "number"),
]
FORM_TITLES = ["接案登记表", "需求评估表", "服务计划表", "服务过程记录表", "转介单", "结案报告表", "小组活动记录表", "家访记录表", "签到表", "培训评估表"]
ACTORS = ["禁毒社工", "督导", "项目负责人", "个案管理者", "朋辈辅导员"]
TIME_LIMITS = ["接案后 3 个工作日内", "当日", "每月", "出所前 30 日", "结案前", "面谈后 2 个工作日内", ""]
CASE_BACKGROUNDS = [
    "解除强制隔离戒毒后回到社区接受社区康复", "正在执行社区戒毒，与父母同住", "失业近半年，家庭经济较为困难",
    "曾多次戒断又复吸，对康复缺乏信心", "与家人关系紧张，长期独居",
]
CASE_EVENTS = [
    "因工作受挫情绪低落，几次提到想找旧友聚会", "连续两次未按时报到", "主动表示希望找到一份稳定的工作",
    "与家人发生争吵后离家数日", "在节假日前表现出明显的焦虑",
]
CASE_RESPONSES = [
    "及时上门走访，运用动机式访谈了解其真实想法", "联系社区戒毒社区康复工作机构，共同商定跟进方案",
    "召开家庭会议，协助家人表达关心和期待", "链接就业帮扶资源，陪同参加职业技能培训报名",
    "与督导讨论后制定危机应对计划",
]
CASE_OUTCOMES = ["保持了操守，按时报到", "重新建立了与家人的联系", "在一家物流企业稳定就业", "加入了同伴支持小组并坚持参加活动"]
DISCUSSIONS = [
    "识别高危情境并及早介入，是预防复吸的关键。", "家庭支持对服务对象的康复有重要作用，宜将家属纳入服务。",
    "服务中要尊重服务对象的自主选择，避免说教。", "跨部门协作要明确分工，并保护服务对象的隐私。",
]
SESSION_TITLES = [
    "禁毒法律法规与政策", "成瘾的生理心理机制", "动机式访谈基础", "复吸预防技术", "个案管理实务", "小组工作设计与带领",
    "家庭支持与家庭会谈", "危机识别与干预", "服务记录规范", "禁毒宣传教育活动策划", "朋辈辅导的角色与边界", "自我照顾与压力管理",
]
TEACHING = ["讲授", "研讨", "案例分析", "角色扮演", "演练", "督导"]


class _Dumper(yaml.SafeDumper):
    """Never write anchors and aliases (the loader refuses them) and never fold long lines."""

    def ignore_aliases(self, data):
        return True


def dump_yaml(data: dict, schema: str) -> str:
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10**9)
    return (
        f"# yaml-language-server: $schema=../docs/schema/{schema}.schema.json\n"
        "# 示例文件：基准测试生成的合成内容，机构、人物和编号均为虚构。\n" + body
    )


class Generator:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.clauses: list[tuple[str, str]] = []  # (standard id, leaf clause id) available for references
        self.labels: dict[str, str] = {}  # "doc#id" -> label, for the Markdown baseline

    # ------------------------------------------------------------ text
    def pick(self, seq, k=None):
        return self.rng.choice(seq) if k is None else self.rng.sample(seq, k)

    def obj(self) -> str:
        if self.rng.random() < 0.25:
            return self.pick(OBJECTS)
        return f"{self.pick(OWNERS)}的{self.pick(ASPECTS)}"

    def condition(self) -> str:
        if self.rng.random() < 0.2:
            return self.pick(CONDITIONS)
        return f"{self.pick(OWNERS)}{self.pick(EVENTS)}时"

    def purpose(self) -> str:
        if self.rng.random() < 0.3:
            return self.pick(PURPOSES)
        verb, what = self.pick(PURPOSE_PAIRS)
        return f"{self.pick(['以', '从而', ''])}{verb}{self.pick(OWNERS)}的{what}"

    def sentence(self) -> str:
        r = self.rng.random()
        if r < 0.4:
            return (f"{self.pick(SUBJECTS)}{self.pick(MODALS)}{self.pick(TIMINGS)}{self.pick(ADVERBS)}{self.pick(VERBS)}"
                    f"{self.obj()}，{self.purpose()}。")
        if r < 0.7:
            return (f"{self.condition()}，{self.pick(SUBJECTS)}{self.pick(MODALS)}{self.pick(PLACES)}{self.pick(ACTIONS)}"
                    f"{self.pick(METHOD_PHRASES)}，并{self.pick(ADVERBS)}{self.pick(VERBS)}{self.obj()}。")
        return (f"{self.pick(ACTIONS)}{self.pick(METHOD_PHRASES)}时，{self.pick(MODALS)}结合{self.obj()}和{self.obj()}，"
                f"{self.purpose()}。")

    def paragraph(self, n: int) -> str:
        return "".join(self.sentence() for _ in range(n))

    def item(self) -> str:
        return f"{self.pick(ADVERBS)}{self.pick(VERBS)}{self.obj()}，{self.purpose()}；"

    def items(self, n: int) -> list[str]:
        out = [self.item() for _ in range(n)]
        out[-1] = out[-1][:-1] + "。"
        return out

    def definition(self) -> str:
        return f"{self.pick(DEF_CONTEXTS)}，{self.pick(DEF_MEANS)}，{self.pick(DEF_ENDS)}的{self.pick(DEF_KINDS)}。"

    def person(self) -> str:
        return f"{self.pick(SURNAMES)}某"

    def date(self, year: int) -> dt.date:
        return dt.date(year, self.rng.randint(1, 12), self.rng.randint(1, 28))

    def form(self, fid: str, title: str) -> dict:
        fields = []
        for label, kind in self.pick(FORM_FIELDS, self.rng.randint(4, 7)):
            field = {"label": label, "type": kind}
            if kind == "lines":
                field["lines"] = self.rng.randint(2, 4)
            if kind == "check":
                field["options"] = ["面谈", "电话", "家访"] if label == "服务形式" else ["低", "中", "高"]
            fields.append(field)
        return {"id": fid, "title": title, "purpose": self.paragraph(1), "fields": fields}

    # ------------------------------------------------------------ standards
    def clause(self, cid: str, title: str, refs: list[str]) -> dict:
        clause = {"id": cid, "title": title, "text": self.paragraph(self.rng.randint(1, 3))}
        if refs:
            clause["text"] += "".join(refs)
        if self.rng.random() < 0.35:
            clause["text"] += "主要包括："
            clause["items"] = self.items(self.rng.randint(2, 4))
        if self.rng.random() < 0.15:
            clause["notes"] = [self.note()]  # the output adds “注：” (W804)
        return clause

    def note(self) -> str:
        """A sentence for a 注, which is informative: no 应/必须/不得 (W320)."""
        text = re.sub(r"应当|应(?![对急用变])", "通常", self.sentence())
        return text.replace("必须", "需要").replace("不得", "不会")

    def standard(self, i: int) -> dict:
        topic_slug, topic = TOPICS[i % len(TOPICS)]
        sid = f"{topic_slug}-{i:04d}"
        year = 2020 + i % 7
        title = f"禁毒社会工作{topic}{self.pick(DOC_KINDS)}（示例{i}）"
        terms = [
            {"id": slug, "term": term, "en": en, "definition": self.definition()}
            for term, en, slug in self.pick(TERM_POOL, 3)
        ]
        annex_a, annex_b = f"annex-{topic_slug}-forms", f"annex-{topic_slug}-notes"
        chapters, leaves = [], []
        for c, (cslug, ctitle) in enumerate(self.pick(CHAPTERS, 3)):
            children = []
            titles = self.pick(CLAUSE_TITLES, self.rng.randint(2, 4))
            for k, ctit in enumerate(titles):
                cid = f"{cslug}-{k + 1}"
                refs = []
                if self.rng.random() < 0.3:
                    term = self.pick(terms)
                    refs.append(f"有关{term['term']}的界定见 [[{term['id']}]]。")
                if self.clauses and self.rng.random() < 0.15:
                    other, ocl = self.pick(self.clauses)
                    refs.append(f"与 [[{other}#{ocl}]] 的要求相衔接。")
                if k == 0 and self.rng.random() < 0.3:  # a titled clause split into sub-clauses
                    subs = [self.clause(f"{cid}-{s + 1}", t, refs if s == 0 else [])
                            for s, t in enumerate(self.pick(CLAUSE_TITLES, self.rng.randint(2, 3)))]
                    children.append({"id": cid, "title": ctit, "clauses": subs})
                    leaves += [s["id"] for s in subs]
                else:
                    children.append(self.clause(cid, ctit, refs))
                    leaves.append(cid)
            chapters.append({"id": cslug, "title": ctitle, "clauses": children})
        last = chapters[-1]["clauses"][-1]
        while "clauses" in last:
            last = last["clauses"][-1]
        last["text"] += f"记录表式见 [[{annex_a}]]。"
        forms = [self.form(f"form-{topic_slug}-{n + 1}", t) for n, t in enumerate(self.pick(FORM_TITLES, 2))]
        doc = {
            "kind": "standard",
            "id": sid,
            "sample": True,
            "cover": {
                "level": "示例市社会工作团体标准（示例）",
                "code": f"示例/T {i + 100:03d}—{year}",
                "title": title,
                "title_en": f"Anti-drug social work: {topic_slug.replace('-', ' ')} (sample {i})",
                "ics": "03.080",
                "ccs": "A 16",
                "issued": dt.date(year, 3, 1),
                "effective": dt.date(year, 6, 1),
                "publisher": "示例市社会工作者协会",
                "status": "发布稿",
            },
            "foreword": {
                "text": "本文件为基准测试生成的示例文件。" + self.paragraph(1),
                "proposer": "示例市禁毒委员会办公室",
                "administrator": "示例市社会工作者协会",
                "drafting_units": ["示例市社会工作者协会", "示例市启航社会工作服务中心"],
                "drafters": [self.person() for _ in range(3)],
            },
            "scope": f"本文件规定了{topic}的服务原则、服务内容、服务流程和评价要求。本文件适用于禁毒社会工作服务机构及其禁毒社工开展{topic}。",
            "normative_references": {"statement": "本文件没有规范性引用文件。"},
            "terms": {"statement": "下列术语和定义适用于本文件。", "entries": terms},
            "chapters": chapters,
            "annexes": [
                {"id": annex_a, "nature": "规范性", "title": f"{topic}记录表式", "forms": forms},
                {"id": annex_b, "nature": "资料性", "title": f"{topic}实施要点",
                 "clauses": [self.clause(f"{annex_b}-{n}", t, []) for n, t in enumerate(self.pick(CLAUSE_TITLES, 2), 1)]},
            ],
            "history": [{"edition": "第1版", "date": dt.date(year, 3, 1), "changes": ["首次发布"]}],
        }
        self.clauses += [(sid, leaf) for leaf in leaves]
        return doc

    # ------------------------------------------------------------ manuals
    def manual(self, i: int, standard: dict, units: int = 1) -> dict:
        sid = standard["id"]
        own = [c for s, c in self.clauses if s == sid]
        forms = [self.form(f"form-{n + 1}", t) for n, t in enumerate(self.pick(FORM_TITLES, 3))]
        chapters = []
        for c in range(2 * units):
            steps = [
                {"actor": self.pick(ACTORS), "action": self.sentence(), "record": self.pick(forms)["id"],
                 "time_limit": self.pick(TIME_LIMITS)}
                for _ in range(self.rng.randint(3, 5))
            ]
            for step in steps:
                if not step["time_limit"]:
                    del step["time_limit"]
            s = self.person()
            case = {
                "id": f"case-{c + 1}",
                "title": f"{self.pick(CLAUSE_TITLES)}案例",
                "text": (f"服务对象{s}，{self.rng.randint(22, 55)}岁，{self.pick(CASE_BACKGROUNDS)}。某日，{s}{self.pick(CASE_EVENTS)}。"
                         f"禁毒社工{self.pick(CASE_RESPONSES)}，并{self.pick(VERBS)}{self.obj()}。"
                         f"经过三个月的跟进，{s}{self.pick(CASE_OUTCOMES)}。"),
                "discussion": self.pick(DISCUSSIONS, 2),
                "implements": [f"{sid}#{self.pick(own)}"],
            }
            chapters.append({
                "id": f"chapter-{c + 1}",
                "title": f"{self.pick(CLAUSE_TITLES)}实务",
                "text": self.paragraph(2),
                "implements": [f"{sid}#{x}" for x in self.pick(own, min(2, len(own)))],
                "procedures": [{"id": f"procedure-{c + 1}", "title": f"{self.pick(CLAUSE_TITLES)}程序",
                                "purpose": self.sentence(), "implements": [f"{sid}#{self.pick(own)}"], "steps": steps,
                                "notes": [self.sentence()]}],
                "methods": [{"id": f"method-{c + 1}", "title": self.pick(METHOD_PHRASES), "text": self.paragraph(2),
                             "items": self.items(3), "implements": [f"{sid}#{self.pick(own)}"]}],
                "cases": [case] if c % 2 == 0 else [],
            })
        return {
            "kind": "manual",
            "id": f"manual-{i:04d}",
            "sample": True,
            "meta": {"title": f"{standard['cover']['title'].split('（')[0]}实务手册（示例{i}）", "publisher": "示例市启航社会工作服务中心",
                     "version": "2026 年版", "date": self.date(2026), "standard": sid},
            "foreword": "本手册为基准测试生成的示例文件。" + self.paragraph(2),
            "chapters": chapters,
            "forms": forms,
        }

    # ------------------------------------------------------------ curricula
    def curriculum(self, i: int) -> dict:
        forms = [self.form("form-sign-in", "签到表"), self.form("form-evaluation", "培训评估表")]
        phases, total = [], 0.0
        for p in range(2):
            modules = []
            for m in range(2):
                sessions = []
                for s in range(2):
                    doc_id, clause_id = self.pick(self.clauses)
                    sessions.append({
                        "id": f"session-{p + 1}-{m + 1}-{s + 1}",
                        "title": self.pick(SESSION_TITLES),
                        "hours": self.pick([1.5, 2.0, 3.0]),
                        "format": self.pick(["线上", "线下", "混合"]),
                        "methods": self.pick(TEACHING, 2),
                        "trainer_role": self.pick(["外部督导", "资深禁毒社工", "项目负责人"]),
                        "objectives": [f"能够{self.pick(VERBS)}{self.obj()}。", f"掌握{self.pick(METHOD_PHRASES)}的要点。"],
                        "outline": self.items(3),
                        "assessment": "课堂练习和案例讨论",
                        "covers": [f"{doc_id}#{clause_id}"],
                        "worksheets": [self.pick(forms)["id"]],
                    })
                hours = sum(x["hours"] for x in sessions)
                modules.append({"id": f"module-{p + 1}-{m + 1}", "title": f"{self.pick(METHOD_PHRASES)}模块",
                                "type": self.pick(["公需", "专业"]), "hours": hours, "sessions": sessions})
            hours = sum(x["hours"] for x in modules)
            total += hours
            phases.append({"id": f"phase-{p + 1}", "title": ["入职培训", "在岗提升"][p], "period": f"第 {p + 1} 季度",
                           "goals": [self.sentence()], "hours": hours, "assessment": "阶段考核：书面测试和个案报告",
                           "modules": modules})
        return {
            "kind": "curriculum",
            "id": f"curriculum-{i:04d}",
            "sample": True,
            "meta": {"title": f"禁毒社工{self.pick(METHOD_PHRASES)}培训项目（示例{i}）", "organiser": "示例市禁毒委员会办公室",
                     "partner": "示例市社会工作者协会", "audience": "新入职禁毒社工", "delivery": "混合",
                     "period": "2026 年 3 月至 12 月", "total_hours": total, "goals": [self.sentence(), self.sentence()]},
            "supervision": {"model": "内主外辅、协同互助、线上线下相结合", "internal": self.sentence(), "external": self.sentence(),
                            "frequency": "每月一次", "modes": ["个别督导", "小组督导"]},
            "phases": phases,
            "forms": forms,
        }


# ---------------------------------------------------------------- Markdown baseline

_REF = re.compile(r"\[\[([^\[\]\s]+)\]\]")


def _text(text: str, doc_id: str, labels: dict[str, str]) -> str:
    return _REF.sub(lambda m: labels.get(m[1] if "#" in m[1] else f"{doc_id}#{m[1]}", m[1]), text)


def _form_md(form: dict) -> list[str]:
    lines = [f"**{form['title']}**", "", form.get("purpose", ""), "", "| 栏目 | 填写 |", "|---|---|"]
    lines += [f"| {f['label']} | {'、'.join(f.get('options', [])) or ' '} |" for f in form["fields"]]
    return lines + [""]


def _clause_md(c: dict, level: int, doc_id: str, labels: dict) -> list[str]:
    out = [f"{'#' * min(level, 6)} {c.get('title', '')}", ""]
    if c.get("text"):
        out += [_text(c["text"], doc_id, labels), ""]
    out += [f"- {_text(x, doc_id, labels)}" for x in c.get("items", [])]
    for note in c.get("notes", []):
        out += ["", f"注：{_text(note, doc_id, labels)}"]
    out.append("")
    for sub in c.get("clauses", []):
        out += _clause_md(sub, level + 1, doc_id, labels)
    return out


def to_markdown(doc: dict, labels: dict[str, str]) -> str:
    d, t = doc["id"], lambda s: _text(s, doc["id"], labels)
    if doc["kind"] == "standard":
        out = [f"# {doc['cover']['title']}", "", f"{doc['cover']['code']}　{doc['cover']['publisher']}", "", "## 前言", "",
               t(doc["foreword"]["text"]), "", "## 1 范围", "", t(doc["scope"]), "", "## 2 规范性引用文件", "",
               doc["normative_references"]["statement"], "", "## 3 术语和定义", "", doc["terms"]["statement"], ""]
        for n, term in enumerate(doc["terms"]["entries"], 1):
            out += [f"### 3.{n} {term['term']} {term['en']}", "", t(term["definition"]), ""]
        for chapter in doc["chapters"]:
            out += _clause_md(chapter, 2, d, labels)
        for annex in doc["annexes"]:
            out += [f"## 附录 {annex['title']}（{annex['nature']}）", ""]
            for c in annex.get("clauses", []):
                out += _clause_md(c, 3, d, labels)
            for form in annex.get("forms", []):
                out += _form_md(form)
    elif doc["kind"] == "manual":
        out = [f"# {doc['meta']['title']}", "", t(doc["foreword"]), ""]
        for ch in doc["chapters"]:
            out += [f"## {ch['title']}", "", t(ch["text"]), ""]
            for p in ch["procedures"]:
                out += [f"### {p['title']}", "", t(p["purpose"]), "", "| 步骤 | 执行者 | 行动 | 记录 | 时限 |", "|---|---|---|---|---|"]
                out += [f"| {n} | {s['actor']} | {t(s['action'])} | {labels.get(d + '#' + s['record'], '')} | {s.get('time_limit', '')} |"
                        for n, s in enumerate(p["steps"], 1)]
                out += [""] + [f"- {t(x)}" for x in p["notes"]] + [""]
            for m in ch["methods"]:
                out += [f"### {m['title']}", "", t(m["text"]), ""] + [f"- {t(x)}" for x in m["items"]] + [""]
            for c in ch["cases"]:
                out += [f"### {c['title']}", "", t(c["text"]), ""] + [f"- {t(x)}" for x in c["discussion"]] + [""]
        out += ["## 表单", ""]
        for form in doc["forms"]:
            out += _form_md(form)
    else:
        meta = doc["meta"]
        out = [f"# {meta['title']}", "", f"主办单位：{meta['organiser']}；培训对象：{meta['audience']}；总学时：{meta['total_hours']:g}", ""]
        out += [f"- {t(g)}" for g in meta["goals"]] + ["", "## 督导安排", "", doc["supervision"]["model"], "",
                                                       t(doc["supervision"]["internal"]), ""]
        for phase in doc["phases"]:
            out += [f"## {phase['title']}（{phase['hours']:g} 学时）", "", phase["assessment"], ""]
            for module in phase["modules"]:
                out += [f"### {module['title']}", ""]
                for s in module["sessions"]:
                    out += [f"#### {s['title']}（{s['hours']:g} 学时，{s['format']}）", "", "学习目标：", ""]
                    out += [f"- {t(x)}" for x in s["objectives"]] + ["", "内容提纲：", ""]
                    out += [f"- {t(x)}" for x in s["outline"]] + ["", "讲授条款：" + "、".join(labels.get(r, r) for r in s["covers"]), ""]
        out += ["## 表单", ""]
        for form in doc["forms"]:
            out += _form_md(form)
    return "\n".join(out) + "\n"


def _collect_labels(doc: dict, labels: dict[str, str]) -> None:
    def walk(node):
        if isinstance(node, dict):
            if "id" in node and node is not doc:
                labels[f"{doc['id']}#{node['id']}"] = node.get("title") or node.get("term") or node["id"]
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
    walk(doc)


BASELINE_MKDOCS = """\
site_name: 禁毒社工标准与培训手册（基准测试对照）
theme:
  name: material
  language: zh
plugins:
  - search:
      lang: zh
"""


# ---------------------------------------------------------------- entry point

def plan(pages: int) -> tuple[int, int, int]:
    """How many standards, manuals and curricula make ``pages`` pages (4 : 3 : 3, at least one standard)."""
    standards = max(1, round(pages * 0.4))
    manuals = min(pages - standards, round(pages * 0.3)) if pages > 1 else 0
    return standards, manuals, pages - standards - manuals


def generate(out_dir: Path | str, pages: int = 1000, seed: int = 0, handbook_units: int | None = None) -> dict:
    """Write the library and its Markdown twin under ``out_dir``; return the manifest (also written as JSON)."""
    out = Path(out_dir)
    gen = Generator(seed)
    n_std, n_man, n_cur = plan(pages)
    units = handbook_units if handbook_units is not None else max(1, pages // 18)
    docs: list[tuple[str, dict]] = []
    standards = [gen.standard(i + 1) for i in range(n_std)]
    docs += [("standards", d) for d in standards]
    for i in range(n_man):
        docs.append(("standards", gen.manual(i + 1, standards[i % n_std], units if i == 0 else 1)))
    docs += [("curricula", gen.curriculum(i + 1)) for i in range(n_cur)]

    schema = {"standard": "standard", "manual": "manual", "curriculum": "curriculum"}
    labels: dict[str, str] = {}
    for _, doc in docs:
        _collect_labels(doc, labels)
    (out / "baseline" / "docs").mkdir(parents=True, exist_ok=True)
    (out / "baseline" / "mkdocs.yml").write_text(BASELINE_MKDOCS, encoding="utf-8")
    index = ["# 禁毒社工标准与培训手册（基准测试对照）", ""]
    yaml_bytes = md_chars = 0
    for folder, doc in docs:
        (out / folder).mkdir(parents=True, exist_ok=True)
        text = dump_yaml(doc, schema[doc["kind"]])
        (out / folder / f"{doc['id']}.yaml").write_text(text, encoding="utf-8")
        yaml_bytes += len(text.encode())
        md = to_markdown(doc, labels)
        md_chars += len(md)
        sub = out / "baseline" / "docs" / doc["kind"]
        sub.mkdir(exist_ok=True)
        (sub / f"{doc['id']}.md").write_text(md, encoding="utf-8")
        index.append(f"- [{labels.get(doc['id'], doc['id'])}]({doc['kind']}/{doc['id']}.md)")
    (out / "baseline" / "docs" / "index.md").write_text("\n".join(index) + "\n", encoding="utf-8")

    first = standards[0]
    leaf = first["chapters"][0]["clauses"][-1]
    while "clauses" in leaf:
        leaf = leaf["clauses"][-1]
    handbook = next((d for _, d in docs if d["kind"] == "manual"), first)
    manifest = {
        "pages": pages,
        "seed": seed,
        "documents": len(docs),
        "standards": n_std,
        "manuals": n_man,
        "curricula": n_cur,
        "handbook": handbook["id"],
        "handbook_units": units if n_man else 1,
        "yaml_bytes": yaml_bytes,
        "markdown_chars": md_chars,
        "edit": {"file": f"standards/{first['id']}.yaml", "clause": leaf["id"], "text": leaf["text"]},
    }
    (out / "bench-manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    return manifest


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="写出合成的内容库（基准测试用）")
    parser.add_argument("out")
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(json.dumps(generate(args.out, args.pages, args.seed), ensure_ascii=False, indent=2))
