"""Unpacking a submission into the scratch area, safely.

Nothing here writes outside the destination: archive members with absolute
paths or ``..`` are skipped, links (symbolic or hard) are never created nor
followed, special files are ignored, and the number of files and the bytes
actually written are capped, whatever an archive's headers claim (zip bombs).

Every archive format is read under the same caps, with bounded memory (this runs in
the main process of ``grader grade``): the number of members, the length of their
names, and the bytes unpacked.  For tar archives, whose headers can declare a name or a
set of extended (PAX) attributes of any size that :mod:`tarfile` would read whole (a
255 KB ``.tar.gz`` declaring a 256 MiB GNU long name), each such header is refused
above :data:`_TAR_HEADER_BYTES` before it is read, sparse files (which no submission
needs) are refused, and the position in the unpacked stream, members skipped included,
is capped too.
"""

from __future__ import annotations

import os
import stat
import tarfile
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Iterator

from grader.grade._paths import is_junk, safe_parts

__all__ = ["Caps", "Unpacked", "SubmissionProblem", "ARCHIVE_SUFFIXES", "is_archive", "copy_entry", "extract",
           "tar_names", "zip_junk", "zip_names", "zip_unpacked_in"]

ARCHIVE_SUFFIXES = (".zip", ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz")
_CHUNK = 1 << 16
_MAX_DEPTH = 40


class SubmissionProblem(Exception):
    """A submission cannot be graded as it is; the message says why, for the student's report."""


@dataclass(frozen=True)
class Caps:
    """Limits of one unpacked submission."""

    max_files: int = 2_000
    max_bytes: int = 100 * 1024 * 1024


@dataclass
class Unpacked:
    """What unpacking one submission did: counters against the caps, and what it left out and why."""

    caps: Caps = field(default_factory=Caps)
    files: int = 0
    bytes: int = 0
    notes: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)  # paths (relative, with /) of links left out
    left_out: list[str] = field(default_factory=list)  # the notes of what was left out (links too)

    def leave_out(self, note: str) -> None:
        """Note that a file or folder of the submission was left out, and why."""
        self.notes.append(note)
        self.left_out.append(note)

    def count_file(self) -> None:
        self.files += 1
        if self.files > self.caps.max_files:
            raise SubmissionProblem(
                f"the submission holds more than {self.caps.max_files} files once unpacked: "
                "submit only your code (no data sets, environments or build folders)")

    def count_bytes(self, size: int) -> None:
        self.bytes += size
        if self.bytes > self.caps.max_bytes:
            raise SubmissionProblem(
                f"the submission is larger than {self.caps.max_bytes // (1024 * 1024)} MiB once unpacked: "
                "submit only your code (no data sets, environments or build folders)")


def is_archive(name: str) -> bool:
    return name.lower().endswith(ARCHIVE_SUFFIXES)


def _write_stream(source: IO[bytes], target: Path, unpacked: Unpacked) -> None:
    unpacked.count_file()
    with open(target, "xb") as stream:
        while True:
            chunk = source.read(_CHUNK)
            if not chunk:
                break
            unpacked.count_bytes(len(chunk))
            stream.write(chunk)


#: The longest file name most file systems accept, and a path length every system's calls accept, in bytes.
_NAME_BYTES = 255
_PATH_BYTES = 3800


def _place(destination: Path, parts: tuple[str, ...], unpacked: Unpacked, shown: str) -> Path | None:
    """The path where ``parts`` goes under ``destination``, its folders created; ``None`` if it cannot go there
    (one member the file system cannot hold is left out, with a note: the rest of the archive is still read)."""
    if len(parts) > _MAX_DEPTH:
        unpacked.leave_out(f"{_short(shown)}: folders nested too deep, left out")
        return None
    if any(len(os.fsencode(part)) > _NAME_BYTES for part in parts):
        unpacked.leave_out(f"{_short(shown)}: name too long for a file, left out")
        return None
    target = destination.joinpath(*parts)
    if len(os.fsencode(str(target))) > _PATH_BYTES:
        unpacked.leave_out(f"{_short(shown)}: path too long for a file, left out")
        return None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        unpacked.leave_out(f"{shown}: left out (clashes with a file of the same name)")
        return None
    except OSError as error:  # a name this file system refuses (too long a path, a character it cannot store)
        unpacked.leave_out(f"{_short(shown)}: cannot be written here ({error.strerror}), left out")
        return None
    if os.path.lexists(target):
        unpacked.leave_out(f"{shown}: left out (appears twice)")
        return None
    return target


def _short(shown: str) -> str:
    """A member's path as a note shows it: a path of thousands of characters is cut."""
    return shown if len(shown) <= 200 else f"{shown[:120]}...{shown[-60:]}"


