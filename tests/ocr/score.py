#!/usr/bin/python3
"""score.py: compare what bench/ocr-read read with the generated truth; print bench/ocr.md (Markdown).

    tests/ocr/score.py SETDIR RESULTS.jsonl

Exact match per field (Chinese text compared without spaces, English with
runs of spaces made one; e-mails and URLs without case; phones as sets of
E.164 numbers, right when every number on the card was read and no other),
per language and per variant; the character error rate (edit distance /
length of the truth) of name, title, organisation and address; and the
time per card.
"""
import json
import os
import re
import statistics
import sys

FIELDS = ["name", "title", "organization", "department", "address", "phone", "email", "url"]
CER_FIELDS = ["name", "title", "organization", "address"]
VARIANTS = ["clean", "photo", "low"]


def norm(s, zh):
    s = (s or "").strip()
    return re.sub(r"\s+", "", s) if zh else re.sub(r"\s+", " ", s)


def edit(a, b):
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def got(fields, name):
    key = {"name": "full_name"}.get(name, name)
    if name in ("phone", "email", "url"):
        items = fields.get({"phone": "phones", "email": "emails", "url": "urls"}[name]) or []
        return [i["value"] for i in items]
    v = fields.get(key)
    return v["value"] if v else ""


def main():
    setdir, results = sys.argv[1], sys.argv[2]
    rows = []
    for line in open(results, encoding="utf-8"):
        o = json.loads(line)
        base = os.path.basename(o["file"])
        num, variant = base.split("-")[0], base.split("-")[1].split(".")[0]
        truth = json.load(open(os.path.join(setdir, num + ".json"), encoding="utf-8"))
        rows.append((truth, variant, o))
    # per (lang, variant, field): [right, total]
    score, cer, times, cpu = {}, {}, [], []
    fails = {}
    for truth, variant, o in rows:
        zh = truth["lang"] == "zh"
        fields = o.get("fields") or {}
        if "read_ms" in o:
            times.append(o["read_ms"])
        if "cpu_ms" in o:
            cpu.append(o["cpu_ms"])
        for f in FIELDS:
            if f == "phone":
                want, have = sorted(truth["phones"]), sorted(got(fields, f))
                ok = want == have
            elif f in ("email", "url"):
                want = (truth[f] or "").lower()
                have_l = [x.lower() for x in got(fields, f)]
                if not want:
                    if f == "url":
                        continue  # cards without a web address: nothing to read
                    ok = not have_l
                else:
                    ok = want in have_l
            elif f == "department" and not truth[f]:
                continue
            else:
                want, have = norm(truth[f], zh), norm(got(fields, f), zh)
                ok = want == have
                if f in CER_FIELDS:
                    c = cer.setdefault((truth["lang"], f), [0, 0])
                    c[0] += edit(want, have)
                    c[1] += len(want)
            for key in [(truth["lang"], variant, f), (truth["lang"], "all", f)]:
                s = score.setdefault(key, [0, 0])
                s[0] += ok
                s[1] += 1
            if not ok:
                fails.setdefault((truth["lang"], f), []).append(
                    "%s-%s (%s): want %r, got %r" % (os.path.basename(o["file"]).split("-")[0], variant,
                                                     truth["layout"], truth.get(f if f != "phone" else "phones"),
                                                     got(fields, f)))
    n_cards = len({os.path.basename(o["file"]).split("-")[0] for _, _, o in rows})
    print("# OCR of generated business cards (make bench-ocr)\n")
    print("%d cards (%d Chinese, %d English) x %d variants = %d images; written by tests/ocr/score.py.\n" %
          (n_cards, sum(1 for t, v, _ in rows if t["lang"] == "zh" and v == "clean"),
           sum(1 for t, v, _ in rows if t["lang"] == "en" and v == "clean"), len(VARIANTS), len(rows)))
    print("## Exact match per field (%)\n")
    print("| field | " + " | ".join("%s %s" % (l, v) for l in ("zh", "en") for v in VARIANTS + ["all"]) + " |")
    print("|---|" + "---:|" * 8)
    for f in FIELDS:
        cells = []
        for l in ("zh", "en"):
            for v in VARIANTS + ["all"]:
                s = score.get((l, v, f))
                cells.append("%.0f" % (100.0 * s[0] / s[1]) if s and s[1] else "-")
        print("| %s | %s |" % (f, " | ".join(cells)))
    print("\n## Character error rate (%, all variants)\n")
    print("| field | zh | en |\n|---|---:|---:|")
    for f in CER_FIELDS:
        print("| %s | %s |" % (f, " | ".join(
            "%.1f" % (100.0 * cer[(l, f)][0] / cer[(l, f)][1]) if (l, f) in cer and cer[(l, f)][1] else "-"
            for l in ("zh", "en"))))
    if times:
        print("\n## Time per card\n")
        print("Decoding, straightening and Tesseract, after the upload's re-encoding; one handle kept "
              "for the whole run (models loaded once).\n")
        print("| | median | 90th percentile | max |\n|---|---:|---:|---:|")
        ts = sorted(times)
        print("| wall clock (ms) | %.0f | %.0f | %.0f |" % (statistics.median(ts), ts[int(len(ts) * 0.9) - 1], ts[-1]))
        if cpu:
            cs = sorted(cpu)
            print("| CPU, worker + decoding child (ms) | %.0f | %.0f | %.0f |" %
                  (statistics.median(cs), cs[int(len(cs) * 0.9) - 1], cs[-1]))
    print("\n## Where it still fails (first misses per field)\n")
    for (l, f), lst in sorted(fails.items()):
        print("- %s %s: %d misses; e.g. %s" % (l, f, len(lst), "; ".join(lst[:3])))


if __name__ == "__main__":
    main()
