"""The ``grader`` command: a thin layer over the library functions.

Exit codes: 0 when every check passed, 1 when a check failed, 2 on a usage or
configuration error, 3 when a check of the exercise itself raised (``grader check``: the exercise's error;
``grader grade``: a student met one, after every report is written), 130 when interrupted.
"""

from __future__ import annotations

import dataclasses
import os
import sys
from pathlib import Path
from typing import NoReturn, Optional, TextIO


def _start_worker_early(argv: list[str]) -> None:
    """``grader check`` in the sandbox: the worker starts now, while this process imports the checks' libraries."""
    if argv[:1] == ["check"] and not {"--no-sandbox", "--help", "-h"} & set(argv):
        from grader.sandbox._launch import start_ahead

        start_ahead()


_start_worker_early(sys.argv[1:])

import click  # noqa: E402

from grader import __version__  # noqa: E402
from grader._atomic import readable  # noqa: E402
from grader.config import CourseConfig, load_config  # noqa: E402
from grader.errors import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, GraderError, UsageError  # noqa: E402
from grader.dist.policy import DEFAULT_POLICY, POLICIES, exit_code  # noqa: E402
from grader.grading import grade_submission  # noqa: E402
from grader.render.ci import CI_FORMATS  # noqa: E402

__all__ = ["main", "run", "cli"]


def _config(path: Optional[Path]) -> CourseConfig:
    return load_config(path)


def _pick_exercise(config: CourseConfig, exercise: Optional[str], path: Optional[Path] = None) -> str:
    """``exercise``, checked; else the exercise whose file ``path`` is (by its name, else by the functions it
    defines or by being a whole program: a renamed file); without a path, the one exercise whose files the
    current folder holds (``exercises/lab2``, a student's folder); by default the first of config.yaml."""
    if exercise:
        config.exercise(exercise)  # raises with the list of known exercises
        return exercise
    if path is None and len(config.exercises) > 1:
        from grader.sources import exercise_here

        here = exercise_here(config, Path.cwd())
        if here is not None:
            return here
    if path is not None and len(config.exercises) > 1:
        named = [key for key, item in config.exercises.items()
                 if path.name == item.module or (item.kind == "program" and path.stem == Path(item.module).stem)
                 or (path.suffix.lower() == ".ipynb" and path.name == Path(item.module).with_suffix(".ipynb").name)]
        if len(named) == 1:
            return named[0]
        from grader.sources import exercise_of

        told = exercise_of(path, config.exercises).exercise
        if told is not None:
            return told
    return next(iter(config.exercises))  # load_config guarantees at least one


def _default_file(config: CourseConfig, exercise_id: str, language: Optional[str]) -> tuple[Path, str]:
    """The file to check when no --path is given, and a note on the choice ("" when there is nothing to say):
    in ``language`` if given (found by the language's runner at the root of the repository or under
    ``exercises/``), else the one the student completed, in any of the exercise's languages (see
    :mod:`grader.sources`)."""
    exercise = config.exercise(exercise_id)
    if language is None:
        from grader.sources import default_submission

        chosen = default_submission(config, exercise)
        return (chosen.path, chosen.note) if chosen is not None else (exercise.skeleton, "")
    from grader.student._languages import runner_for

    in_language = exercise.for_language(language)
    return runner_for(language).find(config.root, in_language.module) or in_language.skeleton, ""


