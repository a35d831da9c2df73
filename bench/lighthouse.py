"""Lighthouse on mobile for the home page, an article, /ldn-research/ and a condition page.

    python bench/lighthouse.py            (writes bench/results/lighthouse.json)

Builds the real site with SITEURL set to a local server's address (so canonical URLs and
robots.txt are what production serves, on this host), serves it with Python's http.server
and runs lighthouse@12.2.3 (Node 20) against Debian's chromium. Lighthouse is installed on
demand with `npm install --no-save`, so it is not a dependency that CI has to install.
Exits 1 when any of the four category scores is below 100.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE_VERSION = "12.2.3"
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
PAGES = {"home": "", "article": "ldn-fibromyalgia/", "research": "ldn-research/",
         "condition": "conditions/fibromyalgia/"}
RESULTS = ROOT / "bench" / "results" / "lighthouse.json"


def ensure_lighthouse() -> None:
    installed = ROOT / "node_modules" / "lighthouse" / "package.json"
    if installed.is_file() and json.loads(installed.read_text())["version"] == LIGHTHOUSE_VERSION:
        return
    subprocess.run(["npm", "install", "--no-save", "--no-audit", "--no-fund",
                    f"lighthouse@{LIGHTHOUSE_VERSION}"], cwd=ROOT, check=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def build(output: Path, siteurl: str) -> None:
    subprocess.run([sys.executable, "-m", "pelican", "content", "-s", "pelicanconf.py",
                    "-o", str(output), "-e", f"SITEURL={json.dumps(siteurl)}"],
                   cwd=ROOT, check=True)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *_args: object) -> None:
        pass


def audit(url: str, report: Path) -> dict[str, int]:
    subprocess.run(
        [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
         f"--only-categories={','.join(CATEGORIES)}", "--form-factor=mobile",
         "--chrome-flags=--headless=new --no-sandbox --disable-gpu"],
        env={**os.environ, "CHROME_PATH": CHROME}, check=True,
    )
    data = json.loads(report.read_text(encoding="utf-8"))
    scores = {name: round(data["categories"][name]["score"] * 100) for name in CATEGORIES}
    # Binary audits that failed, and timing metrics Lighthouse no longer rates "good".
    failing = [audit_id for audit_id, result in data["audits"].items()
               if (result.get("scoreDisplayMode") == "binary" and result.get("score") == 0)
               or (result.get("scoreDisplayMode") == "numeric"
                   and result.get("score") is not None and result["score"] < 0.9)]
    metrics = {key: round(data["audits"][key]["numericValue"])
               for key in ("first-contentful-paint", "largest-contentful-paint",
                           "total-blocking-time", "speed-index")}
    metrics["cumulative-layout-shift"] = data["audits"]["cumulative-layout-shift"]["numericValue"]
    return {**scores, "metrics": metrics, "not passed": sorted(failing)}


def main() -> int:
    ensure_lighthouse()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    work = Path(tempfile.mkdtemp(prefix="lighthouse-"))
    try:
        build(work / "site", base)
        handler = functools.partial(QuietHandler, directory=str(work / "site"))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            results = {name: audit(f"{base}/{url}", work / f"{name}.json")
                       for name, url in PAGES.items()}
        finally:
            server.shutdown()
            server.server_close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    record = {"lighthouse": LIGHTHOUSE_VERSION, "form_factor": "mobile",
              "pages": {name: {"url": f"/{PAGES[name]}", **scores}
                        for name, scores in results.items()}}
    RESULTS.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    worst = 100
    for name, scores in results.items():
        line = "  ".join(f"{category} {scores[category]}" for category in CATEGORIES)
        print(f"{name:10} /{PAGES[name]:28} {line}")
        print(f"{'':10} " + ", ".join(f"{k} {v}" for k, v in scores["metrics"].items()))
        if scores["not passed"]:
            print(f"{'':10} not passed: {', '.join(scores['not passed'])}")
        worst = min(worst, *(scores[category] for category in CATEGORIES))
    print(f"written to {RESULTS.relative_to(ROOT)}")
    return 0 if worst == 100 else 1


if __name__ == "__main__":
    sys.exit(main())
