"""The check cache: each file's parsed, validated and checked form, kept between runs.

An entry is found by the file's name and used only when its key matches: the hash of the
file's bytes, of this package's code, and of whatever else the file rules read (``extra``,
e.g. the project's wording list). One pickle per file under ``build/cache/check``; a changed
file overwrites its own entry, so the cache never grows past the library.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path

from . import __version__
from .loader import LoadedFile
from .yamlsource import MAX_BYTES

PACKAGE = Path(__file__).resolve().parent
# Entries already read in this process (a serve session checks the library on every save).
_MEMORY: dict[tuple[str, str], tuple[str, LoadedFile]] = {}


@cache
def code_fingerprint() -> str:
    """The package version and the hash of its code, data and template files: any change invalidates the caches."""
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(PACKAGE.rglob("*")):
        if path.suffix in (".py", ".yaml", ".html", ".css", ".js") and path.is_file():  # templates too: pages depend on them
            digest.update(path.relative_to(PACKAGE).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


class CheckCache:
    def __init__(self, folder: Path, extra: bytes = b""):
        self.folder = folder
        self.salt = hashlib.sha256(code_fingerprint().encode() + extra).digest()
        self.hits: list[str] = []  # file names served from the cache in this run (tests observe it)
        self.misses: list[str] = []

    def whole_key(self, files: list[tuple[Path, str]]) -> str | None:
        """The key of a whole check: every file's key, in order (None if a file cannot be read)."""
        keys = [self._key(path, name) for path, name in files]
        return None if None in keys else hashlib.sha256("\0".join(keys).encode()).hexdigest()

    def recall(self, key: str | None, kind: str) -> object | None:
        """A whole result stored under ``key`` (e.g. check's report for an unchanged library)."""
        if key is None:
            return None
        try:
            with (self.folder / f"{kind}.pickle").open("rb") as f:
                stored_key, value = pickle.load(f)
        except Exception:
            return None
        return value if stored_key == key else None

    def remember(self, key: str | None, kind: str, value: object) -> None:
        if key is not None:
            self._write(self.folder / f"{kind}.pickle", key, value)

    def _entry(self, name: str) -> Path:
        return self.folder / (hashlib.sha256(name.encode()).hexdigest()[:32] + ".pickle")

    def _key(self, path: Path, name: str) -> str | None:
        try:
            if path.stat().st_size > MAX_BYTES:
                return None
            raw = path.read_bytes()
        except OSError:
            return None  # read errors are reported by the loader, never cached
        return hashlib.sha256(self.salt + name.encode() + b"\0" + raw).hexdigest()

    def load(self, path: Path, name: str, parse: Callable[[], LoadedFile]) -> LoadedFile:
        """The cached form of the file if its key matches, else ``parse()``, stored for next time."""
        key = self._key(path, name)
        remembered = _MEMORY.get((str(self.folder), name))
        if key is not None and remembered is not None and remembered[0] == key:
            self.hits.append(name)
            return remembered[1]
        if key is not None:
            try:
                with self._entry(name).open("rb") as f:
                    stored_key, payload = pickle.load(f)
                if stored_key == key:
                    self.hits.append(name)
                    _MEMORY[(str(self.folder), name)] = (key, payload)
                    return payload
            except Exception:  # missing, truncated or from an incompatible run: parse the file again
                pass
        self.misses.append(name)
        loaded = parse()
        if key is not None:
            self._store(name, key, loaded)
            _MEMORY[(str(self.folder), name)] = (key, loaded)
        return loaded

    def _store(self, name: str, key: str, loaded: LoadedFile) -> None:
        self._write(self._entry(name), key, loaded)

    def _write(self, target: Path, key: str, value: object) -> None:
        tmp = None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".tmp-")
            with os.fdopen(fd, "wb") as f:
                pickle.dump((key, value), f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, target)
        except Exception:  # read-only project, full disk: the check still runs, just without a cache
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)
