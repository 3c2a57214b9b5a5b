#!/usr/bin/env python3
"""Checks the tree's structural rules (run by CTest as `lint.tree`).

1. Layering: a file includes only headers of its own layer or of the layers
   beneath it (the order is LAYERS below); a service folder sees another
   service only through the interfaces listed in SERVICE_INTERFACES.
2. Typed fields: no code in src/services or src/server reads a request or
   record field by a literal string key (`in["KeyId"]`, `.value("Name", …)`,
   `.at("x")`, `Str(in, …)`, `c.In("Prefix")`): requests are generated
   structs (src/api), records have field tables (base/fields.h).
3. Errors by catalogue: no `AwsError(` in src/services outside errors.h
   catalogues.
4. Function size: no function over 80 lines outside tests and generated code.

Usage: check_tree.py [--root DIR] [--report]   (--report lists, never fails)
"""

import argparse
import os
import re
import sys

MAX_FUNCTION_LINES = 80

# Layer → the layers it may include (itself included).
LAYERS = {
    "base": {"base"},
    "crypto": {"base", "crypto"},
    "http": {"base", "http"},
    "wire": {"base", "http", "wire"},
    "api": {"base", "api"},
    "auth": {"base", "crypto", "http", "auth"},
    "core": {"base", "crypto", "core"},
    "storage": {"base", "crypto", "storage"},
    "webui": {"webui"},
    "services": {"base", "crypto", "http", "wire", "api", "auth", "core", "storage", "webui", "services"},
    "client": {"base", "crypto", "http", "wire", "api", "auth", "client"},
    "tools": {"base", "crypto", "http", "wire", "api", "auth", "core", "client", "tools"},
    "server": {"base", "crypto", "http", "wire", "api", "auth", "core", "storage", "webui", "services", "server", "client",
               "tools"},
    "exe": {"base", "server", "tools", "exe"},
}

# What one service folder may include from another (interfaces only).
SERVICE_INTERFACES = {
    "services/kms/kms_client.h",
    "services/kms/kms_engine.h",
    "services/cloudtrail/event_recorder.h",
    "services/cloudtrail/api_event.h",
    "services/iam/identity_store.h",
    "services/gateway/gateway.h",  # the admin endpoints report the gateway's counters and records
    # Read-only views for the web console (services/console).
    "services/admin/admin_service.h",
    "services/kms/key_catalog.h",
    "services/s3/catalog.h",
    "services/dynamodb/catalog.h",
    "services/secretsmanager/catalog.h",
}
SHARED_SERVICE_FILES = re.compile(r"^services/(common/|[^/]+\.h$)")

FIELD_READS = [
    (re.compile(r"\bStr\("), "Str(...) helper"),
    (re.compile(r"\.In\(\""), ".In(\"...\")"),
    (re.compile(r"\[\"[A-Za-z][A-Za-z0-9_]*\"\](?!\s*=[^=])"), "[\"Literal\"] index (a read)"),
    (re.compile(r"\.value\(\"[A-Za-z]"), ".value(\"Literal\", ...)"),
    (re.compile(r"\.at\(\"[A-Za-z]"), ".at(\"Literal\")"),
    (re.compile(r"\.contains\(\"[A-Za-z]"), ".contains(\"Literal\")"),
]

# Codecs of a data model whose wire form is JSON keyed by type tags: the one
# place such tags are read (DynamoDB's AttributeValue {"S": ...}).
DATA_MODEL_CODECS = {"src/services/dynamodb/attribute_value.cpp"}

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def source_files(root, sub):
    base = os.path.join(root, sub)
    for dirpath, _, files in os.walk(base):
        for f in files:
            if f.endswith((".cpp", ".h")):
                yield os.path.join(dirpath, f)


def is_test(path):
    return path.endswith("_test.cpp") or "_test_" in os.path.basename(path) or os.sep + "testing" + os.sep in path


def layer_of(rel):
    parts = rel.split("/")
    return parts[1] if len(parts) > 2 and parts[0] == "src" else None


def service_of(rel):
    parts = rel.split("/")
    if len(parts) > 3 and parts[1] == "services" and parts[2] != "common":
        return parts[2]
    return None


def check_includes(root, rel, text, problems):
    layer = layer_of(rel)
    if layer not in LAYERS:
        return
    own_service = service_of(rel)
    for n, line in enumerate(text.splitlines(), 1):
        m = INCLUDE.match(line)
        if not m:
            continue
        inc = m.group(1)
        top = inc.split("/")[0]
        if top not in LAYERS:
            continue  # generated or third-party paths
        if top not in LAYERS[layer]:
            problems.append("%s:%d: layer %s includes %s (layer %s)" % (rel, n, layer, inc, top))
            continue
        if top == "services" and own_service and not SHARED_SERVICE_FILES.match(inc):
            other = inc.split("/")[1]
            if other != own_service and inc not in SERVICE_INTERFACES:
                problems.append("%s:%d: service %s includes %s (another service's internals)" %
                                (rel, n, own_service, inc))


