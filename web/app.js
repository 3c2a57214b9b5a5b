// crosskey console: who encrypted what, with whose key, across accounts.
// Plain JavaScript over the JSON admin API (docs/admin-api.md); no build step.
"use strict";

const API = "/_crosskey/api";
const main = document.getElementById("main");

function esc(s) {
  return String(s ?? "").replace(/[&<>"']/g, c => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]));
}
function el(html) { const t = document.createElement("template"); t.innerHTML = html.trim(); return t.content; }
function short(arn) { return arn ? arn.replace(/^arn:aws:kms:[^:]*:/, "") : ""; }
function accountOf(arn) { const p = String(arn || "").split(":"); return p.length > 4 ? p[4] : ""; }
const palette = ["var(--acct1)", "var(--acct2)", "var(--acct3)", "var(--acct4)"];
const accountColors = {};
function colorOf(account) {
  if (!(account in accountColors)) accountColors[account] = palette[Object.keys(accountColors).length % palette.length];
  return accountColors[account];
}
function acct(account) {
  return account ? `<span class="acct" style="color:${colorOf(account)}">${esc(account)}</span>` : '<span class="muted">—</span>';
}

async function get(path) {
  const r = await fetch(path, {headers: {"Accept": "application/json"}});
  const body = await r.json().catch(() => ({}));
  if (!r.ok) throw new Error(body.error || r.status + " " + r.statusText);
  return body;
}

const MODE = {
  "safe": ["ok", "safe: key named by ARN"],
  "put-fails": ["bad", "writer's PutObject fails (KMS.NotFoundException)"],
  "writer-key": ["bad", "silently encrypted under the writer's own key"],
  "writer-aws-s3": ["bad", "encrypted under the writer's aws/s3"],
  "unknown": ["warn", "resolves in the writer's account"],
  "sse-s3": ["ok", "SSE-S3"],
};
function modePill(mode) {
  const [cls, text] = MODE[mode] || ["warn", mode];
  return `<span class="pill ${cls}" title="${esc(mode)}">${esc(text)}</span>`;
}
function decryptPill(v) {
  return `<span class="pill ${v === "yes" ? "ok" : v === "no" ? "bad" : "warn"}">${esc(v)}</span>`;
}
function findingPill(f) {
  if (!f) return '<span class="pill ok">as intended</span>';
  return `<span class="pill ${f === "sse-s3-where-kms-required" ? "warn" : "bad"}">${esc(f)}</span>`;
}

// --- pages ----------------------------------------------------------------

async function accountsPage() {
  const {accounts} = await get(API + "/accounts");
  const cards = accounts.map(a => `
    <div class="card" data-account="${esc(a.id)}">
      <h2>Account ${acct(a.id)}</h2>
      <table><tr><th>Alias</th><th>Key</th><th>Manager</th><th>State</th></tr>
      ${a.keys.map(k => `<tr data-kind="key" data-alias="${esc((k.aliases || []).join(" "))}">
          <td>${(k.aliases || []).map(x => `<code class="alias">${esc(x)}</code>`).join("<br>") || '<span class="muted">(none)</span>'}</td>
          <td><code title="${esc(k.arn)}">${esc(k.key_id)}</code></td>
          <td>${esc(k.manager)}</td><td>${esc(k.state)}</td></tr>`).join("")}
      </table>
      <h2>Roles</h2>${a.roles.length ? a.roles.map(r => `<code>${esc(r.arn)}</code>`).join("<br>") : '<span class="muted">none</span>'}
      <h2>Users</h2>${a.users.length ? a.users.map(u => `<code>${esc(u.arn)}</code>`).join("<br>") : '<span class="muted">none</span>'}
    </div>`).join("");
  main.replaceChildren(el(`<h1>Accounts</h1>
    <p class="muted">Keys with their aliases: the same alias name in two accounts names two different keys.</p>
    <div class="grid">${cards || '<p class="muted">No accounts have keys, roles or users yet.</p>'}</div>`));
}

async function bucketsPage() {
  const {buckets} = await get(API + "/buckets");
  const rows = buckets.map(b => `<tr>
      <td><a href="#/buckets/${encodeURIComponent(b.name)}">${esc(b.name)}</a></td>
      <td>${acct(b.owner)}</td>
      <td>${esc(b.default_encryption.algorithm)}${b.default_encryption.kms_master_key_id ?
        `<br><code>${esc(b.default_encryption.kms_master_key_id)}</code> <span class="muted">(${esc(b.default_encryption.reference_kind)})</span>` : ""}</td>
      <td><code>${esc(short(b.owner_resolution.key_arn))}</code> <span class="muted">${b.owner_resolution.key_arn ? "" : esc(b.owner_resolution.note)}</span></td>
      <td>${b.writers.length ? b.writers.map(w => `${acct(w.account)} ${modePill(w.mode)}`).join("<br>") : '<span class="muted">owner only</span>'}</td>
      <td>${b.mismatches ? `<span class="pill bad">${b.mismatches}</span>` : '<span class="pill ok">0</span>'}</td></tr>`).join("");
  main.replaceChildren(el(`<h1>Buckets</h1>
    <table><tr><th>Bucket</th><th>Owner</th><th>Default encryption (as written)</th><th>Resolves for the owner</th>
    <th>Writers from other accounts</th><th>Objects under another account's key</th></tr>${rows}</table>`));
}

async function bucketPage(name, onlyMismatches) {
  const b = await get(API + "/buckets/" + encodeURIComponent(name));
  const {objects, truncated} = await get(API + "/buckets/" + encodeURIComponent(name) + "/objects" + (onlyMismatches ? "?mismatch=1" : ""));
  const writers = b.writers.map(w => `<li>${esc(w.principal)} (account ${acct(w.account)}): ${modePill(w.mode)}<br>
      <span class="muted">${esc(w.explanation)}</span>${w.resolves_to ? `<br>resolves there to <code>${esc(w.resolves_to)}</code>` : ""}</li>`).join("");
  const rows = objects.map(o => `<tr class="${o.finding ? "mismatch" : ""}" data-key="${esc(o.key)}" data-finding="${esc(o.finding || "")}">
      <td><code>${esc(o.key)}</code>${o.version_id !== "null" ? `<br><span class="muted mono">${esc(o.version_id)}</span>` : ""}</td>
      <td>${esc(o.sse || "none")}</td><td><code title="${esc(o.key_arn)}">${esc(short(o.key_arn))}</code></td><td>${acct(o.key_account)}</td>
      <td>${o.writer ? `<code>${esc(o.writer)}</code>` : '<span class="muted">not recorded</span>'}</td><td>${findingPill(o.finding)}</td>
      <td>${decryptPill(o.owner_can_decrypt)}</td>
      <td>${o.request_id ? `<a class="explain-link" href="#/explain/${encodeURIComponent(o.request_id)}">decision</a>` : ""}</td></tr>`).join("");
  main.replaceChildren(el(`<h1>Bucket ${esc(b.name)}</h1>
    <div class="card">
      <div>Owner: ${acct(b.owner)} · region ${esc(b.region)}</div>
      <div>Default encryption as written: <b>${esc(b.default_encryption.algorithm)}</b>${b.default_encryption.configured ? "" : ' <span class="muted">(none configured: S3\'s default)</span>'}
        ${b.default_encryption.kms_master_key_id ? `<code>${esc(b.default_encryption.kms_master_key_id)}</code> (${esc(b.default_encryption.reference_kind)})` : ""}</div>
      <div>Resolved for the owner: ${b.owner_resolution.key_arn ? `<code>${esc(b.owner_resolution.key_arn)}</code> <span class="muted">(${esc(b.owner_resolution.note)})</span>`
        : `<span class="muted">${esc(b.owner_resolution.note)}</span>`}</div>
      ${b.mismatches ? `<div><span class="pill bad">${b.mismatches} object(s) under another account's key</span></div>` : ""}
      <h2>Writers the bucket policy admits</h2>
      ${writers ? `<ul>${writers}</ul>` : '<p class="muted">Only the owner\'s account.</p>'}
    </div>
    <div class="toolbar"><label><input type="checkbox" id="only" ${onlyMismatches ? "checked" : ""}> only mismatches</label>
      <span class="muted">${objects.length} object(s)${truncated ? " (the first " + objects.length + " in key order)" : ""}</span></div>
    <table id="objects"><tr><th>Key</th><th>SSE</th><th>Key used</th><th>Key's account</th><th>Writer</th><th>Finding</th>
    <th>Owner can decrypt</th><th></th></tr>${rows}</table>`));
  document.getElementById("only").addEventListener("change", e =>
    location.hash = "#/buckets/" + encodeURIComponent(name) + (e.target.checked ? "?mismatch=1" : ""));
}

async function eventsPage(account) {
  const {accounts} = await get(API + "/accounts");
  const ids = accounts.map(a => a.id);
  account = account || ids[0] || "";
  const data = account ? await get(API + "/events?account=" + encodeURIComponent(account)) : {events: []};
  const rows = data.events.map(e => `<tr data-shared="${esc(e.shared_event_id || "")}">
      <td class="mono">${esc(e.time)}</td><td>${esc(e.name)}</td><td><code>${esc(e.user_arn)}</code>${e.invoked_by ? `<br><span class="muted">via ${esc(e.invoked_by)}</span>` : ""}</td>
      <td><code>${esc(short(e.key_arn))}</code></td>
      <td>${e.shared_event_id ? `<a href="#" class="shared mono" data-shared="${esc(e.shared_event_id)}">${esc(e.shared_event_id.slice(0, 8))}</a>` : ""}</td>
      <td>${e.error_code ? `<span class="pill bad">${esc(e.error_code)}</span>` : '<span class="pill ok">ok</span>'}</td>
      <td>${e.request_id ? `<a href="#/explain/${encodeURIComponent(e.request_id)}">decision</a>` : ""}</td></tr>`).join("");
  main.replaceChildren(el(`<h1>CloudTrail events</h1>
    <div class="toolbar">Account: ${ids.map(id => `<a href="#/events/${id}">${id === account ? "<b>" + esc(id) + "</b>" : esc(id)}</a>`).join(" · ")}</div>
    <p class="muted">A KMS use across accounts is delivered to both accounts with one shared event id: pick one to see its pair.</p>
    <table id="events"><tr><th>Time</th><th>Event</th><th>Caller</th><th>Key</th><th>Shared id</th><th>Result</th><th></th></tr>${rows}</table>
    <div id="pair"></div>`));
  main.querySelectorAll("a.shared").forEach(a => a.addEventListener("click", async ev => {
    ev.preventDefault();
    const shared = a.dataset.shared;
    const pair = await get(API + "/events?shared_event_id=" + encodeURIComponent(shared));
    document.getElementById("pair").replaceChildren(el(`<div class="card"><h2>Delivered with shared id <code>${esc(shared)}</code></h2>
      ${pair.events.map(e => `<div>to account ${acct(e.recipient_account)}: ${esc(e.name)} by <code>${esc(e.user_arn)}</code> (event ${esc(e.event_id)})</div>`).join("")}</div>`));
  }));
}

async function explainPage(id) {
  const r = await get("/_crosskey/explain/" + encodeURIComponent(id) + "?format=json");
  const res = (r.key_resolutions || []).map(k => `<div class="step">Key reference <code>${esc(k.reference)}</code> as ${acct(k.caller_account)}
      in ${esc(k.region)}: <span class="verdict">${esc(k.outcome)}</span>${k.key_arn ? ` → <code>${esc(k.key_arn)}</code>` : ""}
      <ul>${(k.steps || []).map(s => `<li>${esc(s)}</li>`).join("")}</ul></div>`).join("");
  const dec = (r.decisions || []).map(d => `<div class="card"><div><b>${esc(d.action)}</b> on <code>${esc(d.resource)}</code>:
      <span class="pill ${d.decision === "allow" ? "ok" : "bad"}">${esc(d.decision)}</span> ${d.message ? `<span class="muted">${esc(d.message)}</span>` : ""}</div>
      <ul>${(d.policies || []).map(p => `<li>${esc(p.kind)} ${p.name ? `<code>${esc(p.name)}</code>` : ""}: ${esc(p.summary)}
        <ul>${(p.statements || []).map(s => `<li>${esc(s)}</li>`).join("")}</ul></li>`).join("")}</ul></div>`).join("");
  main.replaceChildren(el(`<h1>Decision record <code>${esc(r.request_id)}</code></h1>
    <div class="card explain">
      <div>${esc(r.time)} · <b>${esc(r.service)} ${esc(r.operation)}</b> by <code>${esc(r.principal)}</code></div>
      <div>Answer: <b>${esc(r.status)}</b> ${r.error_code ? `<span class="pill bad">${esc(r.error_code)}</span> ${esc(r.error_message)}` : ""}</div>
    </div>
    <h2>Key references</h2>${res || '<p class="muted">None.</p>'}
    <h2>Authorization</h2>${dec || '<p class="muted">None recorded.</p>'}
    ${(r.kms_calls || []).length ? `<h2>KMS calls made for this request</h2><ul>${r.kms_calls.map(c =>
      `<li>${esc(c.operation)} as <code>${esc(c.caller)}</code> → ${esc(c.outcome)}${(c.cloudtrail_event_ids || []).length ?
        ` · CloudTrail events ${c.cloudtrail_event_ids.map(x => `<code>${esc(x)}</code>`).join(", ")}` : ""}</li>`).join("")}</ul>` : ""}
    ${(r.notes || []).length ? `<h2>Notes</h2><ul>${r.notes.map(n => `<li>${esc(n)}</li>`).join("")}</ul>` : ""}
    <details><summary>Text</summary><pre>${esc(r.text || "")}</pre></details>`));
}

// The map: accounts as boxes; keys, buckets, tables and secrets inside; arrows
// "encrypts with" (a resource to the key its objects/items are under) and
// "may write" (a writer account to a bucket).
async function mapPage() {
  const m = await get(API + "/map");
  const W = 300, GAP = 170, LEFT = 60, ROW = 26, TOP = 56;
  const pos = {};
  let height = 0;
  const boxes = m.accounts.map((a, i) => {
    const x = LEFT + i * (W + GAP);
    let y = TOP;
    const items = [];
    const section = (title, list, kind, label) => {
      if (!list.length) return;
      items.push(`<text x="${x + 12}" y="${y + 16}" font-size="11" fill="#6b7385">${esc(title)}</text>`);
      y += ROW - 4;
      for (const it of list) {
        const id = kind + ":" + (it.arn || it.name);
        pos[id] = {x, y: y + 11, w: W};
        items.push(`<g data-kind="${kind}" data-account="${esc(a.id)}" data-alias="${esc((it.aliases || []).join(" "))}" data-name="${esc(it.name || "")}">
          <rect x="${x + 10}" y="${y}" width="${W - 20}" height="${ROW - 4}" rx="4" fill="#fff" stroke="#d9dde6"/>
          <text x="${x + 18}" y="${y + 15}" font-size="12">${esc(label(it))}</text></g>`);
        y += ROW;
      }
      y += 6;
    };
    section("KMS keys", a.keys, "key", k => ((k.aliases || [])[0] || "(no alias)") + "  " + k.key_id.slice(0, 8) + (k.manager === "AWS" ? "  AWS managed" : ""));
    section("S3 buckets", a.buckets, "bucket", b => b.name);
    section("DynamoDB tables", a.tables, "table", t => t.name);
    section("Secrets", a.secrets, "secret", s => s.name);
    pos["account:" + a.id] = {x, y: TOP - 20, w: W};  // beside the box's title
    height = Math.max(height, y + 20);
    return `<g data-kind="account" data-account="${esc(a.id)}">
      <rect x="${x}" y="20" width="${W}" height="${y - 10}" rx="8" fill="#f9fafc" stroke="${colorOf(a.id)}" stroke-width="2"/>
      <text x="${x + 12}" y="40" font-size="14" font-weight="700" fill="${colorOf(a.id)}">Account ${esc(a.id)}</text>${items.join("")}</g>`;
  });
  const arrow = (e, i) => {
    const from = pos[e.from], to = pos[e.to];
    if (!from || !to) return "";
    const fx = from.x + (to.x >= from.x ? from.w - 10 : 10), tx = to.x + (to.x >= from.x ? 10 : to.w - 10);
    // Within one account the arrow loops on the box's left; across accounts it crosses the gap.
    const same = from.x === to.x;
    const d = same ? `M${from.x + 10},${from.y} C${from.x - 45},${from.y} ${to.x - 45},${to.y} ${to.x + 10},${to.y}`
                   : `M${fx},${from.y} C${(fx + tx) / 2},${from.y} ${(fx + tx) / 2},${to.y} ${tx},${to.y}`;
    const text = same ? "" : e.kind === "may-write" ? "may write" : e.label;
    const label = text ? `<text x="${(fx + tx) / 2}" y="${(from.y + to.y) / 2 - 5}" font-size="10" text-anchor="middle" fill="${e.kind === "may-write" ? "#6b7385" : e.mismatch ? "#c62828" : "#1b7f3b"}">${esc(text)}</text>` : "";
    const color = e.kind === "may-write" ? "#9aa3b5" : e.mismatch ? "#c62828" : "#1b7f3b";
    return `<path data-edge="${esc(e.kind)}" data-from="${esc(e.from)}" data-to="${esc(e.to)}" data-mismatch="${e.mismatch ? "true" : "false"}" d="${d}" fill="none" stroke="${color}" stroke-width="1.6"
      ${e.kind === "may-write" ? 'stroke-dasharray="5 4"' : ""} marker-end="url(#head${e.kind === "may-write" ? "w" : e.mismatch ? "m" : "e"})">
      <title>${esc(e.label || e.kind)}</title></path>${label}`;
  };
  const width = LEFT + m.accounts.length * (W + GAP);
  const marker = (id, c) => `<marker id="${id}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${c}"/></marker>`;
  main.replaceChildren(el(`<h1>Map</h1>
    <div class="legend"><span><i style="border-color:#1b7f3b"></i>encrypts with (owner's key)</span>
      <span><i style="border-color:#c62828"></i>encrypts with another account's key</span>
      <span><i style="border-color:#9aa3b5;border-top-style:dashed"></i>may write</span></div>
    <div class="card" style="overflow:auto"><svg id="map" width="${width}" height="${height + 20}" xmlns="http://www.w3.org/2000/svg">
      <defs>${marker("heade", "#1b7f3b")}${marker("headm", "#c62828")}${marker("headw", "#9aa3b5")}</defs>
      ${boxes.join("")}${m.edges.map(arrow).join("")}</svg></div>`));
}

// --- routing ----------------------------------------------------------------

async function route() {
  const [path, query] = location.hash.replace(/^#/, "").split("?");
  const parts = path.split("/").filter(Boolean);
  document.querySelectorAll("header nav a").forEach(a => a.classList.toggle("active", a.dataset.page === (parts[0] || "accounts")));
  try {
    if (parts[0] === "buckets" && parts[1]) await bucketPage(decodeURIComponent(parts[1]), /mismatch=1/.test(query || ""));
    else if (parts[0] === "buckets") await bucketsPage();
    else if (parts[0] === "map") await mapPage();
    else if (parts[0] === "events") await eventsPage(parts[1]);
    else if (parts[0] === "explain" && parts[1]) await explainPage(decodeURIComponent(parts[1]));
    else await accountsPage();
  } catch (e) {
    main.replaceChildren(el(`<div class="card"><span class="pill bad">error</span> ${esc(e.message)}</div>`));
  }
}

async function start() {
  try {
    const o = await get(API + "/overview");
    document.getElementById("server").textContent = `crosskey ${o.version} · ${o.region} · ${o.mode}`;
    if (o.note) document.getElementById("note").textContent = o.note;
  } catch (e) { /* the pages say what went wrong */ }
  window.addEventListener("hashchange", route);
  route();
}
start();
