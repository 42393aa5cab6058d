"""One student graded in a process of its own: ``python -m grader.grade._child REQUEST``.

A separate process per student keeps students independent: whatever one
submission does to its process (crash, exit, exhausted memory), the run goes
on with the others.  The request and the result are files in the student's
scratch folder, never the process's output, which the student's code shares.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from pathlib import Path
from typing import Optional

__all__ = ["main"]


def _watch_parent(parent: int) -> None:
    """End this job when the run that started it is gone (killed, power cut): no orphan keeps grading."""
    def watch() -> None:
        while True:
            if os.getppid() != parent:
                os._exit(3)
            time.sleep(0.5)

    threading.Thread(target=watch, name="watch-parent", daemon=True).start()


def main(argv: Optional[list[str]] = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    request = json.loads(Path(args[0]).read_text(encoding="utf-8"))
    _watch_parent(int(request["parent"]))

    from grader._ceiling import MEMORY_EXIT, apply_ceiling, ceiling_of
    from grader.config import load_config
    from grader.grade._outputs import render_student, with_notes, with_problems
    from grader.grading import grade_submission

    config = load_config(Path(request["config"]))
    ceiling = ceiling_of(config.limits, len(request["modules"]))
    apply_ceiling(ceiling)
    # Course-style code writes its output files to the current folder: let that be the student's scratch.
    os.chdir(request["workdir"])
    modules = {exercise_id: Path(path) if path else None for exercise_id, path in request["modules"].items()}
    try:
        report = grade_submission(config, modules, student=request["student"], name=request["name"], hidden=True,
                                  sandbox=bool(request["sandbox"]))
        report = with_problems(report, {key: tuple(value) for key, value in request["problems"].items()})
        report = with_notes(report, request.get("notes", ()))
        render_student(report, Path(request["out"]))
    except MemoryError:
        # At the ceiling: the run that started this process writes the verdict (see grader._ceiling).
        os.write(2, f"stopped: {ceiling.memory_verdict()}\n".encode())
        os._exit(MEMORY_EXIT)
    sys.stdout.flush()
    sys.stderr.flush()
    # Threads the student's code may have left running must not keep the job alive.
    os._exit(0)


if __name__ == "__main__":
    main()
