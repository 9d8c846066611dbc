"""A standard's figures as pictures: a flow described in YAML (drawn by Graphviz at build time,
as the manual's procedures are) or an SVG/PNG file next to the YAML.

The site and the print use the same picture: a flow becomes inline SVG, a file an ``<img>``
with a data URI (an image document cannot run scripts or fetch anything, in a browser or in
WeasyPrint). ``file_problem`` is what the checker reports for a file; a file with a problem
is never embedded.
"""

from __future__ import annotations

import base64
import html
import re
import subprocess
from pathlib import Path

from .models import Figure, Flow
from .site.flow import FONT, _quote, _wrap, dot_to_svg, inline_svg

MAX_FILE_BYTES = 1_000_000
KINDS = {".svg": "image/svg+xml", ".png": "image/png"}
# Anything in an SVG that runs code or reaches outside the file.
_SVG_UNSAFE = re.compile(
    r"<script|<foreignObject|\son\w+\s*=|(?:xlink:)?href\s*=\s*[\"'](?!#)|url\(\s*[\"']?(?!#)|@import|<!ENTITY|<!DOCTYPE",
    re.IGNORECASE,
)


def figure_path(figure: Figure, yaml_path: Path | None) -> Path | None:
    if not figure.file or yaml_path is None:
        return None
    return (yaml_path.parent / figure.file).resolve()


def file_problem(figure: Figure, yaml_path: Path | None) -> str | None:
    """Why ``figure.file`` cannot be used, in Chinese, or None."""
    path = figure_path(figure, yaml_path)
    if path is None:
        return None
    if not path.is_relative_to(yaml_path.parent.resolve()):
        return f"图文件“{figure.file}”应放在 YAML 文件所在的目录或其子目录中"
    if path.suffix.lower() not in KINDS:
        return f"图文件“{figure.file}”应为 SVG 或 PNG"
    if not path.is_file():
        return f"找不到图文件“{figure.file}”（相对于 {yaml_path.name} 所在目录）"
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        return f"图文件“{figure.file}”有 {size / 1e6:.1f} MB，超过 {MAX_FILE_BYTES / 1e6:g} MB 的限制，请压缩或简化"
    data = path.read_bytes()
    if path.suffix.lower() == ".png" and not data.startswith(b"\x89PNG\r\n\x1a\n"):
        return f"图文件“{figure.file}”不是有效的 PNG 文件"
    if path.suffix.lower() == ".svg":
        text = data.decode("utf-8", errors="replace")
        if "<svg" not in text:
            return f"图文件“{figure.file}”不是有效的 SVG 文件"
        found = _SVG_UNSAFE.search(text)
        if found:
            return f"SVG 图文件“{figure.file}”含有脚本或外部引用（{found.group().strip()}），图应为不依赖外部资源的静态图形"
    return None


def flow_dot(flow: Flow) -> str:
    shapes = {
        "step": 'shape=box, style="filled"',
        "decision": 'shape=diamond, style="filled", margin="0.05,0.05"',
        "start": 'shape=box, style="rounded,filled"',
        "end": 'shape=box, style="rounded,filled"',
    }
    lines = [
        "digraph flow {",
        f'  graph [rankdir={flow.direction}, nodesep=0.35, ranksep=0.35, fontname={_quote(FONT)}, bgcolor="transparent"];',
        f'  node [fillcolor="#ffffff", color="#000000", fontname={_quote(FONT)}, fontsize=11, margin="0.15,0.08"];',
        f'  edge [color="#000000", arrowsize=0.7, fontname={_quote(FONT)}, fontsize=10];',
    ]
    for node in flow.nodes:
        lines.append(f"  {_quote(node.id)} [label={_quote(_wrap(node.label))}, {shapes[node.shape]}];")
    for edge in flow.edges:
        label = f", label={_quote(' ' + edge.label + ' ')}" if edge.label else ""
        lines.append(f"  {_quote(edge.source)} -> {_quote(edge.target)} [{label.lstrip(', ')}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def alt_text(figure: Figure) -> str:
    if figure.alt:
        return figure.alt
    if figure.flow:
        steps = "、".join(n.label for n in figure.flow.nodes)
        return f"流程图：{figure.title}（{steps}）"
    return figure.title


def picture(figure: Figure, yaml_path: Path | None, cache: Path | None = None) -> str:
    """The figure's picture as HTML (no caption): inline SVG for a flow, <img> for a file."""
    label = html.escape(alt_text(figure), quote=True)
    if figure.flow is not None:
        try:
            svg = dot_to_svg(flow_dot(figure.flow), cache)
        except (OSError, subprocess.CalledProcessError) as exc:  # Graphviz missing or failed: say so, keep building
            return f'<p class="hb-figure__missing">（流程图无法绘制：{html.escape(str(exc))}）</p>'
        return inline_svg(svg, figure.id, label).replace("hb-flow__svg", "hb-figure__svg", 1)
    path = figure_path(figure, yaml_path)
    if path is None or file_problem(figure, yaml_path) is not None:
        return '<p class="hb-figure__missing">（图文件缺失或无效，见检查结果）</p>'
    data = base64.b64encode(path.read_bytes()).decode()
    return f'<img class="hb-figure__img" src="data:{KINDS[path.suffix.lower()]};base64,{data}" alt="{label}">'
