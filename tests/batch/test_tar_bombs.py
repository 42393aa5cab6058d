"""Tar archives are read under the same caps as zips, with bounded memory in the main process of ``grader grade``.

A GNU long-name or PAX header may declare a name of any size, which :mod:`tarfile` reads whole before the
member it names: a 255 KB ``.tar.gz`` declaring a 256 MiB long name took the main process from 54 MB to
578 MB.  Such headers are refused before they are read; so are sparse files, and reading past the
unpacked-size cap, members skipped included.
"""

from __future__ import annotations

import gzip
import io
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from grader.grade import SubmissionProblem
from grader.grade._archive import Caps, Unpacked, extract, tar_names

from .helpers import ROOT, gradebook
from tests.peak_memory import MEASURED, peak_kib

_MIB = 1024 * 1024


def _block(name: str, kind: bytes, size: int) -> bytes:
    info = tarfile.TarInfo(name)
    info.type, info.size = kind, size
    return info.tobuf(format=tarfile.GNU_FORMAT)


def _bomb(path: Path, kind: bytes, declared: int) -> Path:
    """A .tar.gz whose first header (a GNU long name, or a PAX header) declares ``declared`` bytes of zeros, all
    really there (a few hundred KB once compressed), then the student's kmeans.py.  Written as gzip members one
    after the other (a reader sees one stream), the zeros compressed once."""
    code = b"x = 1\n"
    zeros = gzip.compress(bytes(_MIB), compresslevel=9)
    with open(path, "wb") as stream:
        stream.write(gzip.compress(_block("././@LongLink" if kind == tarfile.GNUTYPE_LONGNAME else "pax", kind,
                                          declared)))
        for _ in range(declared // _MIB):
            stream.write(zeros)
        stream.write(gzip.compress(bytes(-declared % tarfile.BLOCKSIZE)
                                   + _block("kmeans.py", tarfile.REGTYPE, len(code))
                                   + code.ljust(tarfile.BLOCKSIZE, b"\0") + bytes(2 * tarfile.BLOCKSIZE)))
    return path


def test_a_gnu_long_name_bomb_is_refused_with_the_main_process_memory_bounded(tmp_path, course):
    # Large enough that reading the name whole (at least ``declared`` bytes) stands far above what grading one
    # student costs the main process.
    declared = 768 * _MIB
    (tmp_path / "class").mkdir()
    bomb = _bomb(tmp_path / "class" / "bomb.tar.gz", tarfile.GNUTYPE_LONGNAME, declared)
    assert bomb.stat().st_size < _MIB
    peak = tmp_path / "peak"
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT), "TMPDIR": str(tmp_path), "PEAK_FILE": str(peak)}
    process = subprocess.Popen([sys.executable, "-c", MEASURED, "grade", "class", "--out", "out", "--config",
                                str(course), "--no-sandbox", "--jobs", "1"], cwd=tmp_path, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    # In KiB: the grader's main process never holds the declared name.  Its own peak, as it measured it when it
    # ended (see tests/peak_memory.py).
    own = peak_kib(peak)
    assert own * 1024 < declared // 2, (own, usage.ru_maxrss)
    row = gradebook(tmp_path / "out")["bomb"]
    assert row["status"] == "error"
    report = (tmp_path / "out" / "bomb" / "report.json").read_text(encoding="utf-8")
    assert f"member header of {declared} bytes" in report


@pytest.mark.quick
def test_a_pax_header_bomb_is_refused_before_it_is_read(tmp_path):
    bomb = _bomb(tmp_path / "pax.tar.gz", tarfile.XHDTYPE, 4 * _MIB)
    with pytest.raises(SubmissionProblem, match="member header of 4194304 bytes"):
        extract(bomb, tmp_path / "out", Unpacked())


def test_usual_long_names_and_pax_headers_still_unpack(tmp_path):
    archive = tmp_path / "long.tar.gz"
    long_name = "repo/" + "x" * 150 + "/kmeans.py"
    with tarfile.open(archive, "w:gz", format=tarfile.PAX_FORMAT) as tar:
        for name in (long_name, "repo/ünïcode.py"):
            info = tarfile.TarInfo(name)
            info.size = 6
            tar.addfile(info, io.BytesIO(b"x = 1\n"))
    extract(archive, tmp_path / "out", Unpacked())
    assert (tmp_path / "out" / long_name).read_text() == "x = 1\n"
    assert (tmp_path / "out" / "repo" / "ünïcode.py").exists()


def test_reading_stops_at_the_size_cap_even_through_skipped_members(tmp_path):
    archive = tmp_path / "skipped.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        info = tarfile.TarInfo("repo/.git/objects/pack")  # junk: never written, but read through
        info.size = 16 * _MIB
        tar.addfile(info, io.BytesIO(bytes(info.size)))
        info = tarfile.TarInfo("repo/kmeans.py")
        info.size = 6
        tar.addfile(info, io.BytesIO(b"x = 1\n"))
    with pytest.raises(SubmissionProblem, match="larger than 1 MiB once unpacked"):
        extract(archive, tmp_path / "out", Unpacked(caps=Caps(max_bytes=_MIB)))


def test_listing_a_tar_to_find_the_students_reads_only_its_start(tmp_path):
    # Telling a class folder from one student's reads the archives at its top: never past a large member, never a
    # header bomb, never a damaged archive's error.
    archive = tmp_path / "big.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        for name, size in (("repo/data.bin", 17 * _MIB), ("repo/kmeans.py", 6)):
            info = tarfile.TarInfo(name)
            info.size = size
            tar.addfile(info, io.BytesIO(bytes(size)))
    assert tar_names(archive) == [("repo", "data.bin")]
    assert tar_names(_bomb(tmp_path / "pax.tar.gz", tarfile.XHDTYPE, 4 * _MIB)) == []
    assert tar_names(tmp_path / "missing.tar.gz") == []
    (tmp_path / "damaged.tar.gz").write_bytes(gzip.compress(b"not a tar")[:20])
    assert tar_names(tmp_path / "damaged.tar.gz") == []


def test_a_sparse_file_is_refused(tmp_path):
    archive = tmp_path / "sparse.tar"
    header = bytearray(_block("repo/kmeans.py", tarfile.GNUTYPE_SPARSE, 0))
    header[482] = 1  # "isextended": more sparse maps follow, block after block
    header[148:156] = b"        "
    header[148:155] = f"{sum(header):06o}\0".encode()
    archive.write_bytes(bytes(header) + bytes(512) * 4)
    with pytest.raises(SubmissionProblem, match="sparse file"):
        extract(archive, tmp_path / "out", Unpacked())
