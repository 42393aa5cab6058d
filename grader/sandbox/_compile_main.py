"""The confined compiler process: confines itself like a worker, then becomes the compiler.

Started as ``python -I -B _compile_main.py`` by :func:`grader.sandbox.compile.compile_source`
(never ``-m grader...``: the package's ``__init__`` would import the whole grader).
It reads its settings (JSON) on standard input, applies
:func:`grader.sandbox._confine.confine` with the toolchain as the only readable
folders besides its own, writes the protections it got (JSON) on the file
descriptor named in the settings, and replaces itself with the compiler, whose
messages go to standard output and error.
"""

from __future__ import annotations

import json
import os
import sys
import types


def _bootstrap_packages() -> None:
    """Make ``grader.sandbox`` importable without running the package's ``__init__``."""
    sandbox = os.path.dirname(os.path.abspath(__file__))
    package = os.path.dirname(sandbox)
    for name, path in (("grader", package), ("grader.sandbox", sandbox)):
        module = types.ModuleType(name)
        module.__path__ = [path]
        module.__package__ = name
        sys.modules[name] = module


_bootstrap_packages()

from grader.sandbox._confine import confine  # noqa: E402

# Everything confinement uses, imported while this interpreter's own folders are still readable: once it runs
# as an unprivileged user under Landlock rules made for the compiler, it may no longer read them.
if sys.platform.startswith("linux"):
    import pwd  # noqa: E402,F401
    import resource  # noqa: E402,F401
    import signal  # noqa: E402,F401

    from grader.sandbox import _landlock, _linux, _seccomp  # noqa: E402,F401


def main() -> None:
    settings = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    os.chdir(settings["folder"])
    protections = confine(settings)
    with os.fdopen(int(settings["report_fd"]), "w", encoding="utf-8") as report:
        report.write(json.dumps(protections))
    command = [str(part) for part in settings["command"]]
    sys.stdout.flush()
    sys.stderr.flush()
    if os.name == "nt":  # no exec that keeps the process: wait for the compiler and pass on its exit code
        import subprocess

        sys.exit(subprocess.run(command, check=False).returncode)
    os.execv(command[0], command)


if __name__ == "__main__":
    main()
