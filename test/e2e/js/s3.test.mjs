// S3 through the AWS SDK for JavaScript v3 against a crosskey started here.
// Run: CROSSKEY_BIN=.../crosskey node --test test/e2e/js/s3.test.mjs
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import {
  S3Client, CreateBucketCommand, PutObjectCommand, GetObjectCommand, HeadObjectCommand,
  ListObjectsV2Command, DeleteObjectsCommand, CopyObjectCommand, CreateMultipartUploadCommand,
  UploadPartCommand, CompleteMultipartUploadCommand, PutBucketPolicyCommand,
} from "@aws-sdk/client-s3";

const BIN = process.env.CROSSKEY_BIN || new URL("../../../build/src/exe/crosskey", import.meta.url).pathname;
let proc, endpoint;

function client(account = "111111111111") {
  return new S3Client({
    endpoint, region: "us-east-1", forcePathStyle: true, maxAttempts: 1,
    credentials: { accessKeyId: account, secretAccessKey: "test" },
  });
}

before(async () => {
  proc = spawn(BIN, ["serve", "--port", "0", "--memory"], { stdio: ["ignore", "pipe", "ignore"] });
  endpoint = await new Promise((resolve, reject) => {
    let buf = "";
    proc.stdout.on("data", (d) => {
      buf += d;
      const m = buf.match(/crosskey ready on port (\d+)/);
      if (m) resolve(`http://127.0.0.1:${m[1]}`);
    });
    proc.on("exit", (code) => reject(new Error(`crosskey exited ${code}`)));
  });
});

after(() => proc.kill());

test("put, get, head, list, delete with the JS SDK (default CRC32 checksums)", async () => {
  const s3 = client();
  await s3.send(new CreateBucketCommand({ Bucket: "js-bucket" }));
  const body = "hello from js";
  const put = await s3.send(new PutObjectCommand({ Bucket: "js-bucket", Key: "a/b.txt", Body: body, ContentType: "text/plain" }));
  assert.equal(put.ETag, `"${createHash("md5").update(body).digest("hex")}"`);
  const got = await s3.send(new GetObjectCommand({ Bucket: "js-bucket", Key: "a/b.txt", ChecksumMode: "ENABLED" }));
  assert.equal(await got.Body.transformToString(), body);
  assert.equal(got.ContentType, "text/plain");
  const ranged = await s3.send(new GetObjectCommand({ Bucket: "js-bucket", Key: "a/b.txt", Range: "bytes=6-9" }));
  assert.equal(await ranged.Body.transformToString(), "from");
  assert.equal(ranged.ContentRange, "bytes 6-9/13");
  const head = await s3.send(new HeadObjectCommand({ Bucket: "js-bucket", Key: "a/b.txt" }));
  assert.equal(head.ContentLength, body.length);
  await s3.send(new PutObjectCommand({ Bucket: "js-bucket", Key: "a/c.txt", Body: "c", ChecksumAlgorithm: "CRC32C" }));
  const list = await s3.send(new ListObjectsV2Command({ Bucket: "js-bucket", Delimiter: "/" }));
  assert.deepEqual(list.CommonPrefixes.map((p) => p.Prefix), ["a/"]);
  await s3.send(new CopyObjectCommand({ Bucket: "js-bucket", Key: "copy.txt", CopySource: "js-bucket/a/b.txt" }));
  const del = await s3.send(new DeleteObjectsCommand({ Bucket: "js-bucket", Delete: { Objects: [{ Key: "a/b.txt" }, { Key: "a/c.txt" }] } }));
  assert.equal(del.Deleted.length, 2);
  const after = await s3.send(new ListObjectsV2Command({ Bucket: "js-bucket" }));
  assert.deepEqual(after.Contents.map((o) => o.Key), ["copy.txt"]);
});

test("errors carry S3 codes", async () => {
  const s3 = client();
  await assert.rejects(s3.send(new GetObjectCommand({ Bucket: "js-bucket", Key: "missing" })),
    (e) => e.name === "NoSuchKey" && e.$metadata.httpStatusCode === 404);
  await assert.rejects(s3.send(new GetObjectCommand({ Bucket: "no-such-bucket-js", Key: "k" })),
    (e) => e.name === "NoSuchBucket");
  await assert.rejects(client("222222222222").send(new PutObjectCommand({ Bucket: "js-bucket", Key: "x", Body: "x" })),
    (e) => e.name === "AccessDenied" && e.$metadata.httpStatusCode === 403);
});

test("cross-account put allowed by a bucket policy", async () => {
  const policy = {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::222222222222:root" }, Action: "s3:PutObject", Resource: "arn:aws:s3:::js-bucket/*" }],
  };
  await client().send(new PutBucketPolicyCommand({ Bucket: "js-bucket", Policy: JSON.stringify(policy) }));
  await client("222222222222").send(new PutObjectCommand({ Bucket: "js-bucket", Key: "from2", Body: "x" }));
  const got = await client().send(new GetObjectCommand({ Bucket: "js-bucket", Key: "from2" }));
  assert.equal(await got.Body.transformToString(), "x");
});

test("multipart upload", async () => {
  const s3 = client();
  const parts = [randomBytes(5 * 1024 * 1024), randomBytes(1000)];
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: "js-bucket", Key: "mp" }));
  const done = [];
  for (let i = 0; i < parts.length; i++) {
    const r = await s3.send(new UploadPartCommand({ Bucket: "js-bucket", Key: "mp", UploadId, PartNumber: i + 1, Body: parts[i] }));
    done.push({ PartNumber: i + 1, ETag: r.ETag });
  }
  const c = await s3.send(new CompleteMultipartUploadCommand({ Bucket: "js-bucket", Key: "mp", UploadId, MultipartUpload: { Parts: done } }));
  assert.match(c.ETag, /-2"$/);
  const got = await s3.send(new GetObjectCommand({ Bucket: "js-bucket", Key: "mp" }));
  const bytes = Buffer.from(await got.Body.transformToByteArray());
  assert.ok(bytes.equals(Buffer.concat(parts)));
});
