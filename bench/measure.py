#!/usr/bin/env python3
"""Whole-process figures of a command, like GNU time but with microsecond
wall time: runs it once unmeasured (warm caches), then RUNS times, deleting
OUT before each run; prints the medians "wall_ms cpu_ms rss_mb out_mb".

    measure.py RUNS OUT -- COMMAND...

The command runs under GNU time (/usr/bin/time), which reports its peak
RSS: a process forked from Python would inherit Python's high-water mark,
which Linux keeps across execve. CPU (user+sys) comes from wait4(2) on
GNU time, which includes the command it waited for, at microsecond
resolution; wall time is taken around fork and wait and so includes GNU
time's own start, well under a millisecond.
"""

import os
import shutil
import tempfile
import statistics
import subprocess
import sys
import time


def run_once(command, report):
    command = ["/usr/bin/time", "-f", "%M", "-o", report, *command]
    started = time.perf_counter_ns()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    wall = (time.perf_counter_ns() - started) / 1e6
    child.returncode = os.waitstatus_to_exitcode(status)
    error = child.stderr.read()
    child.stderr.close()
    if child.returncode != 0:
        sys.stderr.write(error.decode("utf-8", "replace"))
        sys.exit(f"measure.py: exit status {child.returncode}: {' '.join(command)}")
    cpu = (usage.ru_utime + usage.ru_stime) * 1000
    with open(report, encoding="utf-8") as lines:
        rss_kib = int(lines.read().split()[-1])
    return wall, cpu, rss_kib / 1024


def tree_bytes(path):
    """Apparent size as `du -sb` gives it (directories included)."""
    if not os.path.exists(path):
        return 0
    return int(subprocess.run(["du", "-sb", path], capture_output=True, check=True, text=True).stdout.split()[0])


def main():
    if len(sys.argv) < 5 or sys.argv[3] != "--":
        sys.exit(__doc__)
    runs, out, command = int(sys.argv[1]), sys.argv[2], sys.argv[4:]
    if not os.access("/usr/bin/time", os.X_OK):
        sys.exit("measure.py: GNU time is missing: apt-get install -y time")
    report = os.path.join(tempfile.mkdtemp(prefix="measure."), "time.txt")
    samples = []
    for index in range(runs + 1):
        shutil.rmtree(out, ignore_errors=True)
        sample = run_once(command, report)
        if index > 0:
            samples.append(sample)
    wall, cpu, rss = (statistics.median(column) for column in zip(*samples))
    print(f"{wall:.1f} {cpu:.1f} {rss:.1f} {tree_bytes(out) / 1048576:.2f}")


if __name__ == "__main__":
    main()