def _from_here(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        return str(path)


def _require_file(path: Path, verb: str, exercise: str = "") -> None:
    """A usage error unless ``path`` is a file that is not an archive, saying what to pass instead."""
    if path.is_dir():
        inside = sorted(item.name for item in path.iterdir() if item.suffix in (".py", ".c", ".f90"))
        example = path / (inside[0] if inside else "FILE")
        found = f" (it holds {', '.join(inside[:5])})" if inside else ""
        raise UsageError(f"{path} is a folder{found}: --path takes the file to {verb}, e.g. --path {example}")
    if not path.is_file():
        raise UsageError(f"{path} not found: pass the file to {verb} with --path")
    from grader.grade._archive import is_archive
    from grader.grade._discover import UNOPENED_ARCHIVES

    # Read as a source, an archive would be reported as a broken submission: it is the wrong command.
    if is_archive(path.name):
        option = f" --exercise {exercise}" if exercise else ""
        raise UsageError(f"{path} is an archive: --path takes the exercise's source file (.py, .c, .f90, .ipynb); "
                         f"unpack it and pass the file to {verb}, or grade archives and folders with "
                         f"'grader grade {path}{option} --out FOLDER'")
    if path.suffix.lower() in UNOPENED_ARCHIVES:
        raise UsageError(f"{path} is an archive: --path takes the exercise's source file (.py, .c, .f90, .ipynb); "
                         f"unpack it and pass the file to {verb}")


def _emit(text: str, path: Optional[Path]) -> None:
    """Print ``text``, or write it to ``path`` whole (a reader never sees half a file)."""
    if path is None:
        click.echo(text)
        return
    from grader import _atomic

    _atomic.write_text(path, text if text.endswith("\n") else text + "\n")


class _CheckProgress:
    """``check 3 of 21: assign.nearest_center`` redrawn in place on a terminal while the checks run."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._drawn = False

    def __call__(self, index: int, total: int, check_id: str) -> None:
        self._stream.write(f"\r\033[Kcheck {index} of {total}: {check_id}")
        self._stream.flush()
        self._drawn = True

    def clear(self) -> None:
        if self._drawn:
            self._stream.write("\r\033[K")
            self._stream.flush()


def _check_progress(output_format: str, stream: TextIO) -> Optional[_CheckProgress]:
    """Progress on a terminal for the text report; nothing when redirected or in a CI format."""
    isatty = getattr(stream, "isatty", None)
    if output_format != "text" or isatty is None or not isatty() or _dumb_terminal():
        return None
    return _CheckProgress(stream)


def _dumb_terminal() -> bool:
    """A terminal that understands no escape sequence (``TERM=dumb``: Emacs shells, some CI logs)."""
    return os.environ.get("TERM", "") == "dumb"


def _use_colour(stream) -> bool:
    # https://no-color.org: a set, non-empty NO_COLOR turns colour off.
    return stream.isatty() and not os.environ.get("NO_COLOR") and not _dumb_terminal()


#: Commands imported only when run or listed (``grader check`` does not pay for the instructors' tools):
#: name -> (module, attribute).
_LAZY_COMMANDS = {
    "grade": ("grader.grade._cli", "grade"),  # instructor batch grading
    "dist": ("grader.dist._cli", "dist"),  # student repository, Gradescope bundle
    "collect": ("grader.collect._cli", "collect"),  # grades from CI runs
    "merge": ("grader.merge._cli", "merge"),  # joining the shards of a class
    "doctor": ("grader.sandbox._cli", "doctor"),  # sandbox self-test
    "new": ("grader.new._cli", "new"),  # a new exercise in the course folder
}


class _Commands(click.Group):
    """A command group whose :data:`_LAZY_COMMANDS` are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *_LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> Optional[click.Command]:
        if cmd_name in _LAZY_COMMANDS and cmd_name not in self.commands:
            import importlib

            module, attribute = _LAZY_COMMANDS[cmd_name]
            self.add_command(getattr(importlib.import_module(module), attribute), cmd_name)
        return super().get_command(ctx, cmd_name)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="grader")
def cli() -> None:
    """Property-based autograder for the course's exercises."""


@cli.command()
@click.argument("exercise", required=False)
@click.option("--path", "module_path", type=click.Path(path_type=Path),
              help="The module to check (default: the exercise's file in this repository).")
@click.option("--config", "config_path", type=click.Path(path_type=Path),
              help="The course configuration (default: the nearest config.yaml).")
@click.option("--language", type=click.Choice(["python", "c", "fortran"]),
              help="The language of the file (default: from its extension: .py, .c, .f90).")
