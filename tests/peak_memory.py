"""The grader run in a process of its own that tells its own peak memory, for tests bounding it.

``[sys.executable, "-c", MEASURED, *grader_arguments]`` runs ``python -m grader`` and, when it ends, writes its
peak resident size in KiB (``VmHWM``, the high-water mark of its memory, which starts with the program) to the
file named by ``$PEAK_FILE``; :func:`peak_kib` reads it.  Not ``ru_maxrss`` (from ``wait4`` or ``getrusage``):
Linux carries into it, at ``exec``, the peak of the process image replaced, a copy of the test process (hundreds
of MB late in a run), and ``wait4``'s also counts the processes the grader waited for.  Linux only.
"""

from __future__ import annotations

from pathlib import Path

MEASURED = ("import atexit, os, runpy, sys\n"
            "def peak():\n"
            "    with open('/proc/self/status') as status:\n"
            "        line = next(line for line in status if line.startswith('VmHWM:'))\n"
            "    open(os.environ['PEAK_FILE'], 'w').write(line.split()[1])\n"
            "atexit.register(peak)\n"
            "sys.argv[0] = 'grader'\n"
            "runpy.run_module('grader', run_name='__main__', alter_sys=True)\n")


def peak_kib(peak_file: Path) -> int:
    """The peak the measured grader wrote to ``peak_file`` (KiB)."""
    return int(Path(peak_file).read_text(encoding="utf-8"))
