#!/usr/bin/env python3
"""crosskey's AWS service models: pinned copies in models/, embedded at build time.

The models are botocore's service-2 models with everything the codecs do not
need stripped (documentation, endpoint rules, examples). They are checked into
the repository (models/<service>.json, models/VERSION) so that a host's
botocore upgrade never changes validation or shapes silently; `make models`
refreshes them from the installed botocore, and the diff shows what changed.

Usage:
  gen_models.py update [MODELS_DIR]    botocore -> models/*.json + models/VERSION
  gen_models.py embed OUTPUT.cpp       models/*.json -> C++ string literals

Structure members are kept as [name, ref] pairs so their model order (the XML
element order, and the order AWS reports validation errors in) survives a JSON
parser that sorts object keys.
"""

import json
import os
import subprocess
import sys

SERVICES = ["s3", "kms", "sts", "iam", "dynamodb", "secretsmanager", "cloudtrail"]
CHUNK = 60000
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_MODELS_DIR = os.path.join(ROOT, "models")

# S3 output shapes carry their XML root element name only in the Smithy model
# (@xmlName); botocore's JSON drops it because a client never needs it. A
# server does, so it is restored here. Shapes not listed fall back to the
# rule in C++ (payload member's name, or the shape name with Output→Result).
S3_OUTPUT_ROOTS = {
    "ListObjectsOutput": "ListBucketResult",
    "ListObjectsV2Output": "ListBucketResult",
    "ListObjectVersionsOutput": "ListVersionsResult",
    "ListBucketsOutput": "ListAllMyBucketsResult",
    "ListDirectoryBucketsOutput": "ListAllMyDirectoryBucketsResult",
    "CreateMultipartUploadOutput": "InitiateMultipartUploadResult",
    "CompleteMultipartUploadOutput": "CompleteMultipartUploadResult",
    "ListMultipartUploadsOutput": "ListMultipartUploadsResult",
    "ListPartsOutput": "ListPartsResult",
    "DeleteObjectsOutput": "DeleteResult",
    "GetBucketAclOutput": "AccessControlPolicy",
    "GetObjectAclOutput": "AccessControlPolicy",
    "GetBucketTaggingOutput": "Tagging",
    "GetObjectTaggingOutput": "Tagging",
    "GetBucketVersioningOutput": "VersioningConfiguration",
    "GetBucketCorsOutput": "CORSConfiguration",
    "GetBucketLifecycleOutput": "LifecycleConfiguration",
    "GetBucketLifecycleConfigurationOutput": "LifecycleConfiguration",
    "GetBucketNotificationConfigurationRequest": "NotificationConfiguration",
    "NotificationConfiguration": "NotificationConfiguration",
    "NotificationConfigurationDeprecated": "NotificationConfiguration",
    "GetBucketWebsiteOutput": "WebsiteConfiguration",
    "GetBucketLoggingOutput": "BucketLoggingStatus",
    "GetBucketRequestPaymentOutput": "RequestPaymentConfiguration",
    "GetBucketAccelerateConfigurationOutput": "AccelerateConfiguration",
    "GetBucketLocationOutput": "LocationConstraint",
    "GetObjectAttributesOutput": "GetObjectAttributesResponse",
    "ListBucketAnalyticsConfigurationsOutput": "ListBucketAnalyticsConfigurationResult",
    "ListBucketInventoryConfigurationsOutput": "ListInventoryConfigurationsResult",
    "ListBucketMetricsConfigurationsOutput": "ListMetricsConfigurationsResult",
    "ListBucketIntelligentTieringConfigurationsOutput": "ListBucketIntelligentTieringConfigurationsOutput",
    "CreateSessionOutput": "CreateSessionResult",
}

# The order in which AWS lists an enum's values in a validation error ("Member
# must satisfy enum value set: [...]"), where it differs from the model's and
# was recorded against AWS. It applies only while the model's set of values is
# the recorded one: a model update that adds values falls back to the model's
# order (AWS's new order is unknown) and says so.
ENUM_ORDER = {
    # LocalStack tests/aws/services/kms/test_kms.snapshot.json, test_invalid_generate_mac (aws.validated).
    ("kms", "MacAlgorithmSpec"): ["HMAC_SHA_384", "HMAC_SHA_256", "HMAC_SHA_224", "HMAC_SHA_512"],
}

META_KEYS = ["apiVersion", "endpointPrefix", "jsonVersion", "protocol", "signingName",
             "targetPrefix", "xmlNamespace", "serviceId", "globalEndpoint", "uid"]
REF_KEYS = ["shape", "location", "locationName", "xmlNamespace", "xmlAttribute", "flattened",
            "queryName", "jsonvalue", "hostLabel", "streaming", "eventpayload",
            "idempotencyToken", "resultWrapper"]
SHAPE_KEYS = ["type", "required", "min", "max", "pattern", "enum", "timestampFormat", "payload",
              "xmlNamespace", "error", "exception", "fault", "flattened", "locationName",
              "eventstream", "event", "union", "sensitive", "document", "requiresLength"]


def pick(d, keys):
    return {k: d[k] for k in keys if k in d}


def compact_ref(ref):
    return pick(ref, REF_KEYS)