def strip_comments_and_strings(text):
    """Blanks comments and string/char literals, keeping line structure."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append("".join(ch if ch == "\n" else " " for ch in text[i:j]))
            i = j
        elif text.startswith('R"', i):
            m = re.match(r'R"([^(\s]*)\(', text[i:])
            if m:
                end = text.find(")" + m.group(1) + '"', i)
                end = n if end < 0 else end + len(m.group(1)) + 2
                out.append('""' + "".join("\n" if ch == "\n" else "" for ch in text[i:end]))
                i = end
            else:
                out.append(c)
                i += 1
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            out.append(c + c)
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


HEADER_END = re.compile(r"\)\s*(const|override|final|noexcept|mutable|&|&&|\s|->\s*[\w:<>,\s*&]+|"
                        r"requires[^{;]*|:\s*[^{;]*)*$")


def functions(text):
    """(name line, first line, last line) of each function body at namespace or class level."""
    code = strip_comments_and_strings(text)
    result, stack, stmt_start = [], [], 0
    line_of = [0] * (len(code) + 1)
    ln = 1
    for idx, ch in enumerate(code):
        line_of[idx] = ln
        if ch == "\n":
            ln += 1
    i = 0
    while i < len(code):
        ch = code[i]
        if ch == "{":
            inside_function = any(kind == "fn" for kind, _ in stack)
            header = code[stmt_start:i]
            flat = " ".join(header.split())
            kind = "other"
            if not inside_function:
                if re.search(r"\b(namespace|class|struct|union|enum)\b[^()]*$", flat) or flat.startswith("extern"):
                    kind = "scope"
                elif "(" in flat and HEADER_END.search(flat) and not flat.rstrip().endswith("=") \
                        and not re.search(r"=\s*$", flat):
                    kind = "fn"
            stack.append((kind, i))
            stmt_start = i + 1
        elif ch == "}":
            if stack:
                kind, start = stack.pop()
                if kind == "fn" and not any(k == "fn" for k, _ in stack):
                    result.append((line_of[start], line_of[i]))
            stmt_start = i + 1
        elif ch == ";" and not any(kind == "fn" for kind, _ in stack):
            stmt_start = i + 1
        elif ch == ":" and i + 1 < len(code) and code[i + 1] != ":" and (i == 0 or code[i - 1] != ":"):
            # access specifiers ("public:") end a statement in a class body
            if re.search(r"\b(public|private|protected)\s*$", code[stmt_start:i]):
                stmt_start = i + 1
        elif ch == "#" and (i == 0 or code[i - 1] == "\n"):
            j = code.find("\n", i)
            while j > 0 and code[j - 1] == "\\":
                j = code.find("\n", j + 1)
            i = len(code) if j < 0 else j
            stmt_start = i
            continue
        i += 1
    return result


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", default=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    ap.add_argument("--report", action="store_true")
    args = ap.parse_args()
    root = args.root
    problems = []
    for path in sorted(source_files(root, "src")):
        rel = os.path.relpath(path, root).replace(os.sep, "/")
        with open(path, encoding="utf-8") as f:
            text = f.read()
        check_includes(root, rel, text, problems)
        if is_test(rel):
            continue
        code_lines = strip_comments_and_strings(text).splitlines()
        if rel.startswith(("src/services/", "src/server/")) and rel not in DATA_MODEL_CODECS:
            for n, line in enumerate(code_lines, 1):
                raw = text.splitlines()[n - 1]
                for pattern, what in FIELD_READS:
                    if pattern.search(raw) and not raw.lstrip().startswith("//"):
                        problems.append("%s:%d: field read by string key: %s" % (rel, n, what))
                        break
            if "AwsError(" in "\n".join(code_lines) and not rel.endswith("errors.h"):
                for n, line in enumerate(code_lines, 1):
                    if "AwsError(" in line:
                        problems.append("%s:%d: AwsError(...) outside an error catalogue" % (rel, n))
        for first, last in functions(text):
            if last - first + 1 > MAX_FUNCTION_LINES:
                problems.append("%s:%d: function of %d lines (limit %d)" %
                                (rel, first, last - first + 1, MAX_FUNCTION_LINES))
    for p in problems:
        print(p)
    print("check_tree: %d problem(s)" % len(problems), file=sys.stderr)
    return 0 if args.report or not problems else 1


if __name__ == "__main__":
    sys.exit(main())