@click.option("--all", "include_hidden", is_flag=True, help="Also run the hidden checks, where present.")
@click.option("--no-sandbox", is_flag=True, help="Run the code in this process: only for code you trust.")
@click.option("--format", "output_format", type=click.Choice(["text", "json", *CI_FORMATS]), default="text",
              show_default=True, help="How to print the report (junit, gradescope, github: for CI, see the README).")
@click.option("--output", "-o", "output_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the formatted report to this file instead of standard output.")
@click.option("--verbose", "-v", is_flag=True, help="Show full counterexamples, tracebacks and your code's output.")
@click.option("--report-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Also write report.json, report.md (with its figures) and a self-contained report.html there.")
@click.option("--student", "student_id", help="Who the report is of (default: the module's file name).")
@click.option("--fail-on", type=click.Choice(POLICIES), default=DEFAULT_POLICY, show_default=True,
              envvar="GRADER_FAIL_ON", help="What exits with 1: a failed check, only code that cannot be graded "
              "(error), or nothing (never).  Environment: GRADER_FAIL_ON.")
def check(exercise: Optional[str], module_path: Optional[Path], config_path: Optional[Path], language: Optional[str],
          include_hidden: bool,
          no_sandbox: bool, output_format: str, output_path: Optional[Path], verbose: bool,
          report_dir: Optional[Path], student_id: Optional[str], fail_on: str) -> None:
    """Check your solution of EXERCISE (default: the first of config.yaml) and print what passes and what not."""
    config = _config(config_path)
    exercise_id = _pick_exercise(config, exercise, module_path)
    path, note = (module_path, "") if module_path is not None else _default_file(config, exercise_id, language)
    _require_file(path, "check", exercise_id)
    if module_path is None and not note:  # which file was found, as the student would name it from here
        note = f"graded {readable(_from_here(path))}: pass --path FILE to check another file"
    progress = _check_progress(output_format, sys.stderr)
    from grader._ceiling import apply_ceiling, ceiling_of

    ceiling = ceiling_of(config.limits)
    apply_ceiling(ceiling, cpu_exit=EXIT_FAILED)  # one submission's checks: the grader's memory and time bounded
    try:
        report = grade_submission(config, {exercise_id: path}, student=student_id or readable(path.stem),
                                  hidden=include_hidden, sandbox=not no_sandbox,
                                  languages={exercise_id: language} if language else None, progress=progress)
    except MemoryError:
        click.echo(f"stopped: {ceiling.memory_verdict()}", err=True)
        sys.exit(EXIT_FAILED)
    finally:
        if progress is not None:
            progress.clear()
    if note:
        report = dataclasses.replace(report, notes=(*report.notes, note))
    if report_dir is not None:
        from grader.render import write_reports

        written = write_reports(report, report_dir)
        from grader.signature import key_from_environment, sign_report_file

        key = key_from_environment()
        if key is not None and "json" in written:  # in CI, with the instructor's key: for grader collect
            written["signature"] = sign_report_file(written["json"], key, student=report.student,
                                                    repository=os.environ.get("GITHUB_REPOSITORY", ""))
        click.echo(f"reports written: {', '.join(str(file) for file in written.values())}", err=True)
    if output_format in CI_FORMATS:
        from grader.render.ci import render_ci

        text = render_ci(report, output_format)
    elif output_format == "json":
        text = report.to_json()
    else:
        from grader.render.terminal import render_text

        text = render_text(report, colour=output_path is None and _use_colour(sys.stdout), verbose=verbose)
    _emit(text, output_path)
    sys.exit(exit_code(report, fail_on))


@cli.command()
@click.argument("exercise", required=False)
@click.option("--path", "module_path", type=click.Path(path_type=Path),
              help="The module to run (default: the exercise's file in this repository).")
@click.option("--config", "config_path", type=click.Path(path_type=Path),
              help="The course configuration (default: the nearest config.yaml).")
@click.option("--data", "data", multiple=True, metavar="TEXT",
              help="Only the data files whose name contains TEXT (e.g. 2d or 3d); repeatable.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Save the figure to this file (.png, .svg, .pdf) instead of opening a window.")
