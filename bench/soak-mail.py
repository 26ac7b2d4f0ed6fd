#!/usr/bin/python3
# soak-mail.py: the mail and sign-up accounting of `make soak` (bench/soak.sh): outbox rows against the Maildir by Message-ID, copies against the SMTP outages, accounts against their mails and answers.
#
#   soak-mail.py --maildir DIR --outbox FILE --events FILE --t0 T0 --details FILE
#                [--accounts FILE --access-log FILE]
#
# --outbox: the e-mail rows of the outbox, tab-separated: id, recipient,
# status, possibly_delivered. --events: soak.sh's "NAME EPOCH" lines; each
# mail_stop .. mail_stopped pair is the moment the catcher was being killed,
# mail_stop .. mail_started the whole SMTP outage; db_stop .. db_started the
# MariaDB outage. --accounts: the addresses of the accounts the load
# created; --access-log: nginx's log, whose sign-up lines carry the address
# in the User-Agent ("livecard-soak signup ADDRESS", bench/soak.lua).
#
# Prints "NAME VALUE" lines (integers) for soak.sh and writes one line per
# finding (copies, lost or stray messages, sign-ups answered otherwise) to
# --details. A message's copies are explained when every copy but the last
# was caught while the catcher was being stopped (SLACK seconds either side:
# the files' times come from the kernel's coarse clock) — the server kept it
# and died before its 250 — and the worker counted as many possible
# deliveries of the row (outbox.possibly_delivered).
import argparse
import calendar
import email.parser
import email.policy
import os
import re
import sys
import time

SLACK = 0.5


def read_events(path):
    ev = {}
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) == 2:
                ev.setdefault(parts[0], []).append(float(parts[1]))
    return ev


def outages(ev):
    """[(stop, stopped, started)] of each SMTP outage."""
    stops, stopped, started = ev.get("mail_stop", []), ev.get("mail_stopped", []), ev.get("mail_started", [])
    out = []
    for i, s in enumerate(stops):
        out.append((s, stopped[i] if i < len(stopped) else s, started[i] if i < len(started) else float("inf")))
    return out


