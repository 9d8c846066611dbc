"""Review rounds of a standard: its status (the round), the comment form (意见反馈表), the comments
collected as data (comments/<standard-id>.yaml or .xlsx) and the 意见汇总处理表 made from them.

- ``status``: the words a draft shows (banner, cover lines), shared by the site, the PDF and Word;
- ``comments``: the comments model, reading YAML and Excel with positions, and the checks;
- ``summary``: the 意见汇总处理表 (ordered by clause, counts, warnings from the clause diff) and the
  comment form, as PDF (WeasyPrint, templates in pdf/templates) and Word (``handbook.docx``).
"""