@click.option("--no-sandbox", is_flag=True, help="Run the code in this process: only for code you trust.")
@click.option("--language", type=click.Choice(["python", "c", "fortran"]),
              help="The language of the file (default: from its extension: .py, .c, .f90).")
def show(exercise: Optional[str], module_path: Optional[Path], config_path: Optional[Path], data: tuple[str, ...],
         output: Optional[Path], no_sandbox: bool, language: Optional[str]) -> None:
    """Run your EXERCISE code (default: the first of config.yaml) on the course data and draw the result."""
    from grader.show import run_on_course_data, save_or_show, summary_lines, window_available

    config = _config(config_path)
    exercise_id = _pick_exercise(config, exercise, module_path)
    path = module_path if module_path is not None else _default_file(config, exercise_id, language)[0]
    _require_file(path, "run", exercise_id)
    if output is None and not window_available():
        # As the course's own scripts do on a machine without a display: save the figure and say where.
        click.echo("no display here: the figure is saved instead of shown")
        output = Path(f"{exercise_id}.png")
    result = run_on_course_data(config, exercise_id, path, data=data, sandbox=not no_sandbox, language=language)
    for line in summary_lines(result):
        click.echo(line)
    saved = save_or_show(result, output)
    if saved is not None:
        click.echo(f"figure saved to {saved.resolve()}")
    sys.exit(EXIT_OK if result.ok else EXIT_FAILED)


@cli.command(name="list")
@click.option("--config", "config_path", type=click.Path(path_type=Path),
              help="The course configuration (default: the nearest config.yaml).")
def list_exercises(config_path: Optional[Path]) -> None:
    """List the exercises of the course: functions to write, checks, points, and which checks are hidden."""
    from grader.listing import listing_text

    click.echo(listing_text(_config(config_path)))


cli.add_command(list_exercises, name="exercises")  # the same command under a second name


def main(argv: Optional[list[str]] = None) -> None:
    """Entry point of the ``grader`` console script."""
    try:
        cli.main(args=argv, prog_name="grader", standalone_mode=False)
    except GraderError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(error.exit_code)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except SystemExit:
        raise
    except OSError as error:  # a file or folder of the user's that cannot be made, read or written
        where = f" {error.filename}" if error.filename else ""
        click.echo(f"error: cannot use{where}: {error.strerror or error}: choose another path (--out, -o, "
                   "--report-dir) or check its permissions", err=True)
        sys.exit(EXIT_USAGE)
    sys.exit(EXIT_OK)


def run() -> None:
    """Entry point of the ``grader`` command and of ``python -m grader``: :func:`main`, then the process ends.

    The process ends as soon as everything it owes the user is done: its non-daemon threads finished, its exit
    functions run (the workers it started are stopped and their folders removed there, and so is what
    ``atexit`` and ``weakref.finalize`` hold), and its output flushed. The interpreter's own tear-down (freeing
    every object of numpy, Hypothesis and the checks one by one) is skipped: it has nothing left to write, and
    it was about a quarter of a second of every ``grader check``. :func:`main` itself leaves the interpreter alone, for
    callers that run it in their own process.
    """
    try:
        main()
    except SystemExit as done:
        _end_process(done.code)
    _end_process(EXIT_OK)


def _end_process(code: object) -> NoReturn:
    """Finish what the interpreter's exit would do for the user, then end the process with ``code`` (the code of
    a ``SystemExit``: None is 0, a text is printed and is 1)."""
    import atexit
    import threading

    if code is None:
        code = EXIT_OK
    elif not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    for thread in threading.enumerate():
        if thread is not threading.current_thread() and not thread.daemon:
            thread.join()
    atexit._run_exitfuncs()
    if "ctypes" in sys.modules and os.name == "posix":  # compiled code run in this process: C's buffers too
        try:
            sys.modules["ctypes"].CDLL(None).fflush(None)
        except (OSError, AttributeError):
            pass
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (``grader check | head``) or stream: nothing more to say
            code = code or 1
    os._exit(code)