def read_maildir(path):
    """[(message_id, to, caught_at, file)] of every message."""
    parser = email.parser.BytesHeaderParser(policy=email.policy.compat32)
    msgs = []
    for sub in ("new", "cur"):
        d = os.path.join(path, sub)
        if not os.path.isdir(d):
            continue
        for name in os.listdir(d):
            f = os.path.join(d, name)
            with open(f, "rb") as fh:
                h = parser.parse(fh)
            caught = h.get("X-Caught-At")
            at = float(caught) if caught else os.stat(f).st_mtime
            mid = (h.get("Message-ID") or "").strip()
            to = (h.get("To") or "").strip().lower()
            msgs.append((mid, to, at, name))
    return msgs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--maildir", required=True)
    ap.add_argument("--outbox", required=True)
    ap.add_argument("--events", required=True)
    ap.add_argument("--t0", type=float, required=True)
    ap.add_argument("--details", required=True)
    ap.add_argument("--accounts")
    ap.add_argument("--access-log")
    a = ap.parse_args()

    ev = read_events(a.events)
    outs = outages(ev)
    rel = lambda t: "+%.2f s" % (t - a.t0)
    rows = {}
    for line in open(a.outbox, encoding="utf-8"):
        p = line.rstrip("\n").split("\t")
        if len(p) >= 4:
            rows[int(p[0])] = {"to": p[1].lower(), "status": p[2], "maybe": int(p[3])}
    msgs = read_maildir(a.maildir)
    details = []
    n = {"rows": len(rows), "maildir": len(msgs), "distinct": 0, "lost": 0, "stray": 0,
         "copied_ids": 0, "extra_copies": 0, "unexplained": 0, "unrecorded": 0, "recorded": 0}
    n["recorded"] = sum(r["maybe"] for r in rows.values())

    by_id = {}
    for m in msgs:
        by_id.setdefault(m[0], []).append(m)
    n["distinct"] = len(by_id)
    idre = re.compile(r"^<outbox-(\d+)@[^>]+>$")
    for mid, copies in sorted(by_id.items()):
        m = idre.match(mid)
        row = rows.get(int(m.group(1))) if m else None
        if row is None or any(c[1] != row["to"] for c in copies):
            n["stray"] += len(copies)
            details.append("stray: %s to %s (%d cop%s): %s" % (
                mid or "(no Message-ID)", ", ".join(sorted({c[1] for c in copies})), len(copies),
                "y" if len(copies) == 1 else "ies",
                "no outbox row has this ID" if row is None else "the row's recipient is " + row["to"]))
            continue
        if len(copies) == 1:
            continue
        n["copied_ids"] += 1
        n["extra_copies"] += len(copies) - 1
        copies.sort(key=lambda c: c[2])
        where = []
        explained = True
        for c in copies[:-1]:
            hit = [o for o in outs if o[0] - SLACK <= c[2] <= o[1] + SLACK]
            if hit:
                o = hit[0]
                where.append("%s, in the SMTP outage %s..%s (caught while the catcher was being stopped, "
                             "%s..%s)" % (rel(c[2]), rel(o[0]), rel(o[2]), rel(o[0]), rel(o[1])))
            else:
                explained = False
                where.append("%s, OUTSIDE any SMTP outage" % rel(c[2]))
        recorded = row["maybe"] >= len(copies) - 1
        if not explained:
            n["unexplained"] += 1
        if not recorded:
            n["unrecorded"] += 1
        details.append("copies: %s to %s: %d copies; %s; last copy %s; the worker recorded %d possible "
                       "deliver%s%s" % (mid, row["to"], len(copies), "; ".join(where), rel(copies[-1][2]),
                                        row["maybe"], "y" if row["maybe"] == 1 else "ies",
                                        "" if recorded else " (FEWER than the copies)"))
    seen = set(by_id)
    dom = {}
    for mid in seen:
        m = idre.match(mid)
        if m:
            dom[int(m.group(1))] = mid
    for rid, row in sorted(rows.items()):
        if rid not in dom:
            n["lost"] += 1
            details.append("lost: outbox row %d to %s (%s) is not in the Maildir" % (rid, row["to"], row["status"]))

    if a.accounts:
        accounts = {l.strip().lower() for l in open(a.accounts, encoding="utf-8") if l.strip()}
        mailed = {c[1] for mid, cs in by_id.items() if idre.match(mid) for c in cs}
        answers = {}
        if a.access_log:
            lre = re.compile(r'\[([^\]]+)\] "POST /api/v1/accounts[^"]*" (\d{3}) .*"livecard-soak signup ([^"]+)"$')
            for line in open(a.access_log, encoding="utf-8", errors="replace"):
                m = lre.search(line.rstrip("\n"))
                if m:
                    stamp, _, zone = m.group(1).partition(" ")
                    t = calendar.timegm(time.strptime(stamp, "%d/%b/%Y:%H:%M:%S"))
                    if re.match(r"^[+-]\d{4}$", zone):
                        t -= (1 if zone[0] == "+" else -1) * (int(zone[1:3]) * 3600 + int(zone[3:]) * 60)
                    answers.setdefault(m.group(3).lower(), []).append((int(m.group(2)), t))
        db_stop, db_up = ev.get("db_stop", [0])[0], ev.get("db_started", [0])[0]
        n["accounts"] = len(accounts)
        n["accounts_without_mail"] = 0
        n["answered_201"] = sum(1 for v in answers.values() if any(s == 201 for s, _ in v))
        n["answered_201_no_account"] = 0
        n["committed_503"] = 0
        n["committed_503_outside"] = 0
        n["committed_unanswered"] = 0
        for addr in sorted(accounts - mailed):
            n["accounts_without_mail"] += 1
            details.append("sign-up: the account %s has no verification mail in the Maildir" % addr)
        for addr, v in sorted(answers.items()):
            if any(s == 201 for s, _ in v) and addr not in accounts:
                n["answered_201_no_account"] += 1
                details.append("sign-up: %s was answered 201 but no account exists" % addr)
        for addr in sorted(accounts):
            v = answers.get(addr, [])
            if any(s == 201 for s, _ in v):
                continue
            if not v or v[-1][0] == 499:
                # wrk stops reading at the end of the load: nginx logs 499
                n["committed_unanswered"] += 1
                details.append("sign-up: %s committed; %s" % (
                    addr, "the client had gone (499) at %s" % rel(v[-1][1]) if v else "no answer in nginx's log"))
                continue
            s, t = v[-1]
            inside = int(db_stop) - 1 <= t <= int(db_up) + 1
            n["committed_503"] += 1
            if not inside:
                n["committed_503_outside"] += 1
            details.append("sign-up: %s committed but was answered %d at %s, %s the MariaDB outage "
                           "(%s..%s): its COMMIT's acknowledgement was lost" % (
                               addr, s, rel(t), "in" if inside else "OUTSIDE", rel(db_stop), rel(db_up)))
    with open(a.details, "w", encoding="utf-8") as f:
        for d in details:
            f.write(d + "\n")
    for k, v in n.items():
        print(k, v)


if __name__ == "__main__":
    sys.exit(main())
