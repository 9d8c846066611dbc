"""The plugin's one call into search (``handbook.search``): after each build, the index built from the model."""

from __future__ import annotations

from pathlib import Path

from ..search import build_search
from .inventory import SiteState


def post_build(state: SiteState, config) -> dict:
    def url_of(entry):
        target = state.links.target(entry)
        if target is None:
            return None
        page, _, anchor = target.partition("#")
        page = page[:-3] + ("/" if config.use_directory_urls else ".html")
        return f"{page}#{anchor}" if anchor else page

    return build_search(state.lib, url_of, Path(config.site_dir), state.cache)
