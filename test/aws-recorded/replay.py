"""Replays request flows recorded against real AWS and compares crosskey's answers.

Each `<service>.json` beside this file holds cases: a flow of boto3 calls whose checked
steps carry what AWS answered (status, error code and message, and every field of the
response AWS returned), written in the form the recordings use after their normalisation
(account ids, generated ids, dates replaced). Every case runs against a fresh crosskey
(`--memory`) started by the end-to-end fixture (test/e2e/crosskey.py).

Cases listed in `known-differences.json` are expected to fail today; the suite fails
when one of them passes ("now passing: remove it from known-differences.json"), so the
list can only shrink. See README.md for the data format.

    python3 replay.py                           # every case (unittest)
    python3 replay.py Replay_kms                # one service
    python3 replay.py -k test_import_key        # unittest's -k filter
    REPLAY_RESULTS=out.json python3 replay.py   # also writes every case's outcome
"""

import base64
import datetime
import hashlib
import json
import os
import re
import sys
import time
import unittest
import uuid

import urllib.error
import urllib.request
import xml.etree.ElementTree as ElementTree

import boto3
import botocore.auth
import botocore.awsrequest
import botocore.credentials
import botocore.exceptions
import botocore.response
from botocore import xform_name
from botocore.config import Config

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))

import crosskey  # noqa: E402  (the end-to-end fixture)
import pure_crypto  # noqa: E402

SERVICES = ["kms", "sts", "iam", "secretsmanager", "dynamodb", "s3"]
ACCOUNTS = {"account1": crosskey.ACCOUNT1, "account2": crosskey.ACCOUNT2, "account3": "333333333333"}


def load_cases():
    """All cases of every service file, variants expanded: [(service, case dict)]."""
    out = []
    for service in SERVICES:
        path = os.path.join(HERE, service + ".json")
        if not os.path.exists(path):
            continue
        with open(path) as f:
            data = json.load(f)
        setups = data.get("setups", {})
        for case in data["cases"]:
            case = dict(case)
            case["vars"] = dict(data.get("vars", {}), **case.get("vars", {}))
            case["sort"] = data.get("sort", {})
            case["unordered"] = data.get("unordered", []) + case.get("unordered", [])
            case["setup_steps"] = [dict(st, setup=True) for name in case.get("setup", [])
                                   for st in setups[name]]
            variants = case.get("variants")
            if not variants:
                c = dict(case)
                c["id"] = case_id(service, case["test"])
                out.append((service, c))
                continue
            for v in variants:
                c = {k: val for k, val in case.items() if k != "variants"}
                c["test"] = "%s[%s]" % (case["test"], v["param"])
                c["id"] = case_id(service, c["test"])
                c["vars"] = dict(case.get("vars", {}), **v.get("vars", {}))
                c["expect"] = v.get("expect", {})
                out.append((service, c))
    return out


def load_skipped():
    out = []
    for service in SERVICES:
        if not os.path.exists(os.path.join(HERE, service + ".json")):
            continue
        with open(os.path.join(HERE, service + ".json")) as f:
            data = json.load(f)
        for s in data.get("skipped", []):
            out.append((service, s))
    return out


def case_id(service, test):
    """`kms/TestKMS::test_create_key` from the recording's test id."""
    return service + "/" + test.split("::", 1)[1]


def load_known():
    with open(os.path.join(HERE, "known-differences.json")) as f:
        return json.load(f)


# --- values ------------------------------------------------------------------------------

VAR = re.compile(r"\$\{([A-Za-z0-9_.\[\]-]+)\}")


