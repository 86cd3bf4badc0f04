#!/usr/bin/env python3
"""Checks the regulator package's report (docs/border.md, "The report").

1. Runs `grenzfunk run` twice with the same --creation-time and compares border_report.html and
   border_report.pdf byte for byte.
2. Opens the HTML in Debian's headless Chromium and watches the page load over the DevTools
   protocol (--remote-debugging-pipe: JSON messages on fds 3/4, no port, no extra package).
   Chromium reports every request it makes (Network.requestWillBeSent) and every failed load
   (Network.loadingFailed), so the check does not depend on log wording: it fails on any failed
   load, any request other than the report itself (data: URIs make none), console errors, an
   <img>/SVG <image> that does not decode, or an element referring to anything but data: or
   #fragments. Name resolution is switched off (--host-resolver-rules), so an external
   reference cannot succeed by chance either. It then prints the page with the report's own
   print CSS (Page.printToPDF, preferCSSPageSize) and checks A4 pages with the running header.
3. Checks the PDF's text (pdftotext, poppler-utils): document control, the site technical table
   with every home cell, the failing checks and each attribution the inputs require.

--break-image copies the HTML, adds <img src="missing.png"> and expects step 2 to fail: the
check's own test (a ctest entry of its own).
"""
import argparse
import base64
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg, file=sys.stderr)


def run_grenzfunk(binary, scenario, out):
    cmd = [binary, "run", scenario, "-q", "-j", "2", "-o", out,
           "--creation-time", "2024-06-01T00:00:00Z"]
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if r.returncode != 0:
        sys.exit("grenzfunk run failed (%d):\n%s" % (r.returncode, r.stdout))
    return os.path.join(out, "regulator_package")


class Chromium:
    """A minimal DevTools-protocol client over --remote-debugging-pipe."""

    def __init__(self, profile_dir):
        to_r, to_w = os.pipe()
        from_r, from_w = os.pipe()
        # High copies, so that dup2 onto 3 and 4 always changes the descriptor (and clears
        # close-on-exec) whatever numbers os.pipe returned.
        hi = [os.dup2(fd, 20 + i) for i, fd in enumerate((to_r, from_w))]
        for fd in (to_r, from_w):
            os.close(fd)

        def child():
            os.dup2(20, 3)
            os.dup2(21, 4)

        exe = shutil.which("chromium") or shutil.which("chromium-browser")
        if not exe:
            sys.exit("chromium not found (tools/setup-debian.sh installs it)")
        self.proc = subprocess.Popen(
            [exe, "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
             "--user-data-dir=" + profile_dir, "--no-first-run", "--disable-extensions",
             "--disable-background-networking", "--disable-component-update",
             "--host-resolver-rules=MAP * ~NOTFOUND", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=child, close_fds=False)
        for fd in hi:
            os.close(fd)
        self.w = to_w
        self.r = from_r
        self.buf = b""
        self.next_id = 0
        self.events = []

    def _read_message(self, deadline):
        import select
        while b"\0" not in self.buf:
            left = deadline - time.time()
            if left <= 0:
                raise TimeoutError("no answer from chromium")
            ready, _, _ = select.select([self.r], [], [], left)
            if ready:
                chunk = os.read(self.r, 1 << 16)
                if not chunk:
                    raise RuntimeError("chromium closed the pipe")
                self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def call(self, method, params=None, session=None, timeout=30.0):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self.w, json.dumps(msg).encode() + b"\0")
        deadline = time.time() + timeout
        while True:
            m = self._read_message(deadline)
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise RuntimeError("%s: %s" % (method, m["error"]))
                return m.get("result", {})
            self.events.append(m)

    def wait_for(self, method, timeout=30.0):
        deadline = time.time() + timeout
        for m in self.events:
            if m.get("method") == method:
                return m
        while True:
            m = self._read_message(deadline)
            self.events.append(m)
            if m.get("method") == method:
                return m

    def drain(self, seconds):
        deadline = time.time() + seconds
        try:
            while True:
                self.events.append(self._read_message(deadline))
        except TimeoutError:
            pass

    def close(self):
        try:
            self.call("Browser.close", timeout=5.0)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


