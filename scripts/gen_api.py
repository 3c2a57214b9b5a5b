#!/usr/bin/env python3
"""Generates crosskey's typed AWS API shapes from the pinned models (build time).

For each service in models/, writes into OUTDIR/api/:
  <service>.h    one C++ struct per structure shape, one enum per enum shape,
                 one descriptor per operation (name, Input, Output), and the
                 declarations of the document conversions;
  <service>.cpp  the conversions between those structs and the protocol-neutral
                 document (nlohmann::json) that the JSON, query and rest-xml
                 codecs in src/wire/ read and write.

The same structs serve the server (decode input, encode output) and clients
(encode input, decode output). Mapping of model types to C++:
  structure → struct (member names in snake_case, as boto3 spells them)
  required member → T; other members → std::optional<T>
  list → std::vector<T>; map → std::map<std::string, T>
  string with enum → EnumValue<E> (keeps unrecognised text); other string → std::string
  blob → Bytes; timestamp → TimePoint; integer → int32_t; long → int64_t;
  float/double → double; boolean → bool; document → Document
Streaming payload members (S3 object bodies) and event streams are not part of
the structs: they travel beside them.

Usage: gen_api.py OUTDIR [MODELS_DIR]
"""

import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_models  # noqa: E402

CPP_KEYWORDS = {
    "alignas", "alignof", "and", "and_eq", "asm", "auto", "bitand", "bitor", "bool", "break", "case", "catch",
    "char", "class", "compl", "concept", "const", "consteval", "constexpr", "constinit", "const_cast", "continue",
    "co_await", "co_return", "co_yield", "decltype", "default", "delete", "do", "double", "dynamic_cast", "else",
    "enum", "explicit", "export", "extern", "false", "float", "for", "friend", "goto", "if", "inline", "int",
    "long", "mutable", "namespace", "new", "noexcept", "not", "not_eq", "nullptr", "operator", "or", "or_eq",
    "private", "protected", "public", "register", "reinterpret_cast", "requires", "return", "short", "signed",
    "sizeof", "static", "static_assert", "static_cast", "struct", "switch", "template", "this", "thread_local",
    "throw", "true", "try", "typedef", "typeid", "typename", "union", "unsigned", "using", "virtual", "void",
    "volatile", "wchar_t", "while", "xor", "xor_eq", "errno", "assert", "NULL", "EOF", "major", "minor",
}

_first_cap = re.compile(r"(.)([A-Z][a-z]+)")
_end_cap = re.compile(r"([a-z0-9])([A-Z])")


def snake(name):
    s = _end_cap.sub(r"\1_\2", _first_cap.sub(r"\1_\2", name)).lower()
    s = re.sub(r"[^a-z0-9_]", "_", s)
    if s[0].isdigit():
        s = "_" + s
    return s + "_" if s in CPP_KEYWORDS else s


def enum_ident(value):
    words = [w for w in re.split(r"[^A-Za-z0-9]+", value) if w]
    if not words:
        return "kEmpty"
    # "SYMMETRIC_DEFAULT" → SymmetricDefault; "BucketOwnerEnforced" keeps its humps.
    out = "".join(w[0].upper() + (w[1:] if any(c.islower() for c in w) else w[1:].lower()) for w in words)
    return "k" + out


def cpp_string(s):
    return json.dumps(s)


