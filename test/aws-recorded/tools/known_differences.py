"""Rewrites known-differences.json from a results file of the replay suite.

    REPLAY_RESULTS=/tmp/results.json python3 replay.py
    python3 tools/known_differences.py /tmp/results.json

Every failing case gets a one-line reason: the first request where crosskey's answer
differs, as "what AWS answers vs what crosskey answers"; cases that pass are dropped.
With --keep, reasons already in the file are kept for cases that still fail (for
reasons written by hand).
"""

import json
import os
import re
import sys

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PATH = os.path.join(HERE, "known-differences.json")
LINE = re.compile(r"^(step \d+ \S*(?: \[[^\]]*\])?): (.*)$")


def reason(differences):
    """One line from a case's list of differences."""
    steps = {}
    for d in differences:
        m = LINE.match(d)
        if not m:
            return d[:300]
        steps.setdefault(m.group(1), []).append(m.group(2))
    step, details = next(iter(steps.items()))
    op = re.sub(r"^step \d+ ", "", step)
    picked = [x for x in details if x.startswith(("status:", "crosskey error:", "Error.Code:", "Error.Message:", "Error:"))]
    if not picked:
        picked = details[:2]
    text = scrub("%s: %s" % (op, "; ".join(picked)))
    if len(steps) > 1:
        text += " (and %d more requests differ)" % (len(steps) - 1)
    return text if len(text) <= 400 else text[:397] + "..."


GENERATED = [
    (re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"), "<uuid>"),
    (re.compile(r"(test-bucket|bucket)-[0-9a-f]{8}\b"), r"\1-<rand>"),
    (re.compile(r"\b[0-9a-f]{8}\b"), "<rand>"),
    (re.compile(r"\b(?=[A-Za-z0-9._]*\d)[A-Za-z0-9._]{32}\b"), "<id>"),
    (re.compile(r"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT"), "<date>"),
]


def scrub(text):
    """Generated values (ids, dates) out of a reason, so that it reads the same every run."""
    for rx, repl in GENERATED:
        text = rx.sub(repl, text)
    return text


def main():
    keep = "--keep" in sys.argv
    with open([a for a in sys.argv[1:] if a != "--keep"][0]) as f:
        results = json.load(f)
    try:
        with open(PATH) as f:
            known = json.load(f)
    except FileNotFoundError:
        known = {}
    out = {}
    for case_id in sorted(results):
        r = results[case_id]
        if r["passed"]:
            continue
        out[case_id] = (keep and known.get(case_id)) or reason(r["differences"])
    # cases not run this time (a -k filter) keep their entry
    for case_id, text in known.items():
        if case_id not in results:
            out[case_id] = text
    with open(PATH, "w") as f:
        json.dump(dict(sorted(out.items())), f, indent=1, ensure_ascii=False)
        f.write("\n")
    print("%d known differences" % len(out))


if __name__ == "__main__":
    main()