PAGE_CHECK = r"""
(async () => {
  const refs = [];
  for (const e of document.querySelectorAll('*')) {
    for (const a of ['src', 'href', 'srcset', 'data', 'poster', 'background']) {
      const v = e.getAttribute(a);
      if (v !== null && !v.startsWith('data:') && !v.startsWith('#')) refs.push(e.tagName + ' ' + a + '=' + v);
    }
  }
  const imgs = [...document.querySelectorAll('img')].map(i => i.complete && i.naturalWidth > 0);
  const svgImages = await Promise.all([...document.querySelectorAll('image')].map(im => {
    const i = new Image(); i.src = im.getAttribute('href') || '';
    return i.decode().then(() => i.naturalWidth > 0, () => false); }));
  const externalSheets = [...document.styleSheets].filter(s => s.href).length;
  return JSON.stringify({refs, imgs, svgImages, externalSheets,
    svgs: document.querySelectorAll('svg').length,
    h2: [...document.querySelectorAll('h2')].map(h => h.textContent),
    text: document.body.innerText});
})()
"""


def check_html(html_path, report_id, cells, failing_cells, work):
    url = "file://" + os.path.abspath(html_path)
    chrome = Chromium(os.path.join(work, "chromium-profile"))
    try:
        target = chrome.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = chrome.call("Target.attachToTarget",
                              {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Network", "Page", "Runtime", "Log"):
            chrome.call(domain + ".enable", session=session)
        nav = chrome.call("Page.navigate", {"url": url}, session=session)
        if nav.get("errorText"):
            fail("navigation: " + nav["errorText"])
        chrome.wait_for("Page.loadEventFired", timeout=60.0)
        chrome.drain(1.0)
        res = chrome.call("Runtime.evaluate", {"expression": PAGE_CHECK, "awaitPromise": True,
                                               "returnByValue": True}, session=session)
        page = json.loads(res["result"]["value"])
        printed = chrome.call("Page.printToPDF", {"preferCSSPageSize": True,
                                                  "displayHeaderFooter": False},
                              session=session, timeout=120.0)
        chrome.drain(0.5)
    finally:
        chrome.close()

    requests = 0
    for e in chrome.events:
        m, p = e.get("method"), e.get("params", {})
        if m == "Network.requestWillBeSent":
            requests += 1
            u = p["request"]["url"]
            if u != url and not u.startswith("data:"):
                fail("the report requests another resource: " + u[:120])
        elif m == "Network.loadingFailed":
            fail("failed load: %s (%s)" % (p.get("errorText"), p.get("type")))
        elif m == "Network.responseReceived" and p["response"].get("status", 0) >= 400:
            fail("HTTP %d for %s" % (p["response"]["status"], p["response"]["url"][:120]))
        elif m == "Log.entryAdded" and p["entry"]["level"] == "error":
            fail("console: " + p["entry"].get("text", "")[:200])
        elif m == "Runtime.exceptionThrown":
            fail("script exception: " + json.dumps(p)[:200])
        elif m == "Runtime.consoleAPICalled" and p.get("type") == "error":
            fail("console.error on the page")
    if requests == 0:
        fail("chromium reported no request at all (the watch is not working)")
    for r in page["refs"]:
        fail("reference to an external resource: " + r)
    if not all(page["imgs"]):
        fail("an <img> did not load")
    if not page["svgImages"] or not all(page["svgImages"]):
        fail("an SVG <image> did not decode (or the map has none)")
    if page["externalSheets"]:
        fail("external style sheet")
    if page["svgs"] != 1 + failing_cells:
        fail("expected the map and %d profiles as inline SVG, found %d SVGs"
             % (failing_cells, page["svgs"]))
    for h in ("Failed checks", "Site technical table", "Map", "Method statement",
              "Data sources and attributions"):
        if h not in page["h2"]:
            fail("section missing in the rendered page: " + h)
    for c in cells:
        if c not in page["text"]:
            fail("cell missing from the rendered page: " + c)
    # The print rendering: A4 pages with the report id in the running header (@page margin box).
    pdf = os.path.join(work, "chromium-print.pdf")
    with open(pdf, "wb") as f:
        f.write(base64.b64decode(printed["data"]))
    info = subprocess.run(["pdfinfo", pdf], stdout=subprocess.PIPE, text=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info)
    if abs(float(size.group(1)) - 595.28) > 1.0 or abs(float(size.group(2)) - 841.89) > 1.0:
        fail("printed page is not A4: " + size.group(0))
    if pages < 3:
        fail("printed report has %d pages" % pages)
    text = subprocess.run(["pdftotext", "-f", "2", "-l", "2", pdf, "-"], stdout=subprocess.PIPE,
                          text=True).stdout
    if report_id not in text:
        fail("running header with the report id missing on printed page 2")
    print("html: %d requests, %d inline SVGs, printed %d A4 pages" % (requests, page["svgs"], pages))


def check_pdf(pdf_path, report_id, cells, attributions):
    text = subprocess.run(["pdftotext", "-layout", pdf_path, "-"], stdout=subprocess.PIPE,
                          check=True, text=True).stdout
    flat = " ".join(text.split())
    for s in ["Report id", report_id, "Applicant / operator", "Document version",
              "Site technical table", "e.i.r.p.", "Azimuth", "Antenna", "Failed checks",
              "Method statement", "Data sources and attributions"] + attributions:
        if s not in flat:
            fail("PDF text lacks '%s'" % s)
    for c in cells:
        if c not in flat:
            fail("PDF site table lacks cell " + c)
    # Every page carries the attributions in its footer.
    pages = text.split("\f")
    pages = [p for p in pages if p.strip()]
    for i, p in enumerate(pages):
        if attributions and attributions[0] not in " ".join(p.split()):
            fail("PDF page %d lacks the attribution footer" % (i + 1))
    print("pdf: %d pages" % len(pages))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--grenzfunk", required=True)
    ap.add_argument("--scenario", required=True)
    ap.add_argument("--work", help="folder for the runs (default: a temporary one)")
    ap.add_argument("--attribution", action="append", default=[],
                    help="text the PDF must contain (repeat)")
    ap.add_argument("--break-image", action="store_true",
                    help="add a broken image to a copy of the HTML and expect the check to fail")
    a = ap.parse_args()
    work = a.work or tempfile.mkdtemp(prefix="grenzfunk_report_check_")
    os.makedirs(work, exist_ok=True)
    pkg_a = run_grenzfunk(a.grenzfunk, a.scenario, os.path.join(work, "a"))
    with open(os.path.join(pkg_a, "border_report.csv"), newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    cells = sorted({row["cell_id"] for row in rows})
    failing_cells = len({row["cell_id"] for row in rows if row["result"] == "FAIL"})
    html = os.path.join(pkg_a, "border_report.html")
    with open(html, encoding="utf-8") as f:
        report_id = re.search(r"GF-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}", f.read()).group(0)

    if a.break_image:
        broken = os.path.join(work, "broken.html")
        with open(html, encoding="utf-8") as f:
            text = f.read()
        with open(broken, "w", encoding="utf-8") as f:
            f.write(text.replace("</body>", '<img src="missing.png" alt="broken">\n</body>'))
        check_html(broken, report_id, cells, failing_cells, work)
        if not any("failed load" in m for m in failures):
            print("the check did not notice the broken image", file=sys.stderr)
            return 1
        print("ok: the check fails on a broken image (%d findings)" % len(failures))
        return 0

    pkg_b = run_grenzfunk(a.grenzfunk, a.scenario, os.path.join(work, "b"))
    for name in ("border_report.html", "border_report.pdf", "border_overlay.kmz"):
        with open(os.path.join(pkg_a, name), "rb") as fa, open(os.path.join(pkg_b, name), "rb") as fb:
            if fa.read() != fb.read():
                fail(name + " differs between two runs with the same --creation-time")
    check_html(html, report_id, cells, failing_cells, work)
    check_pdf(os.path.join(pkg_a, "border_report.pdf"), report_id, cells, a.attribution)
    kml = subprocess.run(["unzip", "-p", os.path.join(pkg_a, "border_overlay.kmz"), "doc.kml"],
                         stdout=subprocess.PIPE, text=True).stdout if shutil.which("unzip") else None
    if kml is not None:
        for s in a.attribution:
            if s.replace("&", "&amp;") not in kml:
                fail("KMZ lacks the attribution '%s'" % s)
    if failures:
        print("%d problems" % len(failures), file=sys.stderr)
        return 1
    print("ok: %d cells, report %s" % (len(cells), report_id))
    return 0


if __name__ == "__main__":
    sys.exit(main())
