"""Fills the recorded answers ("expect") of the flows in a service file.

The answers are the facts LocalStack's AWS-validated recordings hold
(`tests/aws/services/<service>/*.snapshot.json` in github.com/localstack/localstack,
recorded against real AWS). Authoring a flow means writing its steps, with `"check":
"<recording key>"` (and `"path"` when the recording holds only a part of the response);
this tool then writes, per case or variant, `"expect": {key: {"status", "response"}}`.

    python3 tools/fill_expected.py --localstack /path/to/localstack/git-dir kms.json [...]

Values the recordings replaced by a bare word (e.g. "ciphertext-blob") and listed in the
file's `"bare_placeholders"` become `<word>` placeholders; a case's `"rewrite"` map turns
literal text of its recording (a generated name, say) into a placeholder.
"""

import argparse
import json
import re
import subprocess
import sys


def load_snapshot(gitdir, path, cache={}):
    if path not in cache:
        out = subprocess.run(["git", "-C", gitdir, "show", "HEAD:" + path], check=True,
                             capture_output=True).stdout
        cache[path] = json.loads(out)
    return cache[path]


def load_validated(gitdir, path, cache={}):
    vpath = path.replace(".snapshot.json", ".validation.json")
    if vpath not in cache:
        out = subprocess.run(["git", "-C", gitdir, "show", "HEAD:" + vpath], capture_output=True).stdout
        cache[vpath] = json.loads(out) if out else {}
    return cache[vpath]


def convert(content, bare, rewrite):
    def walk(v, key=None):
        if isinstance(v, dict):
            return {k: walk(x, k) for k, x in v.items()}
        if isinstance(v, list):
            return [walk(x) for x in v]
        if isinstance(v, str):
            if v in bare:
                return v if v.startswith("<") else "<%s>" % v
            v = re.sub(r"<<([^<>]+)>>", r"<\1>", v)
            for lit, ph in rewrite.items():
                v = v.replace(lit, ph)
        return v

    if isinstance(content, dict) and "ResponseMetadata" in content:
        status = content["ResponseMetadata"]["HTTPStatusCode"]
        body = {k: v for k, v in content.items() if k != "ResponseMetadata"}
    else:
        status = 200
        body = content
    return {"status": status, "response": walk(body)}


def fill(gitdir, data):
    file_bare = set(data.get("bare_placeholders", []))
    problems = []
    for case in data["cases"]:
        path, _, _ = case["test"].partition("::")
        snap = load_snapshot(gitdir, path.replace(".py", ".snapshot.json"))
        validated = load_validated(gitdir, path.replace(".py", ".snapshot.json"))
        bare = file_bare | set(case.get("bare", []))
        keys = [s["check"] for s in case["steps"] if "check" in s]
        keys += [a["check"] for s in case["steps"] for a in s.get("also", [])]
        targets = case.get("variants") or [case]
        for t in targets:
            node = case["test"] + ("[%s]" % t["param"] if "param" in t else "")
            if node not in snap:
                problems.append("no recording for %s" % node)
                continue
            if node not in validated:
                problems.append("not validated on AWS: %s" % node)
            content = snap[node]["recorded-content"]
            expect = {}
            vars_ = dict(case.get("vars", {}), **t.get("vars", {}))
            for k in keys:
                k = re.sub(r"\$\{(\w+)\}", lambda m: str(vars_[m.group(1)]), k)
                if k not in content:
                    problems.append("%s: no key %r" % (node, k))
                    continue
                expect[k] = convert(content[k], bare, dict(case.get("rewrite", {}), **t.get("rewrite", {})))
            t["expect"] = expect
    return problems


def dumps(v, indent=0, width=110):
    """JSON with small objects and lists on one line."""
    flat = json.dumps(v, ensure_ascii=False)
    if len(flat) + indent <= width or not isinstance(v, (dict, list)) or not v:
        return flat
    pad = " " * (indent + 1)
    if isinstance(v, dict):
        items = ["%s%s: %s" % (pad, json.dumps(k, ensure_ascii=False), dumps(x, indent + 1, width))
                 for k, x in v.items()]
        return "{\n" + ",\n".join(items) + "\n" + " " * indent + "}"
    items = [pad + dumps(x, indent + 1, width) for x in v]
    return "[\n" + ",\n".join(items) + "\n" + " " * indent + "]"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--localstack", required=True, help="git dir of a localstack/localstack clone")
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()
    bad = []
    for f in args.files:
        with open(f) as fh:
            data = json.load(fh)
        bad += fill(args.localstack, data)
        with open(f, "w") as fh:
            fh.write(dumps(data) + "\n")
    for b in bad:
        print(b, file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
