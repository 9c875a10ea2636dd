"""One typed Settings object: shipped defaults -> user file -> environment -> CLI flags.

The user file is TOML: ``./newstrace.toml`` or ``$XDG_CONFIG_HOME/newstrace/config.toml``
(or the file ``NEWSTRACE_CONFIG`` names), with keys named as the fields below. Environment
variables are ``NEWSTRACE_`` + the upper-case field name (``NEWSTRACE_DB``).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from newstrace.errors import ConfigError


@dataclass(frozen=True, slots=True)
class Settings:
    """Every tunable of newstrace, with its shipped default.

    Attributes:
        db: the store's path.
        max_file_bytes: the largest input file (and decompressed size) ingest accepts.
        batch_size: documents written per transaction during ingest.
        outlet_chrome_min_docs: documents of one outlet a line must recur in to be chrome.
    """

    db: str = "newstrace.db"
    max_file_bytes: int = 20_000_000
    batch_size: int = 200
    outlet_chrome_min_docs: int = 3

    def __post_init__(self) -> None:
        if self.max_file_bytes <= 0:
            raise ConfigError(f"max_file_bytes must be > 0; got {self.max_file_bytes}")
        if self.batch_size <= 0:
            raise ConfigError(f"batch_size must be > 0; got {self.batch_size}")
        if self.outlet_chrome_min_docs < 2:
            raise ConfigError(
                f"outlet_chrome_min_docs must be >= 2; got {self.outlet_chrome_min_docs}"
            )

    def merged(self, **overrides: Any) -> Settings:
        """A copy with the given (non-None) fields replaced, converted to the field's type."""
        known = {f.name: f for f in fields(self)}
        clean: dict[str, Any] = {}
        for key, value in overrides.items():
            if value is None:
                continue
            if key not in known:
                raise ConfigError(f"unknown setting {key!r}; known: {', '.join(known)}")
            default = getattr(self, key)
            try:
                clean[key] = type(default)(value)
            except (TypeError, ValueError) as exc:
                raise ConfigError(
                    f"setting {key} must be a {type(default).__name__}; got {value!r}"
                ) from exc
        return replace(self, **clean)


def parse_size(value: str) -> int:
    """Bytes from ``20MB``, ``512k``, ``1.5G`` or a plain number.

    >>> parse_size("20MB"), parse_size("512k"), parse_size("1000")
    (20000000, 512000, 1000)
    """
    s = value.strip().lower().rstrip("b")
    mult = {"k": 1_000, "m": 1_000_000, "g": 1_000_000_000}
    try:
        if s and s[-1] in mult:
            return int(float(s[:-1]) * mult[s[-1]])
        return int(float(s))
    except ValueError as exc:
        raise ConfigError(f"size must look like 20MB, 512k or 1000; got {value!r}") from exc


def _user_file() -> Path | None:
    explicit = os.environ.get("NEWSTRACE_CONFIG")
    if explicit:
        return Path(explicit)
    local = Path("newstrace.toml")
    if local.is_file():
        return local
    xdg = (
        Path(os.environ.get("XDG_CONFIG_HOME", Path.home() / ".config"))
        / "newstrace"
        / "config.toml"
    )
    return xdg if xdg.is_file() else None


def load_settings(**cli: Any) -> Settings:
    """Settings from defaults, the user file, the environment, then the given CLI values."""
    settings = Settings()
    path = _user_file()
    if path is not None:
        try:
            data = tomllib.loads(path.read_text("utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"cannot read settings file {path}: {exc}") from exc
        settings = settings.merged(**data)
    env: dict[str, Any] = {}
    for f in fields(Settings):
        v = os.environ.get(f"NEWSTRACE_{f.name.upper()}")
        if v:
            env[f.name] = parse_size(v) if f.name == "max_file_bytes" else v
    settings = settings.merged(**env)
    return settings.merged(**cli)


def cache_dir() -> Path:
    """Where derived model files are kept (the semantic encoder's and the language
    identifier's, unpacked for fast loading): ``NEWSTRACE_CACHE_DIR``, else
    ``$XDG_CACHE_HOME/newstrace`` (``~/.cache/newstrace``)."""
    explicit = os.environ.get("NEWSTRACE_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "newstrace"


def write_cache_folder(folder: Path, fill: Callable[[Path], None]) -> None:
    """Create the cache folder ``folder`` whole or not at all: ``fill`` writes its files into a
    fresh folder beside it, which then takes its name (when another process got there first,
    its folder is kept and this one dropped)."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    try:
        fill(tmp)
        if folder.exists():
            shutil.rmtree(tmp)
        else:
            os.replace(tmp, folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
