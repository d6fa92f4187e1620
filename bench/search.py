#!/usr/bin/env python3
"""Search figures on a built site: index size, and for each query the files
the search page loaded (raw and gzip bytes) and the time to results, read
from `dubenSearch.last` in headless Chromium (through chromedriver's
WebDriver HTTP API; standard library only). Opened from file://.

    python3 bench/search.py PUBLIC_DIR "中美关系" "台湾" "alliance"
"""
import gzip, json, os, socket, subprocess, sys, time, urllib.parse, urllib.request
from pathlib import Path

def size(path):
    data = path.read_bytes()
    return len(data), len(gzip.compress(data, 9))

def call(port, method, path, body=None):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method,
                                 data=None if body is None else json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return json.loads(r.read())["value"]

def main():
    public = Path(sys.argv[1]).resolve()
    queries = sys.argv[2:]
    search = public / "search"
    files = [p for p in search.rglob("*.js")]
    total = sum(p.stat().st_size for p in files)
    chunks = len(list((search / "c").glob("*.js")))
    buckets = len(list((search / "k").glob("*.js")))
    print(f"index: {len(files)} files ({chunks} chunks, {buckets} key buckets), {total / 1e6:.1f} MB raw")
    first = [search / "index.html", public / "static/duben.css", public / "static/course.css",
             public / "static/duben.js", public / "static/course.js", public / "static/search.js", search / "manifest.js"]
    raw, gz = map(sum, zip(*(size(p) for p in first)))
    print(f"before the first query: {raw / 1024:.1f} KB raw, {gz / 1024:.1f} KB gzip")
    s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()
    driver = subprocess.Popen(["chromedriver", f"--port={port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                call(port, "GET", "/status"); break
            except Exception:
                time.sleep(0.1)
        caps = {"capabilities": {"alwaysMatch": {"goog:chromeOptions": {"binary": "/usr/bin/chromium",
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]}}}}
        session = call(port, "POST", "/session", caps)["sessionId"]
        print("| query | files loaded | raw KB | gzip KB | results | time to results (ms) |")
        print("| --- | --- | --- | --- | --- | --- |")
        for q in queries:
            url = f"file://{search}/index.html?q={urllib.parse.quote(q)}"
            call(port, "POST", f"/session/{session}/url", {"url": url})
            last = None
            for _ in range(600):
                last = call(port, "POST", f"/session/{session}/execute/sync",
                            {"script": "return window.dubenSearch && window.dubenSearch.last && [window.dubenSearch.last, document.querySelectorAll('[data-result-kind]').length];", "args": []})
                if last: break
                time.sleep(0.05)
            stats, results = last
            sizes = [size(search / f) for f in stats["files"]]
            raw = sum(r for r, _ in sizes); gz = sum(g for _, g in sizes)
            print(f"| {q} | {len(sizes)} | {raw / 1024:.0f} | {gz / 1024:.0f} | {results} | {stats['ms']:.0f} |")
        call(port, "DELETE", f"/session/{session}")
    finally:
        driver.terminate()

if __name__ == "__main__":
    main()
