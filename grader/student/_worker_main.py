"""The worker: the process that imports a student's module and runs its functions for the grader.

Started as ``python -I -B -u _worker_main.py fd:N`` (never ``-m grader...``: the
package's ``__init__`` would import the whole grader, checks and Hypothesis
included).  It reads only the wire format, the code that calls a function, and
the sandbox's confinement; nothing that decides a grade is ever in this process.

On the channel FD, in order: the grader sends the settings, the worker confines
itself and answers with the protections in force (or ``exercise_error``, and stops, when the exercise's
own trusted code it prepares first fails); it imports the student's
module and answers ``loaded``, ``load_error`` or ``exercise_error``; then it answers call requests
one by one until the grader closes the channel or kills it.  A batch request (``calls``) is
answered by one message per call, in order, until the first call that does not return a value.  A planned
batch (``plan``: calls of any functions, known in advance) is answered the same way, through the calls that
raise, until the first that could not finish.
"""

from __future__ import annotations

import os
import socket
import sys
import threading
import time
import types
import warnings


def _bootstrap_packages() -> None:
    """Make ``grader`` and its subpackages importable without running their ``__init__``."""
    student = os.path.dirname(os.path.abspath(__file__))
    package = os.path.dirname(student)
    for name, path in (("grader", package), ("grader.student", student),
                       ("grader.sandbox", os.path.join(package, "sandbox"))):
        module = types.ModuleType(name)
        module.__path__ = [path]
        module.__package__ = name
        sys.modules[name] = module


_bootstrap_packages()

from grader import wire  # noqa: E402
from grader.sandbox._channel import recv_frame, send_frame  # noqa: E402
from grader.sandbox._confine import confine  # noqa: E402
from grader.student._base import FRESH_FIRST_LOAD_MOST, FRESH_LOAD_MOST, ExerciseLoadError, StudentLoadError  # noqa: E402
from grader.student._inprocess import left_out_of  # noqa: E402 - before confinement: the sources are not readable after
from grader.student._runners import worker_runner  # noqa: E402
from grader.student._python_startup import install as _plots_without_display  # noqa: E402

# Before the student's module is imported: its matplotlib.use("TkAgg") selects Agg (no display here), as a
# program's does (the program runner gives it this hook as its sitecustomize).
_plots_without_display()


def _send(channel: socket.socket, message: dict) -> bool:
    """Send ``message``; False when it could not be encoded and an ``aborted`` message went instead."""
    sent = True
    try:
        payload = wire.encode(message)
    except MemoryError:
        payload, sent = wire.encode({"seq": message.get("seq"), "aborted": "memory"}), False
    except (TypeError, ValueError) as error:
        payload, sent = wire.encode({"seq": message.get("seq"), "aborted": "protocol", "how": str(error)[:200]}), False
    send_frame(channel, payload)
    return sent


def _flush() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:  # the student may have replaced or closed them
            pass


def _load(channel: socket.socket, settings: dict, runner) -> object:
    try:
        module = runner.load(settings)
    except ExerciseLoadError as error:  # the exercise's own code failed (the binding): none of the student's
        _flush()
        _send(channel, {"exercise_error": error.message})
        return None
    except StudentLoadError as error:
        _flush()
        _send(channel, {"load_error": error.message, "details": error.details})
        return None
    except KeyboardInterrupt:
        _flush()
        _send(channel, {"load_error": f"importing {settings['module']} failed with KeyboardInterrupt"})
        return None
    _flush()
    _send(channel, {"loaded": True, "left_out": left_out_of(module)})
    return module


