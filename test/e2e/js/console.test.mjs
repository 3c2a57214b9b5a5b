// The web console (/_crosskey/ui/) in a browser: playwright-core driving
// Debian's chromium against a crosskey started here, after seed_situation.py
// made the seed's situation through boto3 (account 1's bucket1 defaults to
// alias/my-key; account 2's role2 writes an object, which lands under account
// 2's own alias/my-key; a second one names account 1's key by ARN).
// Run: CROSSKEY_BIN=.../crosskey node --test test/e2e/js/console.test.mjs
// Screenshots go to $CROSSKEY_TEST_ARTIFACTS (CTest: <build>/test-artifacts),
// else a new temporary directory; each path is printed.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, openSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";

const HERE = new URL(".", import.meta.url).pathname;
const BIN = process.env.CROSSKEY_BIN || path.join(HERE, "../../../build/src/exe/crosskey");
const CHROMIUM = process.env.CHROMIUM_BIN || "/usr/bin/chromium";
const A1 = "111111111111", A2 = "222222222222";

let proc, endpoint, browser, seed, artifacts;

function artifactDir() {
  const dir = process.env.CROSSKEY_TEST_ARTIFACTS;
  if (!dir) return mkdtempSync(path.join(tmpdir(), "crosskey-console-"));
  mkdirSync(dir, { recursive: true });
  return dir;
}

async function screenshot(page, name) {
  const file = path.join(artifacts, name);
  await page.screenshot({ path: file, fullPage: true });
  console.log(`screenshot: ${file}`);
}

before(async () => {
  artifacts = artifactDir();
  // The server's log beside the screenshots.
  const log = openSync(path.join(artifacts, "console-crosskey.log"), "w");
  proc = spawn(BIN, ["serve", "--port", "0", "--memory"], { stdio: ["ignore", "pipe", log] });
  endpoint = await new Promise((resolve, reject) => {
    let buf = "";
    proc.stdout.on("data", (d) => {
      buf += d;
      const m = buf.match(/crosskey ready on port (\d+)/);
      if (m) resolve(`http://127.0.0.1:${m[1]}`);
    });
    proc.on("exit", (code) => reject(new Error(`crosskey exited ${code}`)));
  });
  seed = JSON.parse(execFileSync("python3", [path.join(HERE, "seed_situation.py"), endpoint], { encoding: "utf8" }));
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
});

after(async () => {
  if (browser) await browser.close();
  if (proc) proc.kill();
});

async function newPage() {
  const page = await browser.newPage({ viewport: { width: 1280, height: 520 } });
  const problems = [];
  page.on("pageerror", (e) => problems.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error") problems.push(m.text()); });
  page.on("response", (r) => { if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`); });
  return { page, problems };
}

test("the mismatched object is found from the bucket page and its decision record opens", async () => {
  const { page, problems } = await newPage();
  await page.goto(`${endpoint}/_crosskey/ui/#/buckets`);
  await page.click('a[href="#/buckets/bucket1"]');
  await page.waitForSelector("#objects");
  // The writer the policy admits, its mode in words.
  const card = await page.locator(".card").first().textContent();
  assert.match(card, /arn:aws:iam::222222222222:role\/role2/);
  assert.match(card, /silently encrypted under the writer's own key/);
  assert.equal(await page.locator("#objects tr[data-key]").count(), 3);

  await page.check("#only");
  await page.waitForFunction(() => location.hash.includes("mismatch=1") &&
                                    document.querySelectorAll("#objects tr[data-key]").length === 1);
  const row = page.locator("#objects tr[data-key]");
  assert.equal(await row.getAttribute("data-key"), seed.mismatched);
  assert.equal(await row.getAttribute("data-finding"), "foreign-customer-key");
  const text = await row.textContent();
  assert.ok(text.includes(seed.k2.split("/")[1]), `the object's key is account 2's: ${text}`);
  assert.match(text, /assumed-role\/role2\/writer/);
  await screenshot(page, "console-bucket-mismatches.png");

  await row.locator("a.explain-link").click();
  await page.waitForSelector("h1:has-text('Decision record')");
  assert.equal(await page.locator("h1 code").textContent(), seed.request_id);
  const record = await page.locator("main").textContent();
  assert.match(record, /PutObject/);
  assert.match(record, /alias\/my-key/);
  assert.ok(record.includes(seed.k2), "the record shows the reference resolving to account 2's key");
  await screenshot(page, "console-decision-record.png");
  assert.deepEqual(problems, []);
  await page.close();
});

test("the map draws both accounts' alias/my-key", async () => {
  const { page, problems } = await newPage();
  await page.goto(`${endpoint}/_crosskey/ui/#/map`);
  await page.waitForSelector("svg#map");
  const keys = await page.$$eval('svg#map g[data-kind="key"]', (gs) =>
    gs.map((g) => ({ account: g.dataset.account, aliases: g.dataset.alias.split(" "), text: g.textContent })));
  const myKeys = keys.filter((k) => k.aliases.includes("alias/my-key"));
  assert.deepEqual(myKeys.map((k) => k.account).sort(), [A1, A2]);
  for (const k of myKeys) assert.match(k.text, /alias\/my-key/);
  // bucket1's arrow to account 2's key is drawn as a mismatch; account 2 may write to bucket1.
  const edges = await page.$$eval("svg#map path[data-edge]", (ps) =>
    ps.map((p) => ({ kind: p.dataset.edge, from: p.dataset.from, to: p.dataset.to, mismatch: p.dataset.mismatch })));
  assert.ok(edges.some((e) => e.kind === "encrypts-with" && e.from === "bucket:bucket1" &&
                              e.to === "key:" + seed.k2 && e.mismatch === "true"), JSON.stringify(edges));
  assert.ok(edges.some((e) => e.kind === "encrypts-with" && e.to === "key:" + seed.k1 && e.mismatch === "false"));
  assert.ok(edges.some((e) => e.kind === "may-write" && e.from === "account:" + A2 && e.to === "bucket:bucket1"));
  await screenshot(page, "console-map.png");
  assert.deepEqual(problems, []);
  await page.close();
});

test("an event's shared id shows the copy delivered to the other account", async () => {
  const { page, problems } = await newPage();
  await page.goto(`${endpoint}/_crosskey/ui/#/events/${A2}`);
  await page.waitForSelector("#events");
  const shared = page.locator("#events a.shared").first();
  await shared.click();
  await page.waitForSelector("#pair .card");
  const pair = await page.locator("#pair").textContent();
  assert.match(pair, new RegExp(`to account ${A1}`));
  assert.match(pair, new RegExp(`to account ${A2}`));
  assert.deepEqual(problems, []);
  await page.close();
});
