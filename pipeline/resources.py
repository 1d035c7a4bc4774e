"""Locate the files that ship with wiredesk (SQL, default config, sample pages) in a checkout or a wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """Return the shipped folder `name` (`sql`, `config` or `samples`), from a wheel or a source checkout."""
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"wiredesk's {name}/ folder is missing next to {_PACKAGE}")