class Generator:
    def __init__(self, service, model, version):
        self.service = service
        self.model = model
        self.version = version
        self.shapes = model["shapes"]
        self.structs = sorted(n for n, s in self.shapes.items() if s["type"] == "structure")
        self.enums = sorted(n for n, s in self.shapes.items() if s["type"] == "string" and s.get("enum"))

    # --- types -----------------------------------------------------------
    def is_skipped(self, ref):
        shape = self.shapes[ref["shape"]]
        return ref.get("streaming") or shape.get("eventstream") or ref.get("eventpayload") and shape["type"] == "blob"

    def cpp_type(self, shape_name):
        s = self.shapes[shape_name]
        t = s["type"]
        if t == "structure":
            return shape_name
        if t == "list":
            return "std::vector<%s>" % self.cpp_type(s["member"]["shape"])
        if t == "map":
            return "std::map<std::string, %s>" % self.cpp_type(s["value"]["shape"])
        if t == "string":
            return "::ck::EnumValue<%s>" % shape_name if s.get("enum") else "std::string"
        if t == "blob":
            return "::ck::Bytes"
        if t == "timestamp":
            return "::ck::TimePoint"
        if t == "integer":
            return "int32_t"
        if t == "long":
            return "int64_t"
        if t in ("float", "double"):
            return "double"
        if t == "boolean":
            return "bool"
        if s.get("document") or t == "document":
            return "::ck::Document"
        raise ValueError("%s: unsupported shape type %s for %s" % (self.service, t, shape_name))

    def members(self, struct_name):
        s = self.shapes[struct_name]
        required = set(s.get("required", []))
        out, used = [], set()
        for name, ref in s.get("members", []):
            if self.is_skipped(ref):
                continue
            field = snake(name)
            while field in used:
                field += "_"
            used.add(field)
            out.append((name, field, ref["shape"], name in required))
        return out

    def direct_deps(self, struct_name):
        """Structures this one holds by value (needs their complete type)."""
        return {shape for _, _, shape, _ in self.members(struct_name) if self.shapes[shape]["type"] == "structure"}

    def container_deps(self, struct_name):
        """Structures this one holds in lists or maps. std::map's value type
        must be complete where the holder is (clang with libstdc++ refuses a
        defaulted operator== otherwise), so these come first too, except
        where they lead back to a structure being defined (recursion, as
        DynamoDB's AttributeValue, goes through containers)."""
        out = set()

        def walk(shape, top):
            s = self.shapes[shape]
            if s["type"] == "structure":
                if not top:
                    out.add(shape)
            elif s["type"] == "list":
                walk(s["member"]["shape"], False)
            elif s["type"] == "map":
                walk(s["value"]["shape"], False)

        for _, _, shape, _ in self.members(struct_name):
            walk(shape, True)
        return out

    def ordered_structs(self):
        order, state = [], {}

        # stack: (structure, held by value by the next one) pairs.
        def visit(n, stack):
            if state.get(n) == 2:
                return
            if state.get(n) == 1:
                names = [m for m, _ in stack]
                if all(by_value for _, by_value in stack[names.index(n):]):
                    raise ValueError("%s: structure cycle by value: %s" % (self.service, " -> ".join(names + [n])))
                return  # a cycle through a container: the order cannot honour it
            state[n] = 1
            for d in sorted(self.direct_deps(n)):
                visit(d, stack + [(n, True)])
            for d in sorted(self.container_deps(n) - self.direct_deps(n)):
                visit(d, stack + [(n, False)])
            state[n] = 2
            order.append(n)

        for n in self.structs:
            visit(n, [])
        return order

    # --- header ----------------------------------------------------------
    def header(self):
        svc = self.service
        o = ["// Generated by scripts/gen_api.py from models/%s.json (%s). Do not edit." % (svc, self.version),
             "//",
             "// Typed shapes of the %s API: see src/api/support.h for the type mapping." % svc,
             "#pragma once", "",
             "#include <cstdint>", "#include <map>", "#include <optional>", "#include <span>",
             "#include <string>", "#include <string_view>", "#include <vector>", "",
             '#include "api/support.h"', "",
             "namespace ck::api::%s {" % svc, ""]
        for e in self.enums:
            values = self.shapes[e]["enum"]
            idents, used = [], {"kUnrecognized"}
            for v in values:
                ident = enum_ident(v)
                while ident in used:
                    ident += "_"
                used.add(ident)
                idents.append(ident)
            o.append("enum class %s : uint16_t {" % e)
            o.append("  kUnrecognized,")
            for ident, v in zip(idents, values):
                o.append("  %s,  // %s" % (ident, v))
            o.append("};")
            o.append("inline constexpr std::string_view k%sNames[] = {\"\", %s};" %
                     (e, ", ".join(cpp_string(v) for v in values)))
            o.append("constexpr std::span<const std::string_view> EnumNames(%s) { return k%sNames; }" % (e, e))
            o.append("")
        for n in self.structs:
            o.append("struct %s;" % n)
        o.append("")
        for n in self.ordered_structs():
            o.append("struct %s {" % n)
            for name, field, shape, req in self.members(n):
                t = self.cpp_type(shape)
                decl = t if req else "std::optional<%s>" % t
                o.append("  %s %s;  // %s" % (decl, field, name))
            o.append("  bool operator==(const %s&) const = default;" % n)
            o.append("};")
        o.append("")
        for n in self.structs:
            o.append("CK_DECLARE_FIELDS(%s);" % n)
        o.append("")
        o.append("// Operations: name, input and output types (Empty when the model has none).")
        o.append("namespace ops {")
        for name in sorted(self.model["operations"]):
            op = self.model["operations"][name]
            inp = op.get("input", {}).get("shape", "::ck::api::Empty")
            out = op.get("output", {}).get("shape", "::ck::api::Empty")
            o.append("struct %s {" % name)
            o.append("  static constexpr std::string_view kName = %s;" % cpp_string(name))
            o.append("  using Input = %s;" % inp)
            o.append("  using Output = %s;" % out)
            o.append("};")
        o.append("}  // namespace ops")
        o.append("")
        o.append("}  // namespace ck::api::%s" % svc)
        return "\n".join(o) + "\n"

    # --- source ----------------------------------------------------------
    def source(self):
        svc = self.service
        o = ["// Generated by scripts/gen_api.py from models/%s.json (%s). Do not edit." % (svc, self.version),
             '#include "api/%s.h"' % svc, "",
             "namespace ck::api::%s {" % svc, "", "namespace {", ""]
        for n in self.structs:
            o.append("template <class V, class S>")
            o.append("void %sMembers(V& v, S& s) {" % n)
            members = self.members(n)
            if not members:
                o.append("  (void)v;")
                o.append("  (void)s;")
            for name, field, _, req in members:
                o.append("  v(%s, s.%s, %s);" % (cpp_string(name), field, "true" if req else "false"))
            o.append("}")
        o.append("")
        o.append("}  // namespace")
        o.append("")
        for n in self.structs:
            o.append("CK_DEFINE_FIELDS(%s, %sMembers)" % (n, n))
        o.append("")
        o.append("}  // namespace ck::api::%s" % svc)
        return "\n".join(o) + "\n"


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    outdir = os.path.join(sys.argv[1], "api")
    models_dir = sys.argv[2] if len(sys.argv) > 2 else gen_models.DEFAULT_MODELS_DIR
    version = gen_models.pinned_version(models_dir)
    for service in gen_models.SERVICES:
        g = Generator(service, gen_models.load_pinned(models_dir, service), version)
        gen_models.write_if_changed(os.path.join(outdir, service + ".h"), g.header())
        gen_models.write_if_changed(os.path.join(outdir, service + ".cpp"), g.source())


if __name__ == "__main__":
    main()