def compact_shape(name, shape, service):
    out = pick(shape, SHAPE_KEYS)
    if "members" in shape:
        out["members"] = [[m, compact_ref(r)] for m, r in shape["members"].items()]
    for k in ("member", "key", "value"):
        if k in shape:
            out[k] = compact_ref(shape[k])
    if service == "s3" and name in S3_OUTPUT_ROOTS and "locationName" not in out:
        out["locationName"] = S3_OUTPUT_ROOTS[name]
    order = ENUM_ORDER.get((service, name))
    if order and "enum" in out:
        if sorted(order) == sorted(out["enum"]):
            out["enum"] = list(order)
        else:
            print("gen_models.py: %s %s has other values than AWS's recorded order; model order kept"
                  % (service, name), file=sys.stderr)
    return out


def compact_operation(op):
    out = {"name": op["name"], "http": pick(op.get("http", {}), ["method", "requestUri", "responseCode"])}
    if "input" in op:
        out["input"] = compact_ref(op["input"])
    if "output" in op:
        out["output"] = compact_ref(op["output"])
    if op.get("errors"):
        out["errors"] = [e["shape"] for e in op["errors"]]
    if op.get("deprecated"):
        out["deprecated"] = True
    hc = op.get("httpChecksum")
    if hc:
        out["httpChecksum"] = pick(hc, ["requestChecksumRequired", "requestAlgorithmMember"])
    return out


def compact_model(service, model):
    return {
        "metadata": pick(model["metadata"], META_KEYS),
        "operations": {n: compact_operation(o) for n, o in sorted(model["operations"].items())},
        "shapes": {n: compact_shape(n, s, service) for n, s in sorted(model["shapes"].items())},
    }


def dump_model(model):
    """One operation or shape per line: compact, yet a model update diffs readably."""
    def one(v):
        return json.dumps(v, separators=(",", ":"), sort_keys=False)
    lines = ['{"metadata":' + one(model["metadata"]) + ',', '"operations":{']
    ops = list(model["operations"].items())
    lines += [one(n) + ":" + one(o) + ("," if i + 1 < len(ops) else "") for i, (n, o) in enumerate(ops)]
    lines.append('},')
    lines.append('"shapes":{')
    shapes = list(model["shapes"].items())
    lines += [one(n) + ":" + one(s) + ("," if i + 1 < len(shapes) else "") for i, (n, s) in enumerate(shapes)]
    lines.append('}}')
    return "\n".join(lines) + "\n"


def load_pinned(models_dir, service):
    with open(os.path.join(models_dir, service + ".json")) as f:
        return json.load(f)


def pinned_version(models_dir):
    with open(os.path.join(models_dir, "VERSION")) as f:
        return f.readline().strip()  # "botocore 1.43.11"


def cmd_update(models_dir):
    try:
        import botocore
        import botocore.loaders
    except ImportError:
        sys.exit("gen_models.py update: needs botocore in %s" % sys.executable)
    loader = botocore.loaders.Loader()
    os.makedirs(models_dir, exist_ok=True)
    lines = ["botocore %s" % botocore.__version__]
    for service in SERVICES:
        model = loader.load_service_model(service, "service-2")
        api = model["metadata"].get("apiVersion", "")
        with open(os.path.join(models_dir, service + ".json"), "w") as f:
            f.write(dump_model(compact_model(service, model)))
        lines.append("%s %s" % (service, api))
    with open(os.path.join(models_dir, "VERSION"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("models/: %s" % ", ".join(lines))


def cpp_chunks(text):
    # Raw string literals need a delimiter absent from the text.
    delim = "ckm"
    assert ")" + delim + '"' not in text
    chunks = [text[i:i + CHUNK] for i in range(0, len(text), CHUNK)]
    return ['R"%s(%s)%s"' % (delim, c, delim) for c in chunks]


def write_if_changed(path, text):
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    try:
        with open(path) as f:
            if f.read() == text:
                return
    except OSError:
        pass
    with open(path, "w") as f:
        f.write(text)


def cmd_embed(output, models_dir):
    version = pinned_version(models_dir)
    parts = ["// Generated by scripts/gen_models.py from models/ (%s). Do not edit.\n" % version,
             '#include "wire/models_data.h"\n', "namespace ck::wire {\n", "namespace {\n"]
    table = []
    for i, service in enumerate(SERVICES):
        text = json.dumps(load_pinned(models_dir, service), separators=(",", ":"), sort_keys=False)
        chunks = cpp_chunks(text)
        parts.append("const char* const kChunks%d[] = {\n%s};\n" % (i, ",\n".join(chunks)))
        table.append('{"%s", kChunks%d, %d, %d}' % (service, i, len(chunks), len(text)))
    parts.append("}  // namespace\n")
    parts.append("const EmbeddedModel kEmbeddedModels[] = {\n  %s};\n" % ",\n  ".join(table))
    parts.append("const size_t kEmbeddedModelCount = %d;\n" % len(table))
    parts.append('const char* const kModelsVersion = "%s";\n' % version)
    parts.append("}  // namespace ck::wire\n")
    write_if_changed(output, "".join(parts))


def main():
    args = sys.argv[1:]
    if args and args[0] == "update":
        cmd_update(args[1] if len(args) > 1 else DEFAULT_MODELS_DIR)
    elif len(args) >= 2 and args[0] == "embed":
        cmd_embed(args[1], args[2] if len(args) > 2 else DEFAULT_MODELS_DIR)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
