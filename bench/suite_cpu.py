"""CPU of a command's whole process tree, by kind of process (issue 27: the test suite).

    python bench/suite_cpu.py [--json OUT] -- python -m pytest -q -n 2

`time` leaves out Chromium's renderers (its zygote reaps them, and it is itself left to
init), so this samples /proc every 0.1 s instead: every process that is, or was, under the
command, with its own user+system CPU when last seen, grouped by kind (Python test workers,
forked builds, Chromium renderers, browser, GPU, Java, node ...). A process that lives less
than a sample is missed (its CPU shows up in its parent's reaped-children time, reported as
"unseen"; that figure can also count a process twice when a parent and its children end in
the same 0.1 s, so it is an upper bound). Run it on a quiet machine, or run the two sides
of a comparison at the same time: the same code costs more CPU under load.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def read(pid: int) -> dict | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:  # gone between the listing and the read
        return None
    fields = text[text.rfind(")") + 2:].split()
    return {"ppid": int(fields[1]), "start": int(fields[19]),
            "own": (int(fields[11]) + int(fields[12])) / TICK,
            "reaped": (int(fields[13]) + int(fields[14])) / TICK,
            "comm": text[text.find("(") + 1:text.rfind(")")],
            "argv": [part.decode(errors="replace") for part in argv if part]}


def kind(process: dict, parent: dict | None) -> str:
    argv, comm = process["argv"], process["comm"]
    line = " ".join(argv)
    if "chromium" in line.split(" ")[0] or "chrom" in comm:
        types = [name for name in ("renderer", "gpu-process", "zygote", "utility")
                 if f"--type={name}" in line]
        return f"chromium {(types or ['browser'])[0]}"
    if comm.startswith("node"):  # Playwright's driver, which lives in a python folder
        return "node (Playwright)"
    if not argv or ("python" not in comm and "python" not in argv[0]):
        return comm if argv else f"ended before seen ({comm})"
    return python_kind(argv, parent)


def python_kind(argv: list[str], parent: dict | None) -> str:
    line = " ".join(argv)
    if "build_server.py" in line:
        forked = parent is not None and "build_server.py" in " ".join(parent["argv"])
        return "python: forked build" if forked else "python: build server"
    if argv[1:3] == ["-u", "-c"] or "execnet" in line:
        return "python: test worker"
    if "-m" in argv[:-1]:
        return "python -m " + argv[argv.index("-m") + 1]
    return "python: other"


def sample(root: int, seen: dict[tuple[int, int], dict]) -> None:
    """Record every process under root (and those seen under it before) as it is now."""
    now = {int(entry.name): p for entry in Path("/proc").iterdir()
           if entry.name.isdigit() and (p := read(int(entry.name)))}
    members = {pid for pid, _start in seen if pid in now} | {root}
    grown = True
    while grown:  # descendants, including those orphaned after we first saw them
        grown = False
        for pid, process in now.items():
            if pid not in members and process["ppid"] in members:
                members.add(pid)
                grown = True
    for pid in members & now.keys():
        process = now[pid]
        key = (pid, process["start"])
        if key not in seen:
            parent = now.get(process["ppid"])
            seen[key] = {"kind": kind(process, parent),
                         "parent": (process["ppid"], parent["start"]) if parent else None}
        seen[key].update(own=process["own"], reaped=process["reaped"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--json", help="write the figures to this file too")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    started = time.monotonic()
    child = subprocess.Popen(command)
    seen: dict[tuple[int, int], dict] = {}
    while child.poll() is None:
        sample(child.pid, seen)
        time.sleep(0.1)
    wall = time.monotonic() - started
    by_kind: dict[str, list[float]] = {}
    for record in seen.values():
        entry = by_kind.setdefault(record["kind"], [0.0, 0])
        entry[0] += record["own"]
        entry[1] += 1
    counted: dict[tuple[int, int], float] = {}
    for record in seen.values():
        if record["parent"] in seen:
            counted[record["parent"]] = (counted.get(record["parent"], 0.0) + record["own"]
                                         + record["reaped"])
    unseen = sum(max(0.0, record["reaped"] - counted.get(key, 0.0))
                 for key, record in seen.items())
    sampled = sum(cpu for cpu, _count in by_kind.values())
    print(f"exit {child.returncode}; wall {wall:.1f} s; sampled CPU {sampled:.1f} s "
          f"(+ at most {unseen:.1f} s unseen); processes {len(seen)}")
    for name, (cpu, count) in sorted(by_kind.items(), key=lambda item: -item[1][0]):
        if cpu >= 0.05:
            print(f"{cpu:8.1f} s  {count:5d}  {name}")
    if args.json:
        Path(args.json).write_text(json.dumps(
            {"wall": wall, "exit": child.returncode, "sampled": sampled, "unseen": unseen,
             "by_kind": by_kind}, indent=1), encoding="utf-8")
    sys.exit(child.returncode)


if __name__ == "__main__":
    main()
