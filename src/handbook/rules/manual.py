"""Practice manual rules: anonymised case vignettes (complete procedures are the fields' Needs)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..models import Manual
from ..problems import E_CASE_ID, E_CASE_NAME, E_CASE_PHONE, Problem
from ..yamlsource import Source

RESIDENT_ID = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
_ROLES = "服务对象|案主|当事人|社工|禁毒社工|母亲|父亲|妻子|丈夫|儿子|女儿|哥哥|姐姐|弟弟|妹妹|朋友|同学|民警|督导|辅导员|其母|其父|其妻|其夫|邻居"
# A role word followed by a surname and one or two more characters that are not 某.
FULL_NAME = re.compile(rf"(?:{_ROLES})(?P<name>[{_SURNAMES}](?!某)[\u4e00-\u9fff]{{1,2}}?)(?=[，。、：；（）\s说称表告在的因于是和与将把被向从已曾]|$)")


def check(doc: Manual, src: Source) -> Iterator[Problem]:
    for chapter in doc.chapters:
        for case in chapter.cases:
            for field in ("title", "text"):
                yield from anonymity_problems(src, case._path + (field,), getattr(case, field))
            for i, line in enumerate(case.discussion):
                yield from anonymity_problems(src, case._path + ("discussion", i), line)


def anonymity_problems(src: Source, path: tuple, text: str) -> Iterator[Problem]:
    if RESIDENT_ID.search(text):
        yield src.problem(path, E_CASE_ID, "案例中出现 18 位身份证号码，请删除")
    if MOBILE.search(text):
        yield src.problem(path, E_CASE_PHONE, "案例中出现手机号码，请删除")
    for match in FULL_NAME.finditer(text):
        name = match["name"]
        yield src.problem(path, E_CASE_NAME, f"案例中的“{name}”疑似真实姓名，请写作“{name[0]}某”")
