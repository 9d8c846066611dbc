"""While ``serve`` runs, content errors are shown in the browser, over the last good pages.

The plugin keeps the last library that passed ``check``; when a save breaks the content it builds
that library again and every page carries this panel, listing the problems as ``check`` prints
them (cause first, folded references). The browser reloads as after any build, and again when the
content is fixed, which drops the panel.
"""

from __future__ import annotations

import logging
import re

from jinja2 import Environment

from ..problems import Problem, report_lines

PANEL_ID = "handbook-problems"

_env = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
_PANEL = _env.from_string("""\
<section id="{{ id }}" role="alert" aria-labelledby="{{ id }}-title" lang="zh-CN">
<style>
#{{ id }}{position:relative;z-index:10;margin:0;
padding:1rem 1.25rem;background:#fff;color:#1a1a1a;border-bottom:4px solid #b00020;
box-shadow:0 4px 16px rgba(0,0,0,.25);font:16px/1.5 system-ui,"Noto Sans CJK SC",sans-serif}
#{{ id }} h2{margin:0 0 .25rem;font-size:1.15rem;color:#b00020}
#{{ id }} p{margin:.25rem 0 .5rem}
#{{ id }} ol{margin:0;padding-left:1.5rem}
#{{ id }} li{margin:.2rem 0;word-break:break-all}
#{{ id }} code{font:14px/1.4 ui-monospace,monospace;background:#f3f3f3;color:#1a1a1a;padding:0 .2em}
#{{ id }} .fold{color:#444}
</style>
<h2 id="{{ id }}-title">内容检查发现 {{ errors }} 个错误，网站没有更新</h2>
<p>{{ shown }}改好并保存后，页面会自动刷新。先改第一条。</p>
<ol>
{% for line in lines %}
<li{% if line.fold %} class="fold"{% endif %}><code>{{ line.where }}</code> {{ line.text }}</li>
{% endfor %}
</ol>
</section>
""")


def render_panel(problems: list[Problem], *, has_last_good: bool) -> str:
    lines = []
    for text in report_lines([p for p in problems if p.severity == "error"]):
        where, _, rest = text.partition(": ")
        lines.append({"where": where + ":", "text": rest, "fold": rest.startswith("另有 ")})
    shown = "下面显示的是上一次检查通过的内容。" if has_last_good else "还没有检查通过的内容，只能显示空白的网站。"
    return _PANEL.render(id=PANEL_ID, lines=lines, shown=shown,
                         errors=sum(p.severity == "error" for p in problems))


def add_panel(page: str, panel: str) -> str:
    """Put the panel right after <body ...>, so it is the first thing read and seen."""
    start = page.find("<body")
    end = page.find(">", start) + 1 if start >= 0 else 0
    return page[:end] + panel + page[end:]


def log_problems(log: logging.Logger, problems: list[Problem], *, has_last_good: bool) -> None:
    errors = [p for p in problems if p.severity == "error"]
    for line in report_lines(errors):
        log.error(line)
    kept = "预览保留上一次检查通过的内容" if has_last_good else "还没有检查通过的内容，预览暂时是空白的网站"
    log.error(f"内容检查发现 {len(errors)} 个错误，网站没有更新：{kept}，浏览器页面顶部列出了这些问题；"
              "改好并保存后自动刷新。")


class ChineseServeLog(logging.Filter):
    """MkDocs' own serve messages, in Chinese (the editors read the terminal too)."""

    WORDS = {
        "Building documentation...": "正在生成网站……",
        "Detected file changes": "检测到文件改动",
        "Reloading browsers": "刷新浏览器",
        "Shutting down...": "正在停止预览……",
        "Cleaning site directory": "清空上一次生成的网站",
        "An error happened during the rebuild. The server will appear stuck until build errors are resolved.":
            "网站重新生成失败（原因见上）。浏览器保留上一次的页面；改好并保存后会自动刷新。",
    }
    PREFIXES = {"Serving on ": "预览地址：", "Browser connected: ": "浏览器已连接：",
                "Documentation built in ": "网站生成用时 ", "Watching paths for changes: ": "监视这些位置的改动："}

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        stamp = message[:11] if re.match(r"\[\d\d:\d\d:\d\d\] ", message) else ""  # livereload's time prefix
        message = message[len(stamp):]
        new = self.WORDS.get(message)
        for prefix, chinese in self.PREFIXES.items():
            if new is None and message.startswith(prefix):
                new = chinese + message[len(prefix):].replace(" seconds", " 秒").replace(" and opening it in a browser", "")
        if new is not None:
            record.msg, record.args = stamp + new, ()
        return True


def chinese_serve_log() -> None:
    for name in ("mkdocs.livereload", "mkdocs.commands.serve", "mkdocs.commands.build"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, ChineseServeLog) for f in logger.filters):
            logger.addFilter(ChineseServeLog())