class _Freshness:
    """The submission loaded again (``op: fresh``), its state as after its first load: module variables, C static
    and Fortran saved variables.  The grader asks at the start of each check, and before Hypothesis runs again
    what a replay of the example cache began (see :mod:`grader.replay`): what a check sees never depends on the
    calls made before it, so a submission that keeps state between calls gets the same report whatever the cache
    held.  What a load again prints is discarded (it was printed once, at the first load).  The module stays as it
    is when no call was made since it was loaded (it is fresh), when its first load took longer than
    :data:`FRESH_FIRST_LOAD_MOST` or loading it again longer than :data:`FRESH_LOAD_MOST`, and when the load
    fails; and from the first time the code keeps threads running between calls (a thread pool kept by the
    module) or starts them as it loads: the threads of each load would stay, up to the limit of threads."""

    def __init__(self, muted: int, first_load_seconds: float) -> None:
        self.muted = muted  # a descriptor open on the null device, for what a load again prints
        self.called = False  # a call was made since the module was loaded
        self.slow = first_load_seconds > FRESH_FIRST_LOAD_MOST
        self.threads = threading.active_count()  # the threads running once the module was loaded

    def fresh(self, runner, settings: dict, module: object) -> tuple[object, bool]:
        if not self.called:
            return module, True
        if self.slow or threading.active_count() > self.threads:
            self.slow = True
            return module, False
        _flush()
        saved = (os.dup(1), os.dup(2))
        started = time.process_time()
        try:
            os.dup2(self.muted, 1)
            os.dup2(self.muted, 2)
            try:
                module = runner.fresh(settings, module)
            except BaseException:  # whatever the second load did, the first one stands
                return module, False
            finally:
                _flush()
        finally:
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])
            self.slow = time.process_time() - started > FRESH_LOAD_MOST
        self.called = False
        self.slow = self.slow or threading.active_count() > self.threads
        return module, True


def _answer(runner, module: object, request: object) -> dict:
    if type(request) is not dict or request.get("op") != "call":
        return {"aborted": "protocol", "how": "unknown request"}
    seq = request.get("seq")
    try:
        reply = runner.call(module, request["function"], request["args"], request["kwargs"],
                            echo_args=bool(request.get("echo")))
    except SystemExit:
        return {"seq": seq, "aborted": "exit", "how": "sys.exit"}
    except KeyboardInterrupt:
        return {"seq": seq, "aborted": "exit", "how": "KeyboardInterrupt"}
    except MemoryError:
        return {"seq": seq, "aborted": "memory"}
    except wire.WireError as error:  # the value returned could not be read (see _execute._plain): not an exit
        return {"seq": seq, "aborted": "protocol", "how": str(error)[:200]}
    except BaseException as error:  # GeneratorExit and friends: nothing a function should raise
        return {"seq": seq, "aborted": "exit", "how": type(error).__name__}
    if reply.get("raised") == "MemoryError":
        return {"seq": seq, "aborted": "memory"}
    return {"seq": seq, "reply": reply}


def _answer_each(channel: socket.socket, runner, module: object, request: dict) -> None:
    """A batch (``op: calls``): each call answered as a request of its own would be, numbered from ``seq``,
    until the first whose answer is not a value (the grader stops reading there too)."""
    calls, seq = request.get("calls"), request.get("seq")
    if type(calls) is not list or type(seq) is not int or not all(
            type(item) is list and len(item) == 2 and type(item[0]) is tuple and type(item[1]) is dict
            for item in calls):
        _send(channel, {"seq": seq, "aborted": "protocol", "how": "malformed batch"})
        return
    for index, (args, kwargs) in enumerate(calls):
        answer = _answer(runner, module, {"op": "call", "seq": seq + index, "function": request.get("function"),
                                          "args": args, "kwargs": kwargs})
        runner.after_call()
        _flush()
        if not _send(channel, answer) or "aborted" in answer or "value" not in answer["reply"]:
            return


def _answer_plan(channel: socket.socket, runner, module: object, request: dict) -> None:
    """A planned batch (``op: plan``): each ``[function, args, kwargs, echo]`` answered as a request of its own
    would be, numbered from ``seq``, through the calls that raise (an answer like any other), until the first
    that could not finish (the grader stops reading there too)."""
    calls, seq = request.get("calls"), request.get("seq")
    if type(calls) is not list or type(seq) is not int or not all(
            type(item) is list and len(item) == 4 and type(item[0]) is str and type(item[1]) is tuple
            and type(item[2]) is dict and type(item[3]) is bool for item in calls):
        _send(channel, {"seq": seq, "aborted": "protocol", "how": "malformed plan"})
        return
    for index, (function, args, kwargs, echo) in enumerate(calls):
        answer = _answer(runner, module, {"op": "call", "seq": seq + index, "function": function,
                                          "args": args, "kwargs": kwargs, "echo": echo})
        runner.after_call()
        _flush()
        if not _send(channel, answer) or "aborted" in answer:
            return