class Context:
    """The variables of one running case: saved results, vars, accounts."""

    def __init__(self, case, server):
        self.server = server
        self.rand = uuid.uuid4().hex[:8]
        self.vars = dict(ACCOUNTS)
        self.vars.update({"region": crosskey.REGION, "rand": self.rand, "port": str(server.port),
                          "endpoint": server.endpoint})
        for k, v in case.get("vars", {}).items():
            self.vars[k] = self.resolve(v)

    def lookup(self, name):
        head, _, rest = name.partition(".")
        if head not in self.vars:
            raise KeyError("unknown variable ${%s}" % name)
        value = self.vars[head]
        return get_path(value, rest) if rest else value

    def resolve(self, value):
        """Substitutes ${var} and evaluates {"$fn": arg} forms."""
        if isinstance(value, str):
            m = VAR.fullmatch(value)
            if m:
                return self.lookup(m.group(1))
            return VAR.sub(lambda m: str(self.lookup(m.group(1))), value)
        if isinstance(value, list):
            return [self.resolve(v) for v in value]
        if isinstance(value, dict):
            if len(value) == 1:
                (k, arg), = value.items()
                if k.startswith("$"):
                    return self.function(k, arg)
            return {self.resolve(k): self.resolve(v) for k, v in value.items()}
        return value

    def function(self, name, arg):
        a = self.resolve(arg)
        if name == "$bytes":
            return a.encode() if isinstance(a, str) else bytes(a)
        if name == "$b64":
            return base64.b64decode(a)
        if name == "$b64encode":
            return base64.b64encode(a if isinstance(a, bytes) else a.encode()).decode()
        if name == "$hex":
            return bytes.fromhex(a)
        if name == "$repeat":          # [string, count]: a string of count copies
            return a[0] * a[1]
        if name == "$repeat_to":       # [unit, length]: unit repeated, cut to length
            return (a[0] * (a[1] // len(a[0]) + 1))[:a[1]]
        if name == "$bytes_repeat":    # [byte value, count]
            return bytes([a[0]]) * a[1]
        if name == "$json":
            return json.dumps(a)
        if name == "$md5b64":
            return base64.b64encode(hashlib.md5(a if isinstance(a, bytes) else a.encode()).digest()).decode()
        if name == "$md5hex":
            return hashlib.md5(a if isinstance(a, bytes) else a.encode()).hexdigest()
        if name == "$sha256":
            return hashlib.sha256(a if isinstance(a, bytes) else a.encode()).digest()
        if name == "$date":            # ISO 8601 → datetime
            return datetime.datetime.fromisoformat(a.replace("Z", "+00:00"))
        if name == "$now_plus":        # seconds from now → datetime (UTC)
            return datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=a)
        if name == "$tags":            # {"count": n, "key": "k", "value": "v"} → [{Key, Value}]
            return [{a.get("key_field", "Key"): "%s%d" % (a.get("key", "key"), i),
                     a.get("value_field", "Value"): "%s%d" % (a.get("value", "value"), i)}
                    for i in range(a["count"])]
        if name == "$concat":
            if all(isinstance(x, bytes) for x in a):
                return b"".join(a)
            return "".join(str(x) for x in a)
        if name == "$wrap_key_material":
            return pure_crypto.wrap_key_material(a)
        if name == "$slice":           # [value, start] or [value, start, end]
            return a[0][a[1]:a[2] if len(a) > 2 else None]
        if name == "$plus_seconds":    # [datetime, seconds]
            return a[0] + datetime.timedelta(seconds=a[1])
        if name == "$strip":           # [string, characters or null]
            return a[0].strip(a[1])
        if name == "$upper":
            return a.upper()
        if name == "$replace":         # [string, old, new]
            return a[0].replace(a[1], a[2])
        if name == "$checksum":        # [algorithm, data]: S3's base64 checksum value
            return pure_crypto.checksum(a[0], a[1])
        if name == "$uuid":
            return str(uuid.uuid4())
        if name == "$int":
            return int(a)
        raise ValueError("unknown function %s" % name)


def get_path(value, path):
    """`a.b[0].c` inside nested dicts and lists."""
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", path):
        if part.startswith("["):
            value = value[int(part[1:-1])]
        elif isinstance(value, list) and part.isdigit():
            value = value[int(part)]
        else:
            value = value[part]
    return value


def normalise(value):
    """A response as the recordings write it: dates → "datetime", bytes → repr, bodies read."""
    if isinstance(value, dict):
        return {k: normalise(v) for k, v in value.items()}
    if isinstance(value, list):
        return [normalise(v) for v in value]
    if isinstance(value, datetime.datetime):
        return "datetime"
    if isinstance(value, botocore.response.StreamingBody):
        data = value.read()
        try:
            return normalise(data.decode("utf-8"))
        except UnicodeDecodeError:
            return str(data)
    if isinstance(value, (bytes, bytearray)):
        return str(bytes(value))
    if isinstance(value, str) and value[:1] in ("{", "["):
        try:                       # the recordings hold JSON documents parsed
            parsed = json.loads(value)
            if isinstance(parsed, (dict, list)):
                return parsed
        except ValueError:
            pass
    return value


# --- comparison ---------------------------------------------------------------------------

PLACEHOLDER = re.compile(r"<([A-Za-z0-9_\-. ]+?)(?::(\d+))?>")
UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
# What some placeholders stand for (the rest: any non-empty text).
PLACEHOLDER_PATTERNS = [
    (re.compile(r"ArnPart-\d+idx"), r"-[A-Za-z0-9]{6}"),
    (re.compile(r"partition"), r"aws[a-z-]*"),
    (re.compile(r"region|secondary-region"), r"[a-z]{2}(?:-[a-z]+)+-\d"),
    (re.compile(r"uuid|version_uuid|version-uuid"), UUID),
]


def placeholder_pattern(name):
    for rx, pattern in PLACEHOLDER_PATTERNS:
        if rx.fullmatch(name):
            return "(?:%s)" % pattern
    return ".+?"


class Matcher:
    """Compares an expected (recorded) value with an actual one. `<name:N>` in an expected
    string stands for one value, the same everywhere in the case, distinct from `<name:M>`;
    `<name>` stands for any non-empty text; "datetime" for a date."""

    def __init__(self, unordered=(), ignore_keys=()):
        self.bindings = {}
        self.extra = []
        self.unordered = set(unordered)
        self.ignore_keys = set(ignore_keys)

    def match(self, expected, actual, path, diffs, ignore=()):
        if isinstance(expected, dict):
            if not isinstance(actual, dict):
                diffs.append("%s: expected an object, got %r" % (path or "response", short(actual)))
                return
            keymap = self.match_keys(expected, actual)
            for k, v in sorted(expected.items(), key=lambda kv: not (isinstance(kv[1], str) and
                                                                       PLACEHOLDER.fullmatch(kv[1]))):
                p = "%s.%s" % (path, k) if path else k
                if p in ignore or k in self.ignore_keys:
                    continue
                k = keymap.get(k, k)
                if k not in actual:
                    diffs.append("%s: missing (AWS: %s)" % (p, short(v)))
                else:
                    self.match(v, actual[k], p, diffs, ignore)
            for k in actual:
                p = "%s.%s" % (path, k) if path else k
                if k not in expected and k not in keymap.values() and p not in ignore:
                    # Not a failure: AWS adds response fields over time and a recording
                    # shows the fields of its day. Kept as a note in the results file.
                    self.extra.append("%s (crosskey: %s)" % (p, short(actual[k], 80)))
            return
        if isinstance(expected, list):
            if not isinstance(actual, list):
                diffs.append("%s: expected a list, got %r" % (path, short(actual)))
                return
            if len(expected) != len(actual):
                diffs.append("%s: %d items, AWS %d (crosskey: %s)" % (path, len(actual), len(expected),
                                                                      short(actual)))
                return
            if re.sub(r"\[\d+\]$", "", path).rpartition(".")[2] in self.unordered:
                self.match_unordered(expected, actual, path, diffs, ignore)
                return
            for i, (e, a) in enumerate(zip(expected, actual)):
                self.match(e, a, "%s[%d]" % (path, i), diffs, ignore)
            return
        if isinstance(expected, str) and (PLACEHOLDER.search(expected) or expected == "datetime"):
            if not self.match_string(expected, actual):
                diffs.append("%s: AWS %s, crosskey %s" % (path, short(expected), short(actual)))
            return
        if expected != actual or type(expected) != type(actual):
            if isinstance(expected, (int, float)) and isinstance(actual, (int, float)) and expected == actual:
                return
            diffs.append("%s: AWS %s, crosskey %s" % (path, short(expected), short(actual)))

    def match_unordered(self, expected, actual, path, diffs, ignore):
        """A list the recording sorted by a value replaced since (e.g. by CreatedDate): each
        recorded item must match a different actual item."""
        left = list(range(len(actual)))
        for i, e in enumerate(expected):
            best = None
            for j in left:
                trial = Matcher(self.unordered, self.ignore_keys)
                trial.bindings = dict(self.bindings)
                d = []
                trial.match(e, actual[j], "%s[%d]" % (path, j), d, ignore)
                if best is None or len(d) < len(best[1]):
                    best = (j, d, trial)
                if not d:
                    break
            if best is None:
                diffs.append("%s: nothing matches AWS's %s" % (path, short(e)))
                return
            j, d, trial = best
            diffs += d          # the closest item's differences
            self.bindings.update({k: v for k, v in trial.bindings.items() if k not in self.bindings})
            left.remove(j)

    def match_keys(self, expected, actual):
        """Expected keys that are placeholders (`<version_uuid:1>`) → the actual keys they match."""
        out = {}
        for k in expected:
            if k in actual or not PLACEHOLDER.search(k):
                continue
            for a in actual:
                if a not in expected and a not in out.values() and self.match_string(k, a):
                    out[k] = a
                    break
        return out

    def match_string(self, expected, actual):
        if expected == "datetime":
            return actual == "datetime"
        if not isinstance(actual, str):
            actual = str(actual)
        if expected in ("<datetime>",):
            return actual == "datetime" or bool(actual)
        pattern, groups, pos = [], {}, 0
        for m in PLACEHOLDER.finditer(expected):
            pattern.append(re.escape(expected[pos:m.start()]))
            pos = m.end()
            name, num = m.group(1), m.group(2)
            if num is None and re.fullmatch(r".+-\d+idx", name):
                num = "idx"               # <SecretId-0idx>: one value per recording
            sub = placeholder_pattern(name)
            if num is None:
                pattern.append("(?:%s)" % sub)
                continue
            key = (name, num)
            if key in self.bindings:
                pattern.append(re.escape(self.bindings[key]))
            elif key in groups:
                pattern.append("(?P=%s)" % groups[key])
            else:
                groups[key] = "g%d" % len(groups)
                pattern.append("(?P<%s>%s)" % (groups[key], sub))
        pattern.append(re.escape(expected[pos:]))
        m = re.fullmatch("".join(pattern), actual, re.S)
        if not m:
            return False
        for key, g in groups.items():
            value = m.group(g)
            for (other, num), bound in self.bindings.items():
                if other == key[0] and bound == value:
                    return False          # <x:1> and <x:2> are different values
            self.bindings[key] = value
        return True


def short(v, limit=300):
    s = repr(v)
    return s if len(s) <= limit else s[:limit] + "..."


# --- running ------------------------------------------------------------------------------

class Runner:
    def __init__(self, case):
        self.case = case
        self.clients = {}
        self.matcher = Matcher()

    def client(self, ctx, step, service):
        account = ctx.resolve(step.get("account", "${account1}"))
        region = ctx.resolve(step.get("region", "${region}"))
        creds = step.get("credentials")
        if creds is None and not step.get("setup") and not step.get("root"):
            creds = self.case.get("credentials")
        creds = ctx.resolve(creds) if creds else None
        config = ctx.resolve(step.get("config", {}))
        key = (service, account, region, json.dumps(creds, sort_keys=True, default=str),
               json.dumps(config, sort_keys=True))
        if key not in self.clients:
            cfg = dict(retries={"max_attempts": 1}, parameter_validation=False)
            cfg.update(config)
            if creds:
                akid, secret, token = creds["AccessKeyId"], creds["SecretAccessKey"], creds.get("SessionToken")
            else:
                akid, secret, token = account, "test", None
            self.clients[key] = boto3.client(
                service, endpoint_url=self.server.endpoint, region_name=region,
                aws_access_key_id=akid, aws_secret_access_key=secret, aws_session_token=token,
                config=Config(**cfg))
        return self.clients[key]

    def run(self, default_service):
        """Runs the case; returns the list of differences (empty: it passes)."""
        diffs = []
        matcher = self.matcher = Matcher(self.case.get("unordered", []), self.case.get("ignore_keys", []))
        with crosskey.Server() as server:
            self.server = server
            ctx = Context(self.case, server)
            for i, step in enumerate(self.case["setup_steps"] + self.case["steps"]):
                label = "step %d %s" % (i + 1, step.get("call", ""))
                if "sleep" in step:
                    time.sleep(step["sleep"])
                    continue
                if "set" in step:
                    for k, v in step["set"].items():
                        ctx.vars[k] = ctx.resolve(v)
                    continue
                try:
                    status, raw = self.call(ctx, step, default_service)
                except Exception as e:  # a failure to even send the request
                    diffs.append("%s: %s: %s" % (label, type(e).__name__, e))
                    return diffs
                failed = "Error" in raw if isinstance(raw, dict) else False
                if "check" in step or "expect" in step:
                    step_diffs = self.check(ctx, step, status, raw, matcher)
                    diffs += ["%s [%s]: %s" % (label, ctx.resolve(step.get("check", "assert")), d)
                              for d in step_diffs]
                    for also in step.get("also", []):    # the same answer recorded a second time
                        extra = self.check(ctx, dict(step, **also), status, raw, matcher)
                        diffs += ["%s [%s]: %s" % (label, also["check"], d) for d in extra]
                    if step_diffs and failed:
                        return diffs      # later steps depend on this one
                elif failed and not step.get("may_fail"):
                    diffs.append("%s: failed: %s %s" % (label, status, short(raw["Error"])))
                    return diffs
                diffs += ["%s: %s" % (label, d) for d in assertions(ctx, step, raw)]
                for var, path in step.get("save", {}).items():
                    try:
                        ctx.vars[var] = get_path(raw, path) if path else raw
                    except (KeyError, IndexError, TypeError):
                        diffs.append("%s: no %s in the answer (to save as %s)" % (label, path, var))
                        return diffs
        return diffs

    def check(self, ctx, step, status, raw, matcher):
        if "check" in step:
            key = ctx.resolve(step["check"])
            exp = self.case.get("expect", {}).get(key)
            if exp is None:
                return ["no recorded answer for %r" % key]
        else:
            exp = step["expect"]
        out = []
        if "shape" in step:           # a raw HTTP answer, put in the form the recording used
            raw = shape(step["shape"], raw)
            for field in step.get("datetime_fields", []):
                if isinstance(raw, dict) and field in raw:
                    raw = dict(raw, **{field: datetime.datetime.now()})
        elif exp["status"] != status and step.get("measure") != "error_str":
            out.append("status: AWS %s, crosskey %s" % (exp["status"], status))
            if isinstance(raw, dict) and "Error" in raw and "Error" not in exp["response"]:
                out.append("crosskey error: %s %s" % (raw["Error"].get("Code"), short(raw["Error"].get("Message"))))
        if step.get("measure") == "error_str":
            if "Error" not in raw:
                return out + ["no error where AWS answered %s" % short(exp["response"])]
            raw = "An error occurred (%s) when calling the %s operation: %s" % (
                raw["Error"].get("Code"), step["call"], raw["Error"].get("Message"))
        part = raw
        if step.get("path", "").startswith("ResponseMetadata"):
            raw = dict(raw, ResponseMetadata=getattr(self, "last_metadata", {}))
        if step.get("path") and ("Error" not in raw or step["path"].startswith("ResponseMetadata")):
            try:
                part = get_path(raw, step["path"])
            except (KeyError, IndexError, TypeError):
                return out + ["%s: missing in crosskey's answer" % step["path"]]
        elif step.get("path") and "Error" not in exp["response"]:
            return out + ["error %s where AWS answered" % short(raw["Error"])]
        if step.get("measure") == "len" and "Error" not in raw:
            part = len(part)
        part = sort_lists(part, dict(self.case.get("sort", {}), **step.get("sort", {})))
        matcher.match(exp["response"], normalise(part), "", out, set(step.get("ignore", [])))
        return out

    def call(self, ctx, step, default_service):
        if "http" in step:
            return self.http(ctx, step, default_service)
        if "form" in step:
            return self.form(ctx, step)
        service = step.get("service", default_service)
        client = self.client(ctx, step, service)
        params = ctx.resolve(step.get("params", {}))
        method = getattr(client, xform_name(step["call"]))
        try:
            raw = method(**params)
        except botocore.exceptions.ClientError as e:
            raw = e.response
        status = raw["ResponseMetadata"]["HTTPStatusCode"]
        self.last_metadata = raw["ResponseMetadata"]
        return status, {k: v for k, v in raw.items() if k != "ResponseMetadata"}


    def form(self, ctx, step):
        return form_post(self, ctx, step)

    def http(self, ctx, step, default_service):
        """A raw HTTP request, SigV4-signed unless "sign" is false: the flows that bypass
        what an SDK adds (idempotency tokens) or test plain HTTP (CORS, presigned URLs)."""
        h = ctx.resolve(step["http"])
        url = h["url"] if h["url"].startswith("http") else self.server.endpoint + h["url"]
        body = h.get("body", b"")
        if isinstance(body, str):
            body = body.encode()
        headers = dict(h.get("headers", {}))
        if h.get("sign", True):
            account = ctx.resolve(step.get("account", "${account1}"))
            req = botocore.awsrequest.AWSRequest(method=h.get("method", "GET"), url=url, data=body,
                                                 headers=headers)
            creds = botocore.credentials.Credentials(account, "test")
            botocore.auth.SigV4Auth(creds, h.get("service", default_service),
                                    h.get("region", crosskey.REGION)).add_auth(req)
            headers = dict(req.headers.items())
        req = urllib.request.Request(url, data=body or None, headers=headers, method=h.get("method", "GET"))
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                status, rh, data = r.status, dict(r.headers), r.read()
        except urllib.error.HTTPError as e:
            status, rh, data = e.code, dict(e.headers), e.read()
        try:
            parsed = json.loads(data) if data else None
        except ValueError:
            parsed = data.decode("utf-8", "replace")
        return status, {"status": status, "headers": {k.lower(): v for k, v in rh.items()}, "body": parsed}


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def xml_value(node):
    """An XML answer as xmltodict reads it (the recordings' form): text, or a dict of children."""
    children = list(node)
    if not children:
        return node.text
    return {child.tag.split("}")[-1]: xml_value(child) for child in children}


def form_post(runner, ctx, step):
    """A browser-form upload (POST Object): boto3's generate_presigned_post, the fields
    changed as the test changes them ("set", "drop", "only"), a multipart/form-data body
    with the file last, posted as a browser posts it. Answers (status, {"status",
    "headers", "body"}) with an XML body read as xmltodict reads it."""
    f = ctx.resolve(step["form"])
    client = runner.client(ctx, step, "s3")
    presigned = client.generate_presigned_post(
        f["bucket"], f["key"], Fields=f.get("fields"), Conditions=f.get("conditions"),
        ExpiresIn=f.get("expires", 60))
    time.sleep(f.get("wait", 0))  # a policy left to expire
    fields = dict(presigned["fields"])
    for name in f.get("drop", []):
        fields.pop(name, None)
    if "only" in f:
        fields = {k: v for k, v in fields.items() if k in f["only"]}
    fields.update(f.get("set", {}))
    boundary = "replayFormBoundary" + uuid.uuid4().hex
    body = b""
    for name, value in fields.items():
        body += ("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n" % (boundary, name)).encode()
        body += str(value).encode() + b"\r\n"
    disposition = 'form-data; name="file"'
    if f.get("filename", "file") is not None:
        disposition += '; filename="%s"' % f.get("filename", "file")
    body += ("--%s\r\nContent-Disposition: %s\r\n\r\n" % (boundary, disposition)).encode()
    body += f.get("file", "").encode() + ("\r\n--%s--\r\n" % boundary).encode()
    headers = {"Content-Type": f.get("content_type", "multipart/form-data; boundary=" + boundary)}
    req = urllib.request.Request(presigned["url"], data=body, headers=headers, method="POST")
    try:
        with urllib.request.build_opener(_NoRedirect).open(req, timeout=30) as r:
            status, rh, data = r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        status, rh, data = e.code, dict(e.headers), e.read()
    parsed = None
    if data:
        root = ElementTree.fromstring(data)
        parsed = {root.tag.split("}")[-1]: xml_value(root)}
    raw = {"status": status, "headers": {k.lower(): v for k, v in rh.items()}, "body": parsed}
    if status >= 400 and isinstance(parsed, dict) and "Error" in parsed:
        raw["Error"] = parsed["Error"]
    return status, raw


def assertions(ctx, step, raw):
    """The checks a validated test makes with assertions rather than a recording."""
    out = []
    if not isinstance(raw, dict) or ("Error" in raw and "check" not in step and "expect" not in step):
        return out

    def get(path):
        try:
            return get_path(raw, path)
        except (KeyError, IndexError, TypeError):
            return MISSING
    for path, want in step.get("expect_field", {}).items():
        want, got = ctx.resolve(want), get(path)
        if got != want:
            out.append("%s is %s, the test (validated on AWS) asserts %s" % (path, short(got), short(want)))
    for path, n in step.get("expect_len", {}).items():
        got = get(path)
        if got is MISSING or len(got) != n:
            out.append("%s has %s items, the test (validated on AWS) asserts %d" % (
                path, "no" if got is MISSING else len(got), n))
    for path in step.get("expect_present", []):
        if get(path) in (MISSING, None):
            out.append("%s is missing, the test (validated on AWS) asserts it is present" % path)
    for path in step.get("expect_absent", []):
        if get(path) not in (MISSING, None):
            out.append("%s is present, the test (validated on AWS) asserts it is absent" % path)
    return out


MISSING = object()


def shape(template, raw):
    """Builds the value a recording holds from a raw HTTP answer: "@status", "@body",
    "@headers.<name>" in the template are replaced."""
    if isinstance(template, dict):
        return {k: shape(v, raw) for k, v in template.items()}
    if isinstance(template, list):
        return [shape(v, raw) for v in template]
    if isinstance(template, str) and template.startswith("@"):
        return get_path(raw, template[1:]) if "." in template else raw[template[1:]]
    return template


def sort_lists(value, spec):
    """Sorts the lists the recordings sorted (the recording's SortingTransformer): spec maps
    a key to "" (sort the values) or to the field to sort the items by."""
    if not spec:
        return value
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            v = sort_lists(v, spec)
            if k in spec and isinstance(v, list):
                field = spec[k]
                v = sorted(v, key=(lambda x: get_path(x, field)) if field else None)
            out[k] = v
        return out
    if isinstance(value, list):
        return [sort_lists(v, spec) for v in value]
    return value


# --- unittest glue ------------------------------------------------------------------------

RESULTS = {}


class ReplayCase(unittest.TestCase):
    maxDiff = None


def make_test(service, case, known):
    def test(self):
        runner = Runner(case)
        started = time.monotonic()
        diffs = runner.run(service)
        RESULTS[case["id"]] = {"service": service, "passed": not diffs, "known": case["id"] in known,
                               "differences": diffs, "fields_aws_did_not_record": runner.matcher.extra,
                               "seconds": round(time.monotonic() - started, 2)}
        if case["id"] in known:
            if not diffs:
                self.fail("now passing: remove %r from known-differences.json" % case["id"])
            return
        if diffs:
            self.fail("%s (%s)\n  %s" % (case["id"], case["test"], "\n  ".join(diffs)))
    test.__doc__ = case["id"]
    return test


def make_skip(reason):
    @unittest.skip(reason)
    def test(self):
        pass
    return test


def build_suite_classes():
    known = load_known()
    cases = load_cases()
    ids = [c["id"] for _, c in cases]
    dup = {i for i in ids if ids.count(i) > 1}
    if dup:
        raise ValueError("duplicate case ids: %s" % sorted(dup))
    stale = sorted(set(known) - set(ids))
    classes = {}
    for service in SERVICES:
        attrs = {}
        for s, case in cases:
            if s == service:
                attrs["test_" + case["id"].split("/", 1)[1]] = make_test(service, case, known)
        for s, skipped in load_skipped():
            if s == service:
                attrs["test_" + case_id(service, skipped["test"]).split("/", 1)[1]] = make_skip(
                    "not replayed: " + skipped["reason"])
        if service == SERVICES[0]:
            def test_known_differences_name_cases(self, stale=stale):
                self.assertEqual(stale, [], "known-differences.json names cases that do not exist")
            attrs["test_known_differences_name_cases"] = test_known_differences_name_cases
        classes[service] = type("Replay_" + service, (ReplayCase,), attrs)
    return classes


for _service, _cls in build_suite_classes().items():
    globals()[_cls.__name__] = _cls
del _service, _cls      # a class left under a second name would run twice


def tearDownModule():
    if not RESULTS:
        return
    lines = ["", "recorded AWS flows replayed:"]
    for service in SERVICES:
        rs = [r for r in RESULTS.values() if r["service"] == service]
        if rs:
            lines.append("  %-15s %3d replayed, %3d passing, %3d known differences" % (
                service, len(rs), sum(r["passed"] for r in rs), sum(r["known"] and not r["passed"] for r in rs)))
    sys.stderr.write("\n".join(lines) + "\n")
    out = os.environ.get("REPLAY_RESULTS")
    if out:
        with open(out, "w") as f:
            json.dump(RESULTS, f, indent=1, sort_keys=True)


if __name__ == "__main__":
    unittest.main()
