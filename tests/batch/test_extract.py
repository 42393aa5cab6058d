"""Unpacking submissions never writes outside the scratch folder, never follows links, and stays bounded."""

from __future__ import annotations

import io
import os
import stat
import tarfile
from pathlib import Path

import pytest

from grader.grade import Caps, SubmissionProblem
from grader.grade._archive import Unpacked, copy_entry, extract

from .helpers import make_zip, snapshot, write


def _files(folder: Path) -> list[str]:
    return sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*") if not path.is_dir())


@pytest.mark.quick
def test_zip_members_that_climb_out_or_are_absolute_are_left_out(tmp_path):
    archive = make_zip(tmp_path / "in" / "slip.zip", {
        "work/kmeans.py": "x = 1\n",
        "../evil.py": "x\n", "../../evil2.py": "x\n", "work/../../evil3.py": "x\n",
        str(tmp_path / "abs_evil.py"): "x\n", "C:\\Windows\\evil4.py": "x\n", "..\\evil5.py": "x\n",
    })
    destination = tmp_path / "scratch" / "deep" / "out"
    before = snapshot(tmp_path, skip=(tmp_path / "scratch",))
    unpacked = Unpacked()
    extract(archive, destination, unpacked)
    assert _files(destination) == ["work/kmeans.py"]
    assert snapshot(tmp_path, skip=(tmp_path / "scratch",)) == before
    assert sorted(path.name for path in (tmp_path / "scratch").rglob("*.py")) == ["kmeans.py"]
    assert sum("outside the archive" in note for note in unpacked.notes) == 6


def test_a_name_twice_in_a_zip_keeps_the_last_copy_as_unzip_does(tmp_path):
    import warnings
    import zipfile

    archive = tmp_path / "dup.zip"
    with warnings.catch_warnings(), zipfile.ZipFile(archive, "w") as zipped:
        warnings.simplefilter("ignore")  # zipfile warns of the duplicate name: it is the point
        for name, text in (("kmeans.py", "broken("), ("notes.txt", "hi"), ("./kmeans.py", "x = 2\n"),
                           ("ana/kmeans.py", "old"), ("ana/kmeans.py", "new")):
            zipped.writestr(name, text)
    unpacked = Unpacked()
    extract(archive, tmp_path / "out", unpacked)
    assert (tmp_path / "out" / "kmeans.py").read_text() == "x = 2\n"
    assert "kmeans.py: appears 2 times in the archive; the last copy is kept (as unzip keeps it), the earlier " \
           "ones left out" in unpacked.notes
    assert not any("left out (appears twice)" in note for note in unpacked.notes)
    extract(archive, tmp_path / "within", Unpacked(), within=("ana",))
    assert (tmp_path / "within" / "ana" / "kmeans.py").read_text() == "new"
    # A tar archive listing a name twice: the same.
    with tarfile.open(tmp_path / "dup.tar.gz", "w:gz") as tar:
        for text in (b"broken(", b"x = 3\n"):
            info = tarfile.TarInfo("kmeans.py")
            info.size = len(text)
            tar.addfile(info, io.BytesIO(text))
    unpacked = Unpacked()
    extract(tmp_path / "dup.tar.gz", tmp_path / "tar", unpacked)
    assert (tmp_path / "tar" / "kmeans.py").read_text() == "x = 3\n"
    assert unpacked.notes == ["kmeans.py: appears 2 times in the archive; the last copy is kept (as tar keeps it), "
                              "the earlier ones left out"]


def test_links_in_a_zip_are_never_created(tmp_path):
    archive = make_zip(tmp_path / "links.zip", {"kmeans_real.py": "x = 1\n"},
                       links={"kmeans.py": "/etc/passwd", "up.py": "../../secret.py"})
    unpacked = Unpacked()
    extract(archive, tmp_path / "out", unpacked)
    assert _files(tmp_path / "out") == ["kmeans_real.py"]
    assert not any(path.is_symlink() for path in (tmp_path / "out").rglob("*"))
    assert sorted(unpacked.links) == ["kmeans.py", "up.py"]


def test_tar_links_devices_and_escapes_are_left_out(tmp_path):
    archive = tmp_path / "class.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        def add(name: str, kind: bytes = tarfile.REGTYPE, data: bytes = b"x = 1\n", link: str = "") -> None:
            info = tarfile.TarInfo(name)
            info.type, info.linkname = kind, link
            info.size = len(data) if kind == tarfile.REGTYPE else 0
            tar.addfile(info, io.BytesIO(data) if kind == tarfile.REGTYPE else None)
        add("repo/kmeans.py")
        add("repo/link.py", tarfile.SYMTYPE, link="/etc/passwd")
        add("repo/hard.py", tarfile.LNKTYPE, link="/etc/passwd")
        add("repo/device", tarfile.CHRTYPE)
        add("repo/pipe", tarfile.FIFOTYPE)
        add("../evil.py")
        add("/tmp/evil_absolute.py")
    unpacked = Unpacked()
    extract(archive, tmp_path / "out", unpacked)
    assert _files(tmp_path / "out") == ["repo/kmeans.py"]
    assert sorted(unpacked.links) == ["repo/hard.py", "repo/link.py"]
    assert not (tmp_path / "evil.py").exists()