#: The warnings already shown when the grader last asked to keep them: module name -> its warning registry.
_shown: dict = {"modules": None, "once": None}


def _registries() -> dict:
    """Every module's record of the warnings it showed (Python shows a warning once per place and module)."""
    found = {}
    for name, module in list(sys.modules.items()):
        try:
            registry = vars(module).get("__warningregistry__")
        except TypeError:
            continue
        if isinstance(registry, dict):
            found[name] = registry
    return found


def _warnings(request: dict) -> dict:
    """Keep (``keep``) or put back the record of the warnings shown so far: calls the grader makes again after a
    replay whose output it forgot (see :mod:`grader.replay`) show the warnings they showed the first time, as a
    run without the cache does.  Nothing the student's code did to the records may stop the worker."""
    try:
        if request.get("keep"):
            _shown["modules"] = {name: dict(registry) for name, registry in _registries().items()}
            _shown["once"] = dict(warnings.onceregistry)  # type: ignore[attr-defined]
        elif _shown["modules"] is not None:
            for name, registry in _registries().items():
                registry.clear()
                registry.update(_shown["modules"].get(name, {}))
            warnings.onceregistry.clear()  # type: ignore[attr-defined]
            warnings.onceregistry.update(_shown["once"] or {})  # type: ignore[attr-defined]
    except Exception:  # a registry replaced by the student's code: its warnings are its own business
        pass
    return {"seq": request.get("seq"), "reply": {"value": True}}


def _connect(address: str) -> socket.socket:
    """The private channel: an inherited socket ``fd:N``, or ``tcp:PORT`` on 127.0.0.1 where sockets cannot be
    inherited (Windows); over TCP the worker first proves it is the one the grader started."""
    kind, _, value = address.partition(":")
    if kind == "fd":
        return socket.socket(fileno=int(value))
    channel = socket.create_connection(("127.0.0.1", int(value)), timeout=30)
    channel.settimeout(None)
    channel.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    send_frame(channel, os.environ.get("GRADER_WORKER", "").encode("ascii"))
    return channel


def main() -> None:
    channel = _connect(sys.argv[1])
    settings = wire.decode(recv_frame(channel))
    os.chdir(str(settings["folder"]))
    runner = worker_runner(str(settings.get("language", "python")))
    try:
        runner.prepare(settings)  # trusted code only (the exercise's binding), before confinement
    except ExerciseLoadError as error:  # the exercise's fault: said in place of the protections, then stop
        _send(channel, {"exercise_error": error.message})
        return
    muted = os.open(os.devnull, os.O_WRONLY)  # before confinement, which may not let it be opened
    _send(channel, {"protections": confine(settings)})
    sys.argv = [str(settings["module"])]  # as if run by 'python MODULE.py': module-level code may read it
    started = time.process_time()
    module = _load(channel, settings, runner)
    if module is None:
        return
    freshness = _Freshness(muted, time.process_time() - started)
    while True:
        try:
            request = wire.decode(recv_frame(channel))
        except EOFError:
            return
        if type(request) is dict and request.get("op") == "warnings":
            _send(channel, _warnings(request))
            continue
        if type(request) is dict and request.get("op") == "fresh":
            module, fresh = freshness.fresh(runner, settings, module)
            _send(channel, {"seq": request.get("seq"), "reply": {"value": fresh}})
            continue
        freshness.called = True
        if type(request) is dict and request.get("op") == "calls":
            _answer_each(channel, runner, module, request)
            continue
        if type(request) is dict and request.get("op") == "plan":
            _answer_plan(channel, runner, module, request)
            continue
        answer = _answer(runner, module, request)
        runner.after_call()
        _flush()
        _send(channel, answer)


if __name__ == "__main__":
    main()
