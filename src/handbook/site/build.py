"""``build.py site`` and ``build.py serve``: MkDocs driven from Python, with an atomic output swap.

The site is built into a fresh folder next to the target and moved into place only when the
build succeeded, so a failed build (a YAML error, a broken link in strict mode) leaves the
previous site untouched.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path

import jinja2
import yaml
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, BuildError, ConfigurationError


class SiteError(Exception):
    """The site could not be built; the message says why (already logged line by line)."""


class TemplateFailure(SiteError):
    """A theme template failed; MkDocs has not logged it, so the command prints it."""


class Unlogged(SiteError):
    """A failure MkDocs has not logged (a busy output folder, a missing or broken mkdocs.yml)."""


@contextlib.contextmanager
def _exclusive(out: Path):
    """One build at a time into the folder that holds ``out``: a second one is refused.

    The lock is ``flock`` on that folder itself (no lock file is left behind); the kernel
    releases it when its holder exits, even on SIGKILL, so a killed build never leaves a stale
    lock, and the cleanup of a killed build's leftovers runs only under it."""
    fd = os.open(out.parent, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Unlogged(f"另一个网站构建正在向 {out.parent} 生成网站，请等它结束后再运行。") from None
        yield
    finally:
        os.close(fd)  # closing releases the lock


def quiet_logging(verbose: bool = False) -> None:
    logger = logging.getLogger("mkdocs")
    if not any(getattr(h, "_handbook", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        handler._handbook = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
    logger.setLevel(logging.INFO if verbose else logging.WARNING)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def load(root: Path, site_dir: Path, *, content_root: Path | None = None, only: str = "", strict: bool = True):
    """The MkDocs config of the project at ``root``, optionally on another content folder."""
    config_file = root / "mkdocs.yml"
    if not config_file.is_file():
        raise Unlogged(f"找不到网站配置文件 {config_file}：请从仓库恢复 mkdocs.yml（git checkout mkdocs.yml）。")
    try:
        cfg = load_config(config_file=str(config_file), site_dir=str(site_dir), strict=strict)
    except (ConfigurationError, yaml.YAMLError) as exc:
        cause = exc if isinstance(exc, yaml.YAMLError) else (exc.__cause__ or exc.__context__)
        if not isinstance(cause, yaml.YAMLError):
            raise Unlogged(f"网站配置文件 {config_file} 有误：{exc}") from exc
        mark = getattr(cause, "problem_mark", None)
        where = f"{config_file}:{mark.line + 1}:{mark.column + 1}" if mark else str(config_file)
        raise Unlogged(f"{where}: 网站配置文件 mkdocs.yml 不是有效的 YAML：{getattr(cause, 'problem', cause)}") from exc
    if "handbook" not in cfg.plugins:
        raise Unlogged(f"网站配置文件 {config_file} 的 plugins 中缺少 handbook，网站无法从 YAML 生成。")
    plugin = cfg.plugins["handbook"]
    if content_root is not None:
        plugin.config.root = str(content_root)
    if only:
        plugin.config.only = only
    return cfg


def build_site(root: Path, out: Path, *, content_root: Path | None = None, only: str = "", strict: bool = True) -> Path:
    """Build the site for ``root`` into ``out``, replacing it only on success."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    with _exclusive(out):
        return _build_locked(root, out, content_root=content_root, only=only, strict=strict)


def _build_locked(root: Path, out: Path, *, content_root: Path | None, only: str, strict: bool) -> Path:
    from mkdocs.commands.build import build

    _recover(out)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        cfg = load(root, tmp, content_root=content_root, only=only, strict=strict)
        cfg.plugins.on_startup(command="build", dirty=False)
        try:
            build(cfg)
        finally:
            cfg.plugins.on_shutdown()
    except SiteError:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    except (Abort, BuildError, ConfigurationError) as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise SiteError(str(exc)) from exc
    except jinja2.TemplateError as exc:  # a broken theme override: name the file and line, no traceback
        shutil.rmtree(tmp, ignore_errors=True)
        where = f"{exc.filename}:{exc.lineno}: " if isinstance(exc, jinja2.TemplateSyntaxError) else ""
        raise TemplateFailure(f"{where}模板错误：{exc}") from exc
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _swap(tmp, out)
    return out


def _recover(out: Path) -> None:
    """Undo what a killed build left: put back a site caught between two renames, drop half-built ones."""
    olds = sorted(out.parent.glob(f".{out.name}.old-*"))
    if not out.exists() and olds:
        olds.pop().rename(out)
    for leftover in [*olds, *out.parent.glob(f".{out.name}.new-*")]:
        shutil.rmtree(leftover, ignore_errors=True)


def _swap(new: Path, out: Path) -> None:
    """Put ``new`` where ``out`` is; the old site is removed only after the new one is in place."""
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}.old-{os.getpid()}")
        if old.exists():
            shutil.rmtree(old)
        out.rename(old)
    os.chmod(new, 0o755)  # mkdtemp makes 0700 folders; a web server must be able to read the site
    new.rename(out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
