#!/usr/bin/env python3
"""What a reader page holds: its bytes of text (what a reader reads, markup
removed) against its markup, overall and in each part of the page.

    python3 bench/page_parts.py public/yao-2019/index.html

The text of a page is the floor under its size: no markup can make it
smaller without dropping what it says. A part is found by a pattern over
the page as duben's templates write it, so this reads duben's output
only."""
import html
import re
import sys

PARTS = [
    ("translations", r'<div class="translation[^"]*" lang="en">.*?</div>'),
    ("paragraphs (Chinese, with term links)", r'<p id="p\d+"[^>]*>.*?</p>'),
    ("  of which term links' start tags", r'<a class="term[^"]*"[^>]*>'),
    ("printed glossary", r'<section class="print-only print-glossary".*?</section>'),
    ("margin notes", r"<aside.*?</aside>"),
    ("time axis (SVG)", r"<svg.*?</svg>"),
    ("events beside paragraphs", r'<ul class="events">.*?</ul>'),
    ("navigation", r"<nav.*?</nav>"),
]


def text_bytes(fragment):
    without_code = re.sub(r"<script.*?</script>|<style.*?</style>", "", fragment, flags=re.S)
    return len(html.unescape(re.sub(r"<[^>]+>", "", without_code)).encode())


def main():
    page = open(sys.argv[1], encoding="utf-8").read()
    total = len(page.encode())
    text = text_bytes(page)
    print("| part | count | bytes | text | markup |")
    print("| --- | ---: | ---: | ---: | ---: |")
    print(f"| whole page | 1 | {total:,} | {text:,} | {total - text:,} |")
    for name, pattern in PARTS:
        found = re.findall(pattern, page, re.S)
        size = sum(len(f.encode()) for f in found)
        words = sum(text_bytes(f) for f in found)
        print(f"| {name} | {len(found)} | {size:,} | {words:,} | {size - words:,} |")


if __name__ == "__main__":
    main()
