#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""The HTML reports in a real browser: Debian's Chromium, headless, at 1400 and 400 px.

    test_html.py --netinv PATH --shots DIR

Brings the lab up (seed 3, no IPv6 hosts), scans it, changes the scenario (`lab.py change`),
scans again, and renders every HTML report (gaps, ipv6 summary, ipv6 checklist and its
by-action list, diff, and the audit's summary file; Vietnamese, and the gaps in English too) with its JSON. Each page is
opened at both widths with a probe script that reports the viewport, whether the page scrolls
sideways and which elements pass its right edge, and the page's visible text; the numbers the
JSON holds (counts, shares, budgets, written as the report's language writes them) must be in
that text. Screenshots go to DIR for a person to look at. Prints 'N passed, M failed'.
"""
import argparse
import glob
import html as htmllib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

from labtest import LAB, lab_down, lab_up, summary

PORT = 16230
PROBE = """<script>
window.addEventListener('load', function () {
  var W = document.documentElement.clientWidth, bad = [];
  if (document.documentElement.scrollWidth > W) bad.push('page is ' + document.documentElement.scrollWidth + ' px wide');
  // Elements inside a block that scrolls sideways on its own (a wide table's) are clipped by
  // it, not by the viewport: that block itself must fit.
  function clipped(e) {
    for (var p = e.parentElement; p && p !== document.body; p = p.parentElement) {
      var o = getComputedStyle(p).overflowX;
      if (o === 'auto' || o === 'scroll' || o === 'hidden') return true;
    }
    return false;
  }
  var all = document.body.getElementsByTagName('*');
  for (var i = 0; i < all.length && bad.length < 6; i++) {
    var r = all[i].getBoundingClientRect();
    if (r.width > 0 && r.right > W + 0.5 && !clipped(all[i])) bad.push(all[i].tagName + ' "' + (all[i].textContent || '').slice(0, 40) + '" ends at ' + Math.round(r.right));
  }
  var pre = document.createElement('pre');
  pre.id = 'netinv-probe';
  pre.textContent = JSON.stringify({width: W, bad: bad, text: document.body.innerText});
  document.body.appendChild(pre);
});
</script>"""


def chromium():
    for c in ("chromium", "chromium-browser"):
        if shutil.which(c):
            return shutil.which(c)
    return None


def browser(exe, profile, *args):
    return subprocess.run([exe, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                           f"--user-data-dir={profile}", "--no-first-run", *args],
                          capture_output=True, text=True, timeout=180)


def number(v, decimals, lang):
    s = f"{abs(v):,.{decimals}f}"
    if lang == "vi":
        s = s.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return ("-" if v < 0 and float(f"{abs(v):.{decimals}f}") != 0 else "") + s


def percent(v, lang):
    whole = abs(v - round(v)) < 0.05 or 10 <= v <= 90
    return number(v, 0 if whole else 1, lang) + "%"


def expected_numbers(kind, data, lang):
    """What of the JSON must be readable in the page, as the page writes it."""
    out = []
    if kind == "gaps":
        s = data["summary"]
        out.append(f"{s['met']}/{s['objectives']}")
        for o in data["objectives"]:
            out.append(f"{o['matched']}/{o['total']}")
            val = (lambda x: percent(x, lang)) if o["unit"] == "percent" else (lambda x: number(x, 0, lang))
            out += [val(o["required"]), val(o["observed"])]
            if not o["met"]:
                out.append(val(o["shortfall"]))
            if o["projects"]:
                out.append(number(o["budget_billion_vnd"], 2, lang))
        for d in data["districts"]:
            for c in d["coverage"]:
                if c["total"]:
                    out.append(f"{c['met']}/{c['total']}")
    elif kind == "summary":
        p = data["province"]
        out.append(str(p["devices"]))
        out.append(percent(100 * p["share_l2_or_above"], lang))
        out += [percent(100 * data[k], lang) for k in ("wan_conversion", "dc_conversion", "mean_coverage")]
        for lvl, n in sorted(p["by_level"].items()):
            if n:
                name = lvl if lvl != "unrated" else ("chưa rõ" if lang == "vi" else "unknown")
                out.append(f"{name} {n} ({percent(100.0 * n / p['devices'], lang)})")
    elif kind == "by-action":
        out.append(str(len(data["actions"])))
        out.append(str(sum(a["count"] for a in data["actions"])))
        out += [a["check"] for a in data["actions"]]
    elif kind == "checklist":
        out.append(str(sum(1 for d in data["devices"] for c in d["checks"] if c["status"] == "fail")))
    elif kind == "audit":
        scan = data["scan"]
        out.append(f"{scan['ok']}/{scan['targets']}")
        out.append(str(data["changes"]["regressions"]))
        if data["plan"]:
            out.append(f"{data['plan']['met']}/{data['plan']['objectives']}")
            out += data["plan"]["unmet"]
        out += [f["target"] for f in scan["failed"][:50]]
        out += sorted({r["target"] for r in data["regressions"][:50]})[:20]
        out += data["reports"]
    elif kind == "diff":
        for impact in ("regression", "change", "improvement"):
            out.append(str(sum(1 for c in data["changes"] if c["impact"] == impact)))
        out += sorted({c["target"] for c in data["changes"]})[:20]
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--netinv", required=True)
    ap.add_argument("--shots", required=True)
    args = ap.parse_args()
    netinv = os.path.abspath(args.netinv)
    exe = chromium()
    if not exe:
        print("FAIL: no chromium (scripts/setup.sh installs Debian's)")
        return 1
    os.makedirs(args.shots, exist_ok=True)
    failures, checks = [], 0
    with tempfile.TemporaryDirectory(prefix="netinv-html-") as tmp:
        os.chmod(tmp, 0o755)
        db = os.path.join(tmp, "inventory.db")
        try:
            lab_dir, config, env = lab_up(tmp, PORT, 3, netinv)
        except RuntimeError as e:
            print("FAIL:", e)
            return 1
        try:
            def netinv_run(*a):
                return subprocess.run([netinv, *a, "--config", config, "--db", db],
                                      capture_output=True, text=True, env=env, timeout=900)

            netinv_run("scan", "--quiet")
            ch = subprocess.run([sys.executable, LAB, "change", "--dir", lab_dir], capture_output=True,
                                text=True)
            if ch.returncode != 0:
                failures.append(f"lab change: {ch.stderr[-300:]}")
            netinv_run("scan", "--quiet")
            reports = [("gaps", "vi", ["gaps"]), ("gaps", "en", ["gaps"]),
                       ("summary", "vi", ["ipv6", "summary"]),
                       ("by-action", "vi", ["ipv6", "checklist", "--by-action"]),
                       ("checklist", "vi", ["ipv6", "checklist"]), ("diff", "en", ["diff"])]
            pages = []  # (kind, lang, the HTML, its JSON, what went wrong making them)
            for kind, lang, cmd in reports:
                page = netinv_run(*cmd, "--format", "html", "--lang", lang)
                data_run = netinv_run(*cmd, "--format", "json", "--lang", lang)
                bad = "" if page.returncode in (0, 1, 6) else f"exit {page.returncode}: {page.stderr[-300:]}"
                pages.append((kind, lang, page.stdout, data_run.stdout, bad))
            # The audit's summary is a file beside its reports, not a command's output.
            reports_dir = os.path.join(tmp, "reports")
            audit = netinv_run("audit", "--quiet", "--lang", "vi", "--report-dir", reports_dir,
                               "--report-format", "html,json")
            found = {ext: glob.glob(os.path.join(reports_dir, f"*-summary.{ext}")) for ext in ("html", "json")}
            if audit.returncode in (0, 3, 6) and all(len(f) == 1 for f in found.values()):
                pages.append(("audit", "vi", open(found["html"][0], encoding="utf-8").read(),
                              open(found["json"][0], encoding="utf-8").read(), ""))
            else:
                pages.append(("audit", "vi", "", "", f"exit {audit.returncode}, summaries {found}: "
                              f"{audit.stderr[-300:]}"))
            for kind, lang, page_text, json_text, bad in pages:
                checks += 1
                if bad or not page_text.startswith("<!DOCTYPE html>"):
                    failures.append(f"{kind} {lang}: {bad or 'not an HTML page'}")
                    continue
                if "<svg" in page_text or "<style" in page_text or 'name="viewport"' not in page_text:
                    failures.append(f"{kind} {lang}: not e-mail safe (SVG or <style>, or no viewport)")
                data = json.loads(json_text) if json_text.strip() else {}
                src = os.path.join(tmp, f"{kind}-{lang}.html")
                open(src, "w", encoding="utf-8").write(page_text)
                probed = os.path.join(tmp, f"{kind}-{lang}-probe.html")
                open(probed, "w", encoding="utf-8").write(page_text.replace("</body>", PROBE + "</body>"))
                want = expected_numbers(kind, data, lang)
                for width in (1400, 400):
                    # Headless Chromium's window is at least 500 px wide: the page is shown in a
                    # frame of exactly `width` CSS pixels (its viewport, as a phone's would be),
                    # and the host page copies the probe's result out of it.
                    host = os.path.join(tmp, f"{kind}-{lang}-{width}.html")
                    open(host, "w").write(
                        f'<!DOCTYPE html><html><body style="margin:0">'
                        f'<iframe id="f" src="{os.path.basename(probed)}" style="border:0;'
                        f'width:{width}px;height:1000px"></iframe><script>'
                        "document.getElementById('f').addEventListener('load', function () {"
                        "var p = this.contentDocument.getElementById('netinv-probe');"
                        "var o = document.createElement('pre'); o.id = 'netinv-probe';"
                        "o.textContent = p ? p.textContent : 'null'; document.body.appendChild(o);"
                        "});</script></body></html>")
                    r = browser(exe, os.path.join(tmp, "profile"), f"--window-size={max(width, 500) + 20},1000",
                                "--allow-file-access-from-files", "--dump-dom", "file://" + host)
                    m = re.search(r'<pre id="netinv-probe">(.*?)</pre>', r.stdout, re.S)
                    checks += 1
                    if not m:
                        failures.append(f"{kind} {lang} at {width} px: no probe result: {r.stderr[-300:]}")
                        continue
                    got = json.loads(htmllib.unescape(m.group(1)))
                    if abs(got["width"] - width) > 20:
                        failures.append(f"{kind} {lang}: viewport {got['width']} px, asked {width}")
                    if got["bad"]:
                        failures.append(f"{kind} {lang} at {width} px overflows: {got['bad']}")
                    text = re.sub(r"\s+", " ", got["text"])
                    missing = [w for w in want if w not in text]
                    checks += 1
                    if missing:
                        failures.append(f"{kind} {lang} at {width} px: numbers of the JSON not shown: "
                                        f"{missing[:8]}")
                    shot = os.path.join(os.path.abspath(args.shots), f"{kind}-{lang}-{width}.png")
                    framed = os.path.join(tmp, f"{kind}-{lang}-{width}-shot.html")
                    open(framed, "w").write(
                        f'<!DOCTYPE html><html><body style="margin:0;background:#999">'
                        f'<iframe src="{os.path.basename(src)}" style="border:0;width:{width}px;'
                        f'height:2400px;background:#fff"></iframe></body></html>')
                    browser(exe, os.path.join(tmp, "profile"), f"--window-size={max(width, 500)},2400",
                            "--allow-file-access-from-files", f"--screenshot={shot}", "file://" + framed)
        finally:
            lab_down(lab_dir)
    return summary(failures, checks)


if __name__ == "__main__":
    sys.exit(main())
