"""Names: which entries are junk, which archive paths are safe, and how a student's folder in OUT is named."""

from __future__ import annotations

import re
import unicodedata
from typing import Optional

__all__ = ["RESERVED", "is_junk", "safe_parts", "folder_name"]

# Left by operating systems, editors, version control and environments: never a student's work.
_JUNK = {
    "__MACOSX", "__pycache__", "Thumbs.db", "desktop.ini", "node_modules", "venv", "site-packages",
}
# Control characters, separators, and the marks that reorder text on screen (a name must read as it is stored).
_UNSAFE_CHARACTERS = re.compile(r'[\x00-\x1f\x7f-\x9f/\\\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]')
_DRIVE = re.compile(r"^[A-Za-z]:")
#: What the grader writes at the top of OUT (the gradebook, the class overview, the manifests of a shard and of a
#: collection): a student's folder never takes one of these names, else it would stand where that file goes.
RESERVED = frozenset({"gradebook.csv", "index.html", "shard.json", "collected.json"})
# Device names Windows refuses as a file or folder name, with or without an extension (OUT may be copied there).
_DEVICE = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$", re.IGNORECASE)


def is_junk(name: str) -> bool:
    """True for names that are never part of a submission (hidden files, ``__MACOSX``, caches, editors' backups)."""
    return name.startswith(".") or name.startswith("~$") or name.endswith("~") or name in _JUNK


def safe_parts(member: str) -> Optional[tuple[str, ...]]:
    """The parts of an archive member's path, or ``None`` when it is absolute or climbs out (``..``)."""
    text = member.replace("\\", "/")
    if text.startswith("/") or _DRIVE.match(text):
        return None
    parts = tuple(part for part in text.split("/") if part not in ("", "."))
    if not parts or any(part == ".." or "\x00" in part or _DRIVE.match(part) for part in parts):
        return None
    return parts


def folder_name(student: str) -> str:
    """The name of a student's folder in OUT: their id, made safe as one path component on every system."""
    name = unicodedata.normalize("NFC", student)
    name = _UNSAFE_CHARACTERS.sub("_", name)
    for character in '<>:"|?*':  # forbidden on Windows, where OUT may be copied
        name = name.replace(character, "_")
    name = name.strip().rstrip(".")
    if not name or name in (".", ".."):
        return "_"
    if name.startswith(".") or name.casefold() in RESERVED or _DEVICE.match(name):
        name = "_" + name
    # Cut in the middle: the end tells names apart (" (2)" for a second student of the same name).
    return name if len(name) <= 120 else f"{name[:100]}~{name[-19:]}"
