"""Word output (python-docx): a standard as an editable .docx, and the review tables
(意见反馈表, 意见汇总处理表) as Word files.

- ``styles``: A4, the styles (黑体 headings, 宋体 text), fields, borders, the draft watermark;
- ``richtext``: editor text (the converter's HTML) as paragraphs and runs;
- ``standard``: the standard itself;
- ``review``: the comment form and the comment table.
"""