@pytest.mark.quick
def test_a_zip_bomb_stops_at_the_size_cap(tmp_path):
    archive = make_zip(tmp_path / "bomb.zip", {"kmeans.py": "x = 1\n", "zeros.bin": bytes(30 * 1024 * 1024)})
    assert archive.stat().st_size < 200_000
    with pytest.raises(SubmissionProblem, match="larger than 1 MiB"):
        extract(archive, tmp_path / "out", Unpacked(caps=Caps(max_bytes=1024 * 1024)))
    written = sum(path.stat().st_size for path in (tmp_path / "out").rglob("*") if path.is_file())
    assert written <= 1024 * 1024 + 65536


def test_too_many_files_stop_at_the_count_cap(tmp_path):
    archive = make_zip(tmp_path / "many.zip", {f"f{index}.py": "" for index in range(30)})
    with pytest.raises(SubmissionProblem, match="more than 10 files"):
        extract(archive, tmp_path / "out", Unpacked(caps=Caps(max_files=10)))
    assert len(_files(tmp_path / "out")) <= 10


@pytest.mark.parametrize("name, content", [
    ("broken.zip", b"PK\x03\x04" + b"\x00garbage" * 20),
    ("cut.zip", None),
    ("broken.tar.gz", b"\x1f\x8b\x08\x00" + b"garbage" * 20),
])
def test_damaged_archives_are_reported_not_fatal(tmp_path, name, content):
    if content is None:  # a real zip, cut short like an interrupted upload
        whole = make_zip(tmp_path / "whole.zip", {"kmeans.py": "x = 1\n" * 5000}).read_bytes()
        content = whole[: len(whole) // 2]
    archive = write(tmp_path / name, content)
    with pytest.raises(SubmissionProblem, match="damaged or cannot be read"):
        extract(archive, tmp_path / "out", Unpacked())


def test_a_password_protected_zip_says_so(tmp_path):
    data = bytearray(make_zip(tmp_path / "plain.zip", {"kmeans.py": "x = 1\n"}).read_bytes())
    # Set the "encrypted" flag in the member's local and central headers, as an encrypting archiver does.
    local, central = data.find(b"PK\x03\x04"), data.find(b"PK\x01\x02")
    data[local + 6] |= 0x1
    data[central + 8] |= 0x1
    archive = write(tmp_path / "secret.zip", bytes(data))
    with pytest.raises(SubmissionProblem, match="password"):
        extract(archive, tmp_path / "out", Unpacked())


def test_copying_a_folder_skips_links_special_files_and_junk(tmp_path):
    source = tmp_path / "student"
    write(source / "kmeans.py", "x = 1\n")
    write(source / ".git" / "HEAD", "ref\n")
    write(source / "__pycache__" / "kmeans.cpython-310.pyc", b"\0")
    write(tmp_path / "secret.py", "SECRET = 1\n")
    (source / "linked.py").symlink_to(tmp_path / "secret.py")
    (source / "linked_folder").symlink_to(tmp_path)
    os.mkfifo(source / "pipe")  # reading it would block forever
    unpacked = Unpacked()
    copy_entry(source, tmp_path / "copy", unpacked)
    assert _files(tmp_path / "copy") == ["kmeans.py"]
    assert sorted(unpacked.links) == ["student/linked.py", "student/linked_folder"]
    assert stat.S_ISFIFO(os.lstat(source / "pipe").st_mode)


def test_members_the_file_system_cannot_hold_are_left_out_not_the_archive(tmp_path):
    """A member nested thousands of folders deep, or with a name longer than a file name may be, is left out with
    a note; the archive is not called damaged and the rest of it, the student's code, is unpacked."""
    deep = "/".join(["d"] * 2000) + "/notes.txt"
    archive = make_zip(tmp_path / "odd.zip", {"kmeans.py": "x = 1\n", deep: "x", "notes/" + "n" * 300 + ".txt": "x",
                                              "/".join(["folder" + "f" * 200] * 30) + "/a.txt": "x"})
    unpacked = Unpacked()
    extract(archive, tmp_path / "out", unpacked)
    assert _files(tmp_path / "out") == ["kmeans.py"]
    assert len(unpacked.notes) == 3 and all(len(note) < 300 for note in unpacked.notes)
    assert "folders nested too deep, left out" in unpacked.notes[0]
    assert "name too long for a file, left out" in unpacked.notes[1]
    assert "path too long for a file, left out" in unpacked.notes[2]
    with tarfile.open(tmp_path / "odd.tar", "w") as tar:
        for name in ("kmeans.py", deep):
            info = tarfile.TarInfo(name)
            info.size = 2
            tar.addfile(info, io.BytesIO(b"x\n"))
    unpacked = Unpacked()
    extract(tmp_path / "odd.tar", tmp_path / "out_tar", unpacked)
    assert _files(tmp_path / "out_tar") == ["kmeans.py"] and len(unpacked.notes) == 1
