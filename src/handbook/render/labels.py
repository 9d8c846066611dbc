"""The Chinese words of the structure (not of the content), in one place for both outputs."""

FIELD_TYPES = {"text": "填写", "lines": "多行填写", "date": "日期", "check": "勾选", "sign": "签名", "number": "数字"}
FORM_COLUMNS = ("序号", "栏目", "填写方式", "填写说明")
STEP_COLUMNS = ("步骤", "执行者", "行动", "记录", "时限")
SAMPLE_TITLE = "示例文件"
SAMPLE_TEXT = "本文件为示例内容，仅用于演示，不是正式发布的文件。"

# IDs of the fixed parts of a document, the same on the site and in print; editors' IDs cannot start
# with "_", so these never clash with theirs.
ANCHORS = {
    "contents": "_contents", "foreword": "_foreword", "introduction": "_introduction", "scope": "_scope",
    "references": "_references", "terms": "_terms", "bibliography": "_bibliography", "history": "_history",
    "forms": "_forms", "goals": "_goals", "supervision": "_supervision", "schedule": "_schedule",
    "overview": "_overview", "guide": "_guide", "evaluation": "_evaluation",
}
