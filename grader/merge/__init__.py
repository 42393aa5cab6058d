"""Grading a class on several machines: ``grader grade --shard K/N`` grades a share, ``grader merge`` joins them.

A student's share is decided by a hash of their id alone, so it never changes when
the class is graded again or students are added; each shard writes an ordinary
output folder plus ``shard.json``, and merging the N folders gives exactly the
gradebook and overview that grading the whole class in one run gives.
"""

from grader.merge._merge import MergeResult, merge_outputs
from grader.merge._shard import SHARD_MANIFEST, Shard, parse_shard, write_shard_manifest

__all__ = ["SHARD_MANIFEST", "MergeResult", "Shard", "merge_outputs", "parse_shard", "write_shard_manifest"]
