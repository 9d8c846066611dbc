"""Attendance and certificates from a trainer's own spreadsheet: ``python build.py roster``.

read (xlsx/csv rows → participants and attendance, every bad row named by its row number) →
attendance (hours per participant, the completion rule) → output (sign-in sheets, 学时汇总表,
结业证书, 继续教育学时证明 as PDFs, written to a git-ignored folder all at once or not at all).
Nothing here touches the site or the repository's content.
"""
