"""Signed reports: who a CI report belongs to and that it is unchanged, checked by ``grader collect``.

In a student's repository, the workflow's grading step has the instructor's key in
``GRADER_REPORT_KEY`` (a repository or organisation secret; the student's code never sees
it: the worker's environment is scrubbed).  ``grader check --report-dir DIR`` then writes
``DIR/report.sig`` beside ``DIR/report.json``: the repository the run belongs to
(``GITHUB_REPOSITORY``, set by the CI runner), the student the report names, the SHA-256
of ``report.json`` as written, and an HMAC-SHA256 of the three with the key.
``grader collect`` with the same key accepts a report as signed only when the HMAC
verifies, the file is the one signed, and the repository's name is the student's.

What it proves: the report was written by a run that had the key, for that repository, and
was not changed after.  What it does not: a student who edits their own workflow can make a
run with the key sign what they like for their own repository (see docs/ci.md, "Trust").
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Optional

__all__ = ["KEY_VARIABLE", "SIGNATURE_NAME", "Signed", "key_from_environment", "sign", "sign_report_file",
           "verify"]

KEY_VARIABLE = "GRADER_REPORT_KEY"
SIGNATURE_NAME = "report.sig"
_VERSION = 1
_MAX_SIGNATURE_BYTES = 4096


def key_from_environment(environ: Mapping[str, str] = os.environ) -> Optional[bytes]:
    """The signing key of ``GRADER_REPORT_KEY``, or ``None`` when it is unset or empty."""
    value = environ.get(KEY_VARIABLE, "").strip()
    return value.encode("utf-8") if value else None


def _mac(key: bytes, repository: str, student: str, digest: str) -> str:
    message = "\n".join(("grader-report-signature", str(_VERSION), repository, student, digest)).encode("utf-8")
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def sign(report_bytes: bytes, key: bytes, *, repository: str, student: str) -> bytes:
    """The content of ``report.sig`` for ``report_bytes`` (the exact bytes of report.json)."""
    digest = hashlib.sha256(report_bytes).hexdigest()
    document = {"version": _VERSION, "repository": repository, "student": student, "sha256": digest,
                "hmac": _mac(key, repository, student, digest)}
    return (json.dumps(document, indent=2) + "\n").encode("utf-8")


def sign_report_file(report_json: Path, key: bytes, *, repository: str, student: str) -> Path:
    """Write ``report.sig`` beside ``report_json``; returns its path."""
    from grader import _atomic

    target = Path(report_json).with_name(SIGNATURE_NAME)
    _atomic.write_bytes(target, sign(Path(report_json).read_bytes(), key, repository=repository, student=student))
    return target


@dataclass(frozen=True)
class Signed:
    """What a signature says, once verified (``ok``), or why it does not verify (``problem``)."""

    ok: bool
    repository: str = ""
    student: str = ""
    problem: str = ""


def verify(report_bytes: bytes, signature: Optional[bytes], key: bytes) -> Signed:
    """Check ``signature`` (the bytes of report.sig, ``None`` when there is none) of ``report_bytes``."""
    if signature is None:
        return Signed(False, problem="not signed (no report.sig): it was not made by the course's workflow with "
                                     "the key")
    try:
        if len(signature) > _MAX_SIGNATURE_BYTES:
            raise ValueError
        document = json.loads(signature.decode("utf-8"))
        repository, student = document["repository"], document["student"]
        digest, mac, version = document["sha256"], document["hmac"], document["version"]
        if not all(isinstance(item, str) for item in (repository, student, digest, mac)) or version != _VERSION:
            raise ValueError
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        return Signed(False, problem="its report.sig is not a signature of this grader")
    if not hmac.compare_digest(_mac(key, repository, student, digest), mac):
        return Signed(False, repository, student, problem="its signature does not verify with the key: made with "
                                                          "another key, or edited")
    if not hmac.compare_digest(hashlib.sha256(report_bytes).hexdigest(), digest):
        return Signed(False, repository, student, problem="report.json is not the file that was signed: edited "
                                                          "after the run")
    return Signed(True, repository, student)
