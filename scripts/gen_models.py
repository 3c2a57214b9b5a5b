#!/usr/bin/env python3
"""Generates crosskey's embedded AWS service models (build time).

Loads the newest service-2 model of each service from botocore, keeps only what
the wire codecs need (no documentation, no endpoint rules), and writes a C++
file holding each model as compact JSON split into string-literal chunks
(< 60 KB each, under compiler string-literal limits).

Structure members are emitted as [name, ref] pairs so their model order (which
is the XML element order and the order AWS reports validation errors in)
survives a JSON parser that sorts object keys.

Usage: gen_models.py OUTPUT.cpp
"""

import json
import os
import subprocess
import sys

SERVICES = ["s3", "kms", "sts", "iam", "dynamodb", "secretsmanager", "cloudtrail"]
CHUNK = 60000

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

META_KEYS = ["apiVersion", "endpointPrefix", "jsonVersion", "protocol", "signingName",
             "targetPrefix", "xmlNamespace", "serviceId", "globalEndpoint", "uid"]
REF_KEYS = ["shape", "location", "locationName", "xmlNamespace", "xmlAttribute", "flattened",
            "queryName", "jsonvalue", "hostLabel", "streaming", "eventpayload",
            "idempotencyToken", "resultWrapper"]
SHAPE_KEYS = ["type", "required", "min", "max", "pattern", "enum", "timestampFormat", "payload",
              "xmlNamespace", "error", "exception", "fault", "flattened", "locationName",
              "eventstream", "event", "union", "sensitive", "document", "requiresLength"]


def ensure_botocore():
    try:
        import botocore.loaders  # noqa: F401
        return
    except ImportError:
        pass
    # CMake's python may lack botocore while Debian's python3-botocore is there.
    fallback = "/usr/bin/python3"
    if os.environ.get("CK_GEN_MODELS_REEXEC") != "1" and os.path.exists(fallback) \
            and os.path.realpath(fallback) != os.path.realpath(sys.executable):
        env = dict(os.environ, CK_GEN_MODELS_REEXEC="1")
        sys.exit(subprocess.call([fallback, os.path.abspath(__file__)] + sys.argv[1:], env=env))
    sys.exit("gen_models.py: cannot import botocore with %s (nor /usr/bin/python3). "
             "Install it: pip install botocore, or apt-get install python3-botocore." % sys.executable)


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
        "operations": {n: compact_operation(o) for n, o in model["operations"].items()},
        "shapes": {n: compact_shape(n, s, service) for n, s in model["shapes"].items()},
    }


def cpp_chunks(text):
    # Raw string literals need a delimiter absent from the text.
    delim = "ckm"
    assert ")" + delim + '"' not in text
    chunks = [text[i:i + CHUNK] for i in range(0, len(text), CHUNK)]
    return ['R"%s(%s)%s"' % (delim, c, delim) for c in chunks]


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: gen_models.py OUTPUT.cpp")
    ensure_botocore()
    import botocore
    import botocore.loaders
    loader = botocore.loaders.Loader()
    parts = ["// Generated by scripts/gen_models.py from botocore %s. Do not edit.\n" % botocore.__version__,
             '#include "wire/models_data.h"\n', "namespace ck::wire {\n", "namespace {\n"]
    table = []
    for i, service in enumerate(SERVICES):
        model = loader.load_service_model(service, "service-2")
        text = json.dumps(compact_model(service, model), separators=(",", ":"), sort_keys=False)
        chunks = cpp_chunks(text)
        parts.append("const char* const kChunks%d[] = {\n%s};\n" % (i, ",\n".join(chunks)))
        table.append('{"%s", kChunks%d, %d, %d}' % (service, i, len(chunks), len(text)))
    parts.append("}  // namespace\n")
    parts.append("const EmbeddedModel kEmbeddedModels[] = {\n  %s};\n" % ",\n  ".join(table))
    parts.append("const size_t kEmbeddedModelCount = %d;\n" % len(table))
    parts.append("}  // namespace ck::wire\n")
    out = "".join(parts)
    os.makedirs(os.path.dirname(os.path.abspath(sys.argv[1])), exist_ok=True)
    # Rewrite only on change so an unchanged model does not trigger a rebuild.
    try:
        with open(sys.argv[1]) as f:
            if f.read() == out:
                return
    except OSError:
        pass
    with open(sys.argv[1], "w") as f:
        f.write(out)


if __name__ == "__main__":
    main()
