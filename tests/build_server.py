"""A build server for the tests (conftest.run_build): it imports Pelican and our plugins once,
then forks a fresh child for each build, which runs `python -m pelican ...` (or our check and
report commands) exactly as a new process would, from the state the imports left.

About half of a small fixture build's CPU is Python starting and importing Pelican, Markdown
and the plugins (0.43 of 1.0 s measured); the fork skips it. Each child is as isolated as a
subprocess: the server itself never builds, so no build sees another's module state. The
server is started with the environment run_build gives a subprocess, and run_build only uses
it when a build's environment is that same one (a test that sets a variable gets a real
subprocess).

Protocol: one JSON request a line on stdin ({"argv": [...], "cwd": ..., "stdout": path,
"stderr": path}); one JSON answer a line on stdout ({"returncode": n}) once the child exited.
"""

from __future__ import annotations

import atexit
import importlib
import importlib.util
import json
import os
import runpy
import sys
import traceback
from pathlib import Path


def preload(root: Path) -> None:
    """Pelican and every plugin pelicanconf.py lists, imported as Pelican imports them, and
    the modules every build then imports: each plugin's `plugin` module (which its
    register() may import only when called), the Markdown extensions the settings name and
    typogrify's filters. Importing them runs nothing but their definitions (none connects a
    signal, reads the environment or the folder at import), so a child finds them as a
    build that had imported them itself would; about 0.1 s of CPU a build."""
    sys.path[0] = str(Path.cwd())  # as `python -m` has it; each child sets its own folder
    importlib.import_module("pelican")
    settings = runpy.run_path(str(root / "pelicanconf.py"))
    for name in settings.get("PLUGINS", []):
        importlib.import_module(name)
        if importlib.util.find_spec(f"{name}.plugin") is not None:
            importlib.import_module(f"{name}.plugin")
    for name in settings.get("MARKDOWN", {}).get("extension_configs", {}):
        importlib.import_module(name)
    if settings.get("TYPOGRIFY"):
        importlib.import_module("typogrify.filters")


def child(request: dict) -> int:
    """Run one `python -m MODULE ARGS...` in this (forked) process; its exit status."""
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    for fd, path in ((1, request["stdout"]), (2, request["stderr"])):
        sink = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(sink, fd)
        os.close(sink)
    os.chdir(request["cwd"])
    sys.path[0] = str(Path.cwd())
    module, *args = request["argv"]
    sys.argv = [module, *args]  # runpy puts the module's path first, as `-m` does
    code = 0
    try:
        runpy.run_module(module, run_name="__main__", alter_sys=True)
    except SystemExit as stop:
        if stop.code is None:
            code = 0
        elif isinstance(stop.code, int):
            code = stop.code
        else:  # sys.exit("message"): printed, status 1, as the interpreter does
            print(stop.code, file=sys.stderr)
            code = 1
    except BaseException:  # an uncaught error ends a process this way
        traceback.print_exc()
        code = 1
    atexit._run_exitfuncs()  # what interpreter exit runs (logging.shutdown)
    sys.stdout.flush()
    sys.stderr.flush()
    return code


def serve() -> None:
    preload(Path(sys.argv[1]))
    answers = sys.stdout
    for line in sys.stdin:
        request = json.loads(line)
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                code = child(request)
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        answers.write(json.dumps({"returncode": os.waitstatus_to_exitcode(status)}) + "\n")
        answers.flush()


if __name__ == "__main__":
    serve()
