#!/usr/bin/env python3
"""A command's resident memory while it runs: samples /proc/PID/status
every INTERVAL seconds (default 0.05) and prints, every STEP-th sample,
the time and the resident set (VmRSS) with its anonymous and file-backed
parts, then the highest of each. Shows in which pass a build's memory
grows, which GNU time's peak alone does not.

    memory_over_time.py [--interval S] [--step N] -- COMMAND...

Example: memory_over_time.py -- target/release/duben build
--root /tmp/duben-bench/1000x80-duben --output /dev/shm/out
"""

import argparse
import subprocess
import time

FIELDS = ("VmRSS", "RssAnon", "RssFile")


def sample(pid):
    """The FIELDS of /proc/PID/status in MB, or None once it has exited."""
    values = {}
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                name, _, rest = line.partition(":")
                if name in FIELDS:
                    values[name] = int(rest.split()[0]) // 1024
    except (FileNotFoundError, ProcessLookupError):
        return None
    return values


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--interval", type=float, default=0.05)
    parser.add_argument("--step", type=int, default=4)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give the command to run after --")
    start = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    samples = []
    while process.poll() is None:
        values = sample(process.pid)
        if values and len(values) == len(FIELDS):
            samples.append((time.monotonic() - start, values))
        time.sleep(args.interval)
    print("seconds " + " ".join(f"{f}_MB" for f in FIELDS))
    for at, values in samples[:: args.step]:
        print(f"{at:7.2f} " + " ".join(f"{values[f]:>9}" for f in FIELDS))
    if samples:
        highest = " ".join(f"{max(v[f] for _, v in samples):>9}" for f in FIELDS)
        print(f"highest {highest}")
    print(f"exit status {process.returncode}")


if __name__ == "__main__":
    main()
