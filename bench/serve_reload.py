#!/usr/bin/env python3
"""Times `duben serve` from a save to the page reloaded in Chromium.

Usage: python3 bench/serve_reload.py DUBEN SITE [--saves 5] [--slug SLUG]

Copies SITE to a scratch folder, serves it with the DUBEN binary, opens the
article SLUG (the middle article by default) in headless Chromium through
chromedriver, and saves its text.md (with --notes, its notes.toml: a note
added) SAVES times. For each save it prints:

- preview: the server's `showed … in N ms` line (the article's pages alone);
- reload start: the new page's navigation start, after the save;
- page loaded: the new page's DOMContentLoaded, after the save;
- rebuild: the server's `built … in N ms` line (the whole site, after).

With --back-to-back, each save follows the previous one as soon as its
page has reloaded, without waiting for the rebuild of the whole site (which
gives way to the newer save).

Then it saves content/glossary.toml once and prints the full rebuild's time.
Only the standard library is used; chromedriver must be on PATH.
"""

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Driver:
    """Just enough of the WebDriver protocol."""

    def __init__(self):
        self.port = free_port()
        self.process = subprocess.Popen(
            ["chromedriver", f"--port={self.port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        self.base = f"http://127.0.0.1:{self.port}"
        for _ in range(100):
            try:
                self.call("GET", "/status")
                break
            except OSError:
                time.sleep(0.1)
        caps = {
            "capabilities": {
                "alwaysMatch": {
                    "goog:chromeOptions": {
                        "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,900"]
                    }
                }
            }
        }
        self.session = self.call("POST", "/session", caps)["sessionId"]

    def call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read())["value"]

    def goto(self, url):
        self.call("POST", f"/session/{self.session}/url", {"url": url})

    def js(self, script):
        return self.call("POST", f"/session/{self.session}/execute/sync", {"script": script, "args": []})

    def wait(self, script, seconds=30):
        end = time.time() + seconds
        while time.time() < end:
            if self.js(script):
                return True
            time.sleep(0.005)
        return False

    def close(self):
        try:
            self.call("DELETE", f"/session/{self.session}")
        finally:
            self.process.kill()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("duben")
    parser.add_argument("site")
    parser.add_argument("--saves", type=int, default=5)
    parser.add_argument("--slug")
    parser.add_argument("--back-to-back", action="store_true")
    parser.add_argument("--notes", action="store_true", help="save notes.toml (a note added) instead of text.md")
    args = parser.parse_args()

    # In memory where the system has it, as bench/run.sh writes its outputs.
    scratch = tempfile.mkdtemp(prefix="duben-serve-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None)
    site = os.path.join(scratch, "site")
    shutil.copytree(args.site, site)
    output = os.path.join(scratch, "out")
    port = free_port()
    log = open(os.path.join(scratch, "serve.log"), "w+")
    server = subprocess.Popen(
        [args.duben, "serve", "--root", site, "--output", output, "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    driver = None
    try:
        lines = wait_for_line(log, 0, r"built \d+ pages in (\d+) ms", 300)
        print(f"first build: {lines[1]} ms")
        slugs = sorted(
            d for d in os.listdir(os.path.join(site, "content"))
            if os.path.isfile(os.path.join(site, "content", d, "article.toml"))
        )
        slug = args.slug or slugs[len(slugs) // 2]
        driver = Driver()
        driver.goto(f"http://127.0.0.1:{port}/{slug}/index.html")
        driver.wait("return document.documentElement.hasAttribute('data-duben-live')")
        saved_file = os.path.join(site, "content", slug, "notes.toml" if args.notes else "text.md")
        offset = lines[0]
        print("save | preview ms | reload start ms | page loaded ms | rebuild ms")
        for n in range(args.saves):
            marker = f"第{n}次保存的新段落"
            addition = (
                f'\n[[note]]\nanchor = {{ paragraph = 1 }}\nkind = "commentary"\nbody = "{marker}"\n'
                if args.notes
                else f"\n{marker}。\n"
            )
            with open(saved_file, "a", encoding="utf-8") as f:
                saved = time.time() * 1000
                f.write(addition)
            driver.wait(f"return document.body.textContent.includes('{marker}')")
            start = driver.js("return performance.timeOrigin") - saved
            loaded = driver.js("return performance.timing.domContentLoadedEventEnd") - saved
            preview = wait_for_line(log, offset, r"showed .* in (\d+) ms", 60)
            if args.back_to_back:
                offset, rebuild = preview[0], "-"
            else:
                offset, rebuild = wait_for_line(log, preview[0], r"built \d+ pages in (\d+) ms", 300)
            driver.wait("return document.documentElement.hasAttribute('data-duben-live')")
            print(f"{n + 1} | {preview[1]} | {start:.0f} | {loaded:.0f} | {rebuild}")
        if args.back_to_back:
            offset, last = wait_for_line(log, offset, r"built \d+ pages in (\d+) ms", 300)
            print(f"rebuild after the last save: {last} ms")
        # The floor: the same page reloaded with nothing saved.
        plain = []
        for _ in range(3):
            driver.js("window.__old = 1; location.reload()")
            driver.wait("return !window.__old && document.readyState !== 'loading'")
            plain.append(driver.js("return performance.timing.domContentLoadedEventEnd - performance.timing.navigationStart"))
        print(f"the page reloaded with nothing saved: DOMContentLoaded after {', '.join(str(p) for p in plain)} ms")
        glossary = os.path.join(site, "content", "glossary.toml")
        if os.path.isfile(glossary):
            with open(glossary, "a", encoding="utf-8") as f:
                f.write("\n")
            full = wait_for_line(log, offset, r"built \d+ pages in (\d+) ms", 300)
            print(f"glossary.toml saved: full rebuild {full[1]} ms")
    finally:
        if driver:
            driver.close()
        server.kill()
        shutil.rmtree(scratch, ignore_errors=True)


def wait_for_line(log, offset, pattern, seconds):
    """The first line after `offset` matching `pattern`: (new offset, group 1)."""
    end = time.time() + seconds
    while time.time() < end:
        log.flush()
        with open(log.name, encoding="utf-8") as f:
            f.seek(offset)
            while True:
                line = f.readline()
                if not line.endswith("\n"):
                    break
                found = re.search(pattern, line)
                if found:
                    return f.tell(), found.group(1)
        time.sleep(0.01)
    sys.exit(f"no line matching {pattern!r} in {seconds} s")


if __name__ == "__main__":
    main()