def copy_entry(source: Path, destination: Path, unpacked: Unpacked, *, relative: str = "") -> None:
    """Copy the file or folder ``source`` to ``destination``, never following links."""
    shown = relative or source.name
    info = os.lstat(source)
    if stat.S_ISLNK(info.st_mode):
        unpacked.links.append(shown)
        unpacked.leave_out(f"{shown}: symbolic link to {os.readlink(source)!r}, not followed")
        return
    if stat.S_ISREG(info.st_mode):
        with open(source, "rb") as stream:
            _write_stream(stream, destination, unpacked)
        return
    if not stat.S_ISDIR(info.st_mode):
        unpacked.leave_out(f"{shown}: not a regular file, left out")
        return
    if shown.count("/") >= _MAX_DEPTH:
        unpacked.leave_out(f"{shown}: folders nested too deep, left out")
        return
    destination.mkdir(exist_ok=True)
    with os.scandir(source) as entries:
        children = sorted(entries, key=lambda entry: entry.name)
    for child in children:
        if not is_junk(child.name):
            copy_entry(Path(child.path), destination / child.name, unpacked, relative=f"{shown}/{child.name}")


def _member_name(info: zipfile.ZipInfo) -> str:
    """A zip member's name.  Without the archive's UTF-8 flag, :mod:`zipfile` reads it as cp437; Linux's zip and
    macOS's Finder write UTF-8 without the flag: a name that is valid UTF-8 is read as such ("Zoë", not "Zo├½")."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("utf-8")
    except UnicodeError:
        return info.filename


def _zip_members(archive: zipfile.ZipFile, unpacked: Unpacked) -> Iterator[tuple[zipfile.ZipInfo, tuple[str, ...]]]:
    infos = archive.infolist()
    if len(infos) > 4 * unpacked.caps.max_files:
        raise SubmissionProblem(f"the archive lists {len(infos)} entries: submit only your code")
    for info in infos:
        parts = safe_parts(_member_name(info))
        if parts is None:
            unpacked.leave_out(f"{_short(_member_name(info))}: path outside the archive's folder, left out")
            continue
        if any(is_junk(part) for part in parts) or info.is_dir():
            continue
        # Unix archivers keep the file's type in the high bits; many tools leave it 0 (a regular file).
        kind = stat.S_IFMT(info.external_attr >> 16) if info.create_system == 3 else 0
        if kind == stat.S_IFLNK:
            unpacked.links.append("/".join(parts))
            unpacked.leave_out(f"{'/'.join(parts)}: symbolic link, not followed")
            continue
        if kind not in (0, stat.S_IFREG):
            unpacked.leave_out(f"{'/'.join(parts)}: not a regular file, left out")
            continue
        if info.flag_bits & 0x1:
            raise SubmissionProblem(f"the archive is password-protected ({'/'.join(parts)}): submit it without a "
                                    "password")
        yield info, parts


def _extract_zip(archive_path: Path, destination: Path, unpacked: Unpacked, within: tuple[str, ...]) -> None:
    with zipfile.ZipFile(archive_path) as archive:
        members = [(info, parts) for info, parts in _zip_members(archive, unpacked) if parts[: len(within)] == within]
        # A name listed twice: the last copy is the one unzip (and every archiver) leaves, so it is the one graded.
        last = {parts: index for index, (_, parts) in enumerate(members)}
        copies = Counter(parts for _, parts in members)
        for index, (info, parts) in enumerate(members):
            kept = parts[max(len(within) - 1, 0):]
            if last[parts] != index:
                continue
            if copies[parts] > 1:
                unpacked.notes.append(_twice("/".join(kept), copies[parts], "unzip"))
            target = _place(destination, kept, unpacked, "/".join(kept))
            if target is not None:
                with archive.open(info) as stream:
                    _write_stream(stream, target, unpacked)


#: The largest GNU long name or PAX extended header read from a tar archive (a path is at most 4 KiB).
_TAR_HEADER_BYTES = 64 * 1024


class _BoundedTarInfo(tarfile.TarInfo):
    """A tar member whose special headers are checked against the caps before :mod:`tarfile` reads them."""

    def _bounded(self) -> None:
        if self.size > _TAR_HEADER_BYTES:
            raise SubmissionProblem(f"the archive has a member header of {self.size} bytes (more than "
                                    f"{_TAR_HEADER_BYTES // 1024} KiB): create it again with a usual tool and "
                                    "resubmit it")

    def _proc_gnulong(self, archive: tarfile.TarFile) -> tarfile.TarInfo:
        self._bounded()
        return super()._proc_gnulong(archive)  # type: ignore[misc]

    def _proc_pax(self, archive: tarfile.TarFile) -> tarfile.TarInfo:
        self._bounded()
        return super()._proc_pax(archive)  # type: ignore[misc]

    def _proc_sparse(self, archive: tarfile.TarFile) -> tarfile.TarInfo:
        raise SubmissionProblem("the archive holds a sparse file: submit only your code")

    def _proc_gnusparse_10(self, next: tarfile.TarInfo, pax_headers: dict, archive: tarfile.TarFile) -> None:
        raise SubmissionProblem("the archive holds a sparse file: submit only your code")


def _extract_tar(archive_path: Path, destination: Path, unpacked: Unpacked) -> None:
    seen = 0
    copies: Counter[tuple[str, ...]] = Counter()  # the files written, by path parts
    # What reading may go through, headers and skipped members included: a bound on time as well as on bytes.
    stream_cap = 2 * unpacked.caps.max_bytes + 4 * unpacked.caps.max_files * tarfile.BLOCKSIZE
    with tarfile.open(archive_path, "r:*", tarinfo=_BoundedTarInfo) as archive:
        for member in archive:
            seen += 1
            if seen > 4 * unpacked.caps.max_files:
                raise SubmissionProblem(f"the archive lists more than {4 * unpacked.caps.max_files} entries: "
                                        "submit only your code")
            if member.offset_data + member.size > stream_cap:
                raise SubmissionProblem(f"the submission is larger than {unpacked.caps.max_bytes // (1024 * 1024)} "
                                        "MiB once unpacked: submit only your code (no data sets, environments or "
                                        "build folders)")
            parts = safe_parts(member.name)
            if parts is None:
                unpacked.leave_out(f"{_short(member.name)}: path outside the archive's folder, left out")
                continue
            if any(is_junk(part) for part in parts) or member.isdir():
                continue
            shown = "/".join(parts)
            if member.issym() or member.islnk():
                unpacked.links.append(shown)
                unpacked.leave_out(f"{shown}: link, not followed")
                continue
            if not member.isreg():
                unpacked.leave_out(f"{shown}: not a regular file, left out")
                continue
            if parts in copies:  # a name listed again: tar leaves the last copy, so it is the one graded
                destination.joinpath(*parts).unlink()
            target = _place(destination, parts, unpacked, shown)
            stream = archive.extractfile(member)
            if target is not None and stream is not None:
                with stream:
                    _write_stream(stream, target, unpacked)
                copies[parts] += 1
    unpacked.notes.extend(_twice("/".join(parts), count, "tar") for parts, count in copies.items() if count > 1)


def _twice(shown: str, count: int, archiver: str) -> str:
    return (f"{_short(shown)}: appears {count} times in the archive; the last copy is kept (as {archiver} keeps it), "
            "the earlier ones left out")


def extract(archive: Path, destination: Path, unpacked: Unpacked, *, within: tuple[str, ...] = ()) -> None:
    """Extract the archive's regular files into ``destination`` (created).

    ``within`` picks one entry of the archive (a folder or a file, by its path
    parts), extracted under its own name; only zip archives support it.
    Raises :class:`SubmissionProblem` when the archive is damaged or too large.
    """
    destination.mkdir(parents=True, exist_ok=True)
    name = archive.name
    try:
        if name.lower().endswith(".zip"):
            _extract_zip(archive, destination, unpacked, within)
        else:
            _extract_tar(archive, destination, unpacked)
    except SubmissionProblem:
        raise
    except (zipfile.BadZipFile, tarfile.TarError, zlib.error, EOFError, NotImplementedError, RuntimeError,
            ValueError, OSError) as error:
        detail = str(error) or type(error).__name__
        raise SubmissionProblem(f"the archive {name} is damaged or cannot be read ({detail}): "
                                "create it again and resubmit it") from None
    except Exception as error:  # lzma and bz2 raise their own kinds on damaged data
        raise SubmissionProblem(f"the archive {name} is damaged or cannot be read "
                                f"({type(error).__name__}: {error}): create it again and resubmit it") from None


def zip_names(archive: Path) -> list[tuple[str, ...]]:
    """The safe, non-junk member paths of a zip archive (empty when it cannot be read)."""
    try:
        with zipfile.ZipFile(archive) as opened:
            names = [_member_name(info) for info in opened.infolist()]
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
        return []
    parts = (safe_parts(name) for name in names)
    return [item for item in parts if item and not any(is_junk(part) for part in item)]


#: How far :func:`tar_names` reads a tar archive: its first members only, within the first bytes of its unpacked
#: stream (finding the students of a class folder must stay quick, whatever an archive holds).
_TAR_LISTED = 200
_TAR_LISTED_BYTES = 16 * 1024 * 1024


def tar_names(archive: Path) -> list[tuple[str, ...]]:
    """The safe, non-junk member paths of a tar archive, as far as its first members go (empty when it cannot be
    read); headers are read as bounded as when it is unpacked."""
    found: list[tuple[str, ...]] = []
    try:
        with tarfile.open(archive, "r:*", tarinfo=_BoundedTarInfo) as opened:
            for count, member in enumerate(opened, 1):
                parts = safe_parts(member.name)
                if parts and not any(is_junk(part) for part in parts):
                    found.append(parts)
                # Reading the next header skips this member's data: stop before it goes past the bound.
                if count >= _TAR_LISTED or member.offset_data + member.size > _TAR_LISTED_BYTES:
                    break
    except Exception:  # a damaged archive (each compression raises its own kinds) or a refused header: no names
        return []
    return found


def zip_junk(archive: Path) -> list[tuple[str, ...]]:
    """The members :func:`zip_names` leaves out as never a submission (``__MACOSX``, ``.DS_Store``...), each as its
    path down to its first such part, once (empty when the zip cannot be read)."""
    try:
        with zipfile.ZipFile(archive) as opened:
            names = [_member_name(info) for info in opened.infolist()]
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
        return []
    junk: dict[tuple[str, ...], None] = {}
    for parts in (safe_parts(name) for name in names):
        first = next((index for index, part in enumerate(parts or ()) if is_junk(part)), None)
        if parts and first is not None:
            junk[parts[: first + 1]] = None
    return list(junk)


def zip_text(archive: Path, parts: tuple[str, ...], limit: int = 64 * 1024) -> str:
    """The text of the small member ``parts`` of a zip archive (an export's information file); "" when it is not
    there, larger than ``limit`` bytes, or cannot be read."""
    try:
        with zipfile.ZipFile(archive) as opened:
            for info in opened.infolist():
                if safe_parts(_member_name(info)) == parts and not info.is_dir() and info.file_size <= limit:
                    with opened.open(info) as stream:
                        return stream.read(limit).decode("utf-8", errors="replace")
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError, zlib.error):
        return ""
    return ""


def _zip_files(archive: Path, wrap: tuple[str, ...]) -> dict[tuple[str, ...], tuple[int, int]]:
    """The files of a zip under its wrapping folder ``wrap``: ``{path: (size, CRC-32)}`` (empty when unreadable)."""
    files: dict[tuple[str, ...], tuple[int, int]] = {}
    try:
        with zipfile.ZipFile(archive) as opened:
            for info in opened.infolist():
                parts = safe_parts(_member_name(info))
                if (parts and not info.is_dir() and not any(is_junk(part) for part in parts)
                        and parts[: len(wrap)] == wrap and len(parts) > len(wrap)):
                    files[parts[len(wrap):]] = (info.file_size, info.CRC)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
        return {}
    return files


def _folder_files(folder: Path, tops: set[str]) -> dict[tuple[str, ...], Path] | None:
    """The regular files of the entries ``tops`` of ``folder``, junk left out; ``None`` where one is missing or
    a link (no copy of an archive then)."""
    files: dict[tuple[str, ...], Path] = {}
    for top in tops:
        entry = folder / top
        if entry.is_symlink() or not entry.exists():
            return None
        if not entry.is_dir():
            files[(top,)] = entry
            continue
        for root, folders, names in os.walk(entry):
            folders[:] = [name for name in folders if not is_junk(name)]
            base = (top, *Path(root).relative_to(entry).parts)
            files.update({(*base, name): Path(root, name) for name in names if not is_junk(name)})
    return files


def _crc(path: Path) -> int:
    value = 0
    with open(path, "rb") as stream:
        while chunk := stream.read(_CHUNK):
            value = zlib.crc32(chunk, value)
    return value


def zip_unpacked_in(archive: Path, wrap: tuple[str, ...], folder: Path) -> bool:
    """Whether the zip's entries (under its wrapping folder ``wrap``) are already unpacked in ``folder``: the same
    entries holding the same files (names, sizes and CRC-32), as unzipping an export in place leaves them."""
    members = _zip_files(archive, wrap)
    on_disk = _folder_files(folder, {path[0] for path in members}) if members else None
    if on_disk is None or set(on_disk) != set(members):
        return False
    try:
        return all(path.is_file() and not path.is_symlink() and path.stat().st_size == members[key][0]
                   and _crc(path) == members[key][1] for key, path in on_disk.items())
    except OSError:
        return False
