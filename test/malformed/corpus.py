"""The malformed-request corpus: cases as data (test/malformed/*.json), each a
raw HTTP request and the answer it must get. See README.md for the format."""

import json
import os
import re
import string
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
import rawhttp  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def value(spec, env):
    """Bytes of a value rule: a string (with ${var} substitution), or
    {"repeat": v, "times": n}, {"hex": "ff00"}, {"concat": [v, ...]},
    {"json": document} (compact JSON text)."""
    if isinstance(spec, str):
        return string.Template(spec).substitute(env).encode("utf-8")
    if isinstance(spec, (int, float)):
        return str(spec).encode()
    if "repeat" in spec:
        return value(spec["repeat"], env) * int(spec["times"])
    if "hex" in spec:
        return bytes.fromhex(spec["hex"])
    if "concat" in spec:
        return b"".join(value(v, env) for v in spec["concat"])
    if "json" in spec:
        text = json.dumps(spec["json"], separators=(",", ":"))
        return string.Template(text).substitute(env).encode("utf-8")
    raise ValueError("unknown value rule %r" % (spec,))


def expand(doc):
    """The cases of one corpus file: its `cases`, then each `matrix` entry's
    template once per combination of its variables."""
    defaults = doc.get("defaults", {})
    out = []
    for c in doc.get("cases", []):
        out.append((dict(defaults, **c), {}))
    for m in doc.get("matrix", []):
        combos = [{}]
        for var, choices in m["vars"].items():
            combos = [dict(c, **{var: x}) for c in combos for x in choices]
        for env in combos:
            case = dict(defaults, **m["case"])
            case["name"] = string.Template(m["case"]["name"]).substitute(env)
            out.append((case, env))
    return out


def load(names=None):
    """[(file, case, env)] for every corpus file (or those named)."""
    cases = []
    for fn in sorted(os.listdir(HERE)):
        if not fn.endswith(".json") or (names and fn[:-5] not in names):
            continue
        with open(os.path.join(HERE, fn)) as f:
            doc = json.load(f)
        for case, env in expand(doc):
            cases.append((fn, case, env))
    return cases


def request_bytes(case, env, port):
    """The raw request of a case."""
    if "raw" in case:
        return value(case["raw"], env)
    headers = []
    for k, v in case.get("headers", []):
        headers.append((k, value(v, env)))
    auth = case.get("auth")
    if auth:
        headers += rawhttp.amz_auth(auth, account=case.get("account", "111111111111"))
    body = value(case.get("body", ""), env)
    return rawhttp.build(case.get("method", "GET"), value(case.get("target", "/"), env), headers, body,
                         host=case.get("host", "127.0.0.1:%d" % port),
                         content_length=case.get("content_length", True))


def error_code(resp):
    """The AWS error code of a response: JSON __type (namespace stripped) or
    x-amzn-ErrorType, else the first <Code> of an XML error."""
    body = resp.body
    if resp.header("x-amzn-errortype"):
        return resp.header("x-amzn-errortype").split(":")[0]
    try:
        doc = json.loads(body)
        if isinstance(doc, dict) and "__type" in doc:
            return doc["__type"].split("#")[-1]
    except ValueError:
        pass
    m = re.search(rb"<Code>([^<]*)</Code>", body)
    return m.group(1).decode() if m else None
