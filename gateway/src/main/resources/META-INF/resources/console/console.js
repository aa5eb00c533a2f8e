// The admin console: the product's screens (docs/rules.md) over the gateway's API. No build step, no downloads.
"use strict";

const state = { token: sessionStorage.getItem("mailops.token"), refreshToken: sessionStorage.getItem("mailops.refresh"),
  tenant: sessionStorage.getItem("mailops.tenant"),
  roles: JSON.parse(sessionStorage.getItem("mailops.roles") || "[]"), page: 0, size: 20, domains: [], rates: [],
  selectedDomain: null, feed: null };
const $ = (id) => document.getElementById(id);
const esc = (text) => String(text ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" }[c]));

class ApiError extends Error {
  constructor(problem) { super(problem.detail || problem.title || "Request failed"); this.problem = problem; }
}

// Access tokens live minutes; the refresh token (rotated at every use) gets a new one when an answer is 401.
let refreshing = null;
function refreshSession() {
  if (!state.refreshToken) { return Promise.resolve(false); }
  refreshing = refreshing || fetch("/api/v1/auth/refresh", { method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ refreshToken: state.refreshToken }) })
    .then(async (response) => {
      if (!response.ok) { return false; }
      keepSession(await response.json());
      return true;
    }).catch(() => false).finally(() => { refreshing = null; });
  return refreshing;
}

function keepSession(token) {
  Object.assign(state, { token: token.accessToken, refreshToken: token.refreshToken, tenant: token.tenant, roles: token.roles });
  sessionStorage.setItem("mailops.token", token.accessToken);
  sessionStorage.setItem("mailops.refresh", token.refreshToken);
  sessionStorage.setItem("mailops.tenant", token.tenant || "");
  sessionStorage.setItem("mailops.roles", JSON.stringify(token.roles));
}

async function api(path, options = {}, retried = false) {
  const response = await fetch(path, { ...options, headers: { "Content-Type": "application/json",
    ...(state.token ? { Authorization: "Bearer " + state.token } : {}), ...(options.headers || {}) } });
  if (response.status === 401 && state.token) {
    if (!retried && await refreshSession()) { return api(path, options, true); }
    logout();
    throw new ApiError({ detail: "Your session ended; log in again." });
  }
  const text = await response.text();
  const body = text && (response.headers.get("content-type") || "").includes("json") ? JSON.parse(text) : text;
  if (!response.ok) {
    const error = new ApiError(typeof body === "object" ? body : { status: response.status, detail: body });
    Object.assign(error, { status: response.status, retryAfter: response.headers.get("Retry-After") });
    throw error;
  }
  return body;
}

// ---- login ---------------------------------------------------------------------------------------
$("login-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  $("login-error").textContent = "";
  try {
    keepSession(await api("/api/v1/auth/login", { method: "POST",
      body: JSON.stringify({ username: $("login-username").value, password: $("login-password").value }) }));
    start();
  } catch (error) { $("login-error").textContent = error.message; }
});

function logout() {
  if (state.refreshToken) {
    fetch("/api/v1/auth/logout", { method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ refreshToken: state.refreshToken }) }).catch(() => {});
  }
  sessionStorage.clear();
  Object.assign(state, { token: null, refreshToken: null, tenant: null, roles: [] });
  if (state.feed) { state.feed.abort(); state.feed = null; }
  $("app").hidden = true;
  $("login-screen").hidden = false;
}
$("logout").addEventListener("click", logout);

async function start() {
  $("login-screen").hidden = true;
  $("app").hidden = false;
  const operator = state.roles.includes("operator") && !state.tenant;
  for (const id of ["nav-email", "nav-domains", "nav-contract", "nav-events"]) { $(id).hidden = operator; }
  $("nav-tenants").hidden = !operator;
  if (operator) {
    $("whoami").textContent = "operator";
    location.hash = "#tenants";
    route();
    return;
  }
  $("whoami").textContent = `tenant ${state.tenant} · ${state.roles.join(", ")}`;
  const admin = state.roles.includes("admin");
  for (const id of ["open-create", "open-basic-fee"]) { $(id).disabled = !admin; }
  [state.domains, state.rates] = await Promise.all([loadDomains(), api("/api/v1/rates")]);
  fillDomainSelects();
  startFeed();
  route();
}

// ---- navigation ----------------------------------------------------------------------------------
const views = { email: showEmail, domains: showDomains, contract: showContract, events: () => {}, tenants: showTenants };
window.addEventListener("hashchange", route);
function route() {
  const name = (location.hash || "#email").slice(1);
  for (const key of Object.keys(views)) {
    $(key + "-view").hidden = key !== name;
    $("nav-" + key).classList.toggle("active", key === name);
  }
  (views[name] || showEmail)().catch((error) => alert(error.message));
}

function fillDomainSelects() {
  const options = state.domains.map((d) => `<option value="${esc(d.domain)}">${esc(d.domain)}</option>`).join("");
  $("f-domain").innerHTML = options;
  $("filter-domain").innerHTML = `<option value="">All domains</option>` + options;
}

// ---- email settings ------------------------------------------------------------------------------
$("filter-domain").addEventListener("change", () => { state.page = 0; showEmail(); });
let searchTimer;
$("search").addEventListener("input", () => { clearTimeout(searchTimer); searchTimer = setTimeout(() => { state.page = 0; showEmail(); }, 250); });
$("page-prev").addEventListener("click", () => { state.page = Math.max(0, state.page - 1); showEmail(); });
$("page-next").addEventListener("click", () => { state.page += 1; showEmail(); });

async function showEmail() {
  const query = new URLSearchParams({ page: state.page, size: state.size });
  if ($("filter-domain").value) { query.set("domain", $("filter-domain").value); }
  if ($("search").value.trim()) { query.set("q", $("search").value.trim()); }
  const [page, fee] = await Promise.all([api("/api/v1/mailboxes?" + query), api("/api/v1/basic-fee")]);
  $("basic-fee-line").textContent = `Basic fee: ${fee.name} (${Number(fee.monthlyNetPrice).toFixed(2)} ${fee.currency} net per month, `
    + `${fee.providerSupport ? "with" : "without"} provider support)`;
  const admin = state.roles.includes("admin");
  $("mailboxes").tBodies[0].innerHTML = page.items.map((m) => `
    <tr data-id="${esc(m.id)}" data-address="${esc(m.address)}">
      <td>${esc(m.address)}${m.forwardTo.length ? `<br><span class="muted">forwards to ${esc(m.forwardTo.join(", "))}${m.keepCopy ? ", keeps a copy" : ""}</span>` : ""}</td>
      <td>${esc(m.firstName)} ${esc(m.lastName)}</td>
      <td>${esc(m.systemUserId)}</td>
      <td>${esc(rateName(m.rate))}<br><span class="muted">${m.aliases.length} of ${m.aliasLimit} aliases</span></td>
      <td>${m.aliases.map((a) => `<div class="alias">${esc(a.address)}</div>`).join("")}</td>
      <td class="actions">${admin ? `<button class="secondary change-password">Change password</button>
        <button class="secondary change-rate">Change rate</button>
        <button class="secondary delete" data-id="${esc(m.id)}">Delete</button>` : ""}</td>
    </tr>`).join("") || `<tr><td colspan="6" class="muted">No mailboxes yet.</td></tr>`;
  state.mailboxes = page.items;
  $("page-info").textContent = `Page ${page.page + 1} of ${Math.max(1, page.totalPages)} · ${page.totalItems} mailboxes`;
  $("page-prev").disabled = page.page === 0;
  $("page-next").disabled = page.page + 1 >= page.totalPages;
  for (const button of document.querySelectorAll("#mailboxes .delete")) {
    button.addEventListener("click", () => openDelete(button.dataset.id, button.closest("tr").dataset.address));
  }
  const mailboxOf = (button) => state.mailboxes.find((m) => m.id === button.closest("tr").dataset.id);
  for (const button of document.querySelectorAll("#mailboxes .change-password")) {
    button.addEventListener("click", () => openPassword(mailboxOf(button)));
  }
  for (const button of document.querySelectorAll("#mailboxes .change-rate")) {
    button.addEventListener("click", () => openRate(mailboxOf(button)));
  }
}

function notify(text) {
  $("notice").textContent = text;
  $("notice").hidden = !text;
}

function rateName(id) {
  const rate = state.rates.find((r) => r.id === id);
  return rate ? rate.name : id;
}

// ---- create mailbox / alias (the mailbox and alias fields) -------------------------------------------
$("open-create").addEventListener("click", openCreate);
$("create-cancel").addEventListener("click", () => $("create-dialog").close());
for (const radio of document.querySelectorAll("input[name=kind]")) { radio.addEventListener("change", toggleKind); }
$("f-forwardTo").addEventListener("input", () => {
  const empty = $("f-forwardTo").value.trim() === "";
  $("f-keepCopy").disabled = empty;
  if (empty) { $("f-keepCopy").checked = false; }
});

async function openCreate() {
  $("create-form").reset();
  $("f-keepCopy").disabled = true;
  clearErrors();
  const [users, mailboxes] = await Promise.all([api("/api/v1/users?size=100"), api("/api/v1/mailboxes?size=100")]);
  $("f-systemUserId").innerHTML = users.items.map((u) => `<option value="${esc(u.id)}">${esc(u.displayName)} (${esc(u.username)})</option>`).join("");
  $("f-rate").innerHTML = state.rates.map((r) => `<option value="${esc(r.id)}">${esc(r.name)} – ${esc(r.monthlyNetPrice)} ${esc(r.currency)} net per month, up to ${r.aliasLimit} aliases</option>`).join("");
  $("f-target").innerHTML = mailboxes.items.map((m) => `<option value="${esc(m.id)}">${esc(m.address)}</option>`).join("");
  fillDomainSelects();
  toggleKind();
  $("create-dialog").showModal();
}

function toggleKind() {
  const alias = $("kind-alias").checked;
  document.querySelector("#create-form .for-mailbox").hidden = alias;
  document.querySelector("#create-form .for-alias").hidden = !alias;
}

// A dialog's errors: the problem's detail, its field errors listed, and those fields marked (id = prefix + field).
function clearProblem(dialog) {
  $(dialog + "-error").textContent = "";
  $(dialog + "-field-errors").innerHTML = "";
  for (const input of document.querySelectorAll(`#${dialog}-form [aria-invalid]`)) { input.removeAttribute("aria-invalid"); }
}

function showProblem(dialog, fieldPrefix, error) {
  $(dialog + "-error").textContent = error.message;
  for (const fieldError of (error.problem && error.problem.errors) || []) {
    const li = document.createElement("li");
    li.textContent = `${fieldError.field}: ${fieldError.message}`;
    $(dialog + "-field-errors").appendChild(li);
    const input = $(fieldPrefix + fieldError.field.replace(/\[.*$/, ""));
    if (input) { input.setAttribute("aria-invalid", "true"); }
  }
}

function clearErrors() { clearProblem("create"); }

$("create-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  clearErrors();
  const alias = $("kind-alias").checked;
  try {
    if (alias) {
      await api(`/api/v1/mailboxes/${encodeURIComponent($("f-target").value)}/aliases`, { method: "POST",
        body: JSON.stringify({ localPart: $("f-localPart").value, domain: $("f-domain").value }) });
    } else {
      const forwardTo = $("f-forwardTo").value.split(",").map((s) => s.trim()).filter(Boolean);
      await api("/api/v1/mailboxes", { method: "POST", body: JSON.stringify({
        localPart: $("f-localPart").value, domain: $("f-domain").value, firstName: $("f-firstName").value,
        lastName: $("f-lastName").value, systemUserId: $("f-systemUserId").value, forwardTo,
        keepCopy: $("f-keepCopy").checked, password: $("f-password").value,
        passwordConfirmation: $("f-passwordConfirmation").value, rate: $("f-rate").value }) });
    }
    $("create-dialog").close();
    await showEmail();
  } catch (error) { showProblem("create", "f-", error); }
});

// ---- change password (same policy as at creation) ------------------------------------------------------
let passwordFor = null;
function openPassword(mailbox) {
  passwordFor = mailbox;
  notify("");
  $("password-form").reset();
  clearProblem("password");
  $("password-address").textContent = mailbox.address;
  $("password-dialog").showModal();
}
$("password-cancel").addEventListener("click", () => $("password-dialog").close());
$("password-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  clearProblem("password");
  try {
    await api(`/api/v1/mailboxes/${encodeURIComponent(passwordFor.id)}/password`, { method: "PUT", body: JSON.stringify({
      password: $("p-password").value, passwordConfirmation: $("p-passwordConfirmation").value }) });
    $("password-dialog").close();
    notify(`The password of ${passwordFor.address} was changed.`);
  } catch (error) { showProblem("password", "p-", error); }
});

// ---- change rate (the catalog's rates; the service refuses one whose alias limit is too low) ------------
let rateFor = null;
function openRate(mailbox) {
  rateFor = mailbox;
  notify("");
  clearProblem("rate");
  $("rate-address").textContent = mailbox.address;
  $("rate-aliases").textContent = `(${rateName(mailbox.rate)}, ${mailbox.aliases.length} aliases)`;
  $("rate-options").innerHTML = state.rates.map((r) => `
    <label class="plan"><input type="radio" name="rate" value="${esc(r.id)}" ${r.id === mailbox.rate ? "checked" : ""}>
      <span><strong>${esc(r.name)}</strong> – ${esc(r.monthlyNetPrice)} ${esc(r.currency)} net per month<br>
      <span class="muted">up to ${r.aliasLimit} aliases, ${r.storageGiB} GiB storage</span></span></label>`).join("");
  $("rate-dialog").showModal();
}
$("rate-cancel").addEventListener("click", () => $("rate-dialog").close());
$("rate-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  clearProblem("rate");
  const rate = document.querySelector("#rate-options input:checked");
  try {
    const mailbox = await api(`/api/v1/mailboxes/${encodeURIComponent(rateFor.id)}/rate`, { method: "PUT",
      body: JSON.stringify({ rate: rate && rate.value }) });
    $("rate-dialog").close();
    notify(`${mailbox.address} is now on the rate ${rateName(mailbox.rate)}.`);
    await showEmail();
  } catch (error) { showProblem("rate", "rate-", error); }
});

// ---- delete -----------------------------------------------------------------------------------------
let deleting = null;
function openDelete(id, address) {
  deleting = id;
  $("delete-address").textContent = address;
  $("delete-dialog").showModal();
}
$("delete-cancel").addEventListener("click", () => $("delete-dialog").close());
$("delete-confirm").addEventListener("click", async () => {
  try {
    await api(`/api/v1/mailboxes/${encodeURIComponent(deleting)}`, { method: "DELETE" });
    $("delete-dialog").close();
    await showEmail();
  } catch (error) { alert(error.message); }
});

// ---- basic fee (one plan for all mailboxes) -------------------------------------------------------------------
$("open-basic-fee").addEventListener("click", async () => {
  const [plans, current] = await Promise.all([api("/api/v1/basic-fees"), api("/api/v1/basic-fee")]);
  $("fee-plans").innerHTML = plans.map((p) => `
    <label class="plan"><input type="radio" name="plan" value="${esc(p.id)}" ${p.id === current.plan ? "checked" : ""}>
      <span><strong>${esc(p.name)}</strong> – ${esc(p.monthlyNetPrice)} ${esc(p.currency)} net per month
      ${p.providerSupport ? "· with provider support" : "· without provider support"}<br>
      <span class="muted">${esc(p.description)}</span></span></label>`).join("");
  $("fee-error").textContent = "";
  $("fee-dialog").showModal();
});
$("fee-cancel").addEventListener("click", () => $("fee-dialog").close());
$("fee-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const plan = document.querySelector("#fee-plans input:checked");
  try {
    await api("/api/v1/basic-fee", { method: "PUT", body: JSON.stringify({ plan: plan && plan.value }) });
    $("fee-dialog").close();
    await showEmail();
  } catch (error) { $("fee-error").textContent = error.message; }
});

// ---- domains: DNS records, check, client settings ------------------------------------------------------
$("add-domain-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  $("domain-error").textContent = "";
  try {
    const added = await api("/api/v1/domains/" + encodeURIComponent($("new-domain").value.trim()), { method: "PUT" });
    state.selectedDomain = added.domain;
    state.domains = await loadDomains();
    fillDomainSelects();
    $("new-domain").value = "";
    await showDomains();
  } catch (error) { $("domain-error").textContent = error.message; }
});

/** Every domain of the tenant: the list is paginated, so it is read a page at a time. */
async function loadDomains() {
  const domains = [];
  for (let page = 0; ; page++) {
    const found = await api(`/api/v1/domains?page=${page}&size=100`);
    domains.push(...found.items);
    if (page + 1 >= found.totalPages) { return domains; }
  }
}

async function showDomains() {
  state.domains = await loadDomains();
  $("domain-list").innerHTML = state.domains.map((d) => `<li data-domain="${esc(d.domain)}" class="${d.domain === state.selectedDomain ? "active" : ""}">${esc(d.domain)}`
    + (d.state === "pending" ? ` <span class="badge pending">pending</span>` : "") + `</li>`).join("")
    || `<li class="muted">No domains yet.</li>`;
  for (const item of document.querySelectorAll("#domain-list li[data-domain]")) {
    item.addEventListener("click", () => { state.selectedDomain = item.dataset.domain; showDomains(); });
  }
  if (state.selectedDomain) { await showDomain(state.selectedDomain); } else { $("domain-detail").innerHTML = ""; }
}

// A pending domain is not served by the DNS server and receives no mail until the tenant proves it owns it.
function verificationPanel(registered) {
  if (registered.state !== "pending") {
    const how = registered.verification.method === "dns-txt" ? "proven by its TXT record"
      : registered.verification.method === "none" ? "this deployment asks for no proof" : "registered before proof was required";
    return `<p id="domain-verification" class="verified">Verified · ${esc(how)}</p>`;
  }
  const record = registered.verification.record;
  const admin = state.roles.includes("admin");
  return `<section id="domain-verification" class="pending">
    <h4>Pending · prove that this domain is yours</h4>
    <p>Until then the DNS server does not serve it and no mail is accepted for it; mailboxes can be prepared.
    Create this record at the domain's DNS provider, then check it (it is also checked regularly).</p>
    <table><thead><tr><th>Name</th><th>Type</th><th>Value</th></tr></thead><tbody>
    <tr><td><code id="verification-name">${esc(record.name)}</code></td><td>${esc(record.type)}</td><td><code id="verification-value">${esc(record.value)}</code></td></tr></tbody></table>
    <p id="claim-expires">Claim holds until ${when(registered.verification.claimExpiresAt)}; unproven by then, it expires with the mailboxes, aliases and records prepared under it.</p>
    <button id="verify-domain" type="button" ${admin ? "" : "disabled"}>Check now</button>
    <p id="verify-error" class="error" role="alert"></p></section>`;
}

async function verifyDomain(domain) {
  $("verify-error").textContent = "";
  try {
    await api("/api/v1/domains/" + encodeURIComponent(domain) + "/verify", { method: "POST" });
    await showDomains();
  } catch (error) { $("verify-error").textContent = error.message; }
}

async function showDomain(domain) {
  const base = "/api/v1/domains/" + encodeURIComponent(domain);
  let registered, records, check, settings;
  try {
    [registered, records, check, settings] = await Promise.all([api(base), api(base + "/records"), api(base + "/check"), api(base + "/client-settings")]);
  } catch (error) {
    $("domain-detail").innerHTML = `<p class="muted">DNS records are being set up… (${esc(error.message)})</p>`;
    setTimeout(() => state.selectedDomain === domain && showDomain(domain), 1000);
    return;
  }
  const status = (record) => {
    const result = check.find((c) => c.type === record.type && c.name === record.fqdn && c.expected.replace(/"/g, "").includes(record.value.slice(0, 30).replace(/"/g, "")));
    return result ? `<span class="status-${result.status}">${result.status}</span>` : "";
  };
  const table = (title, rows) => `<h4>${esc(title)}</h4><table class="settings"><thead><tr><th>Server type</th><th>Server</th><th>Connection security</th><th>Port</th></tr></thead><tbody>`
    + rows.map((r) => `<tr><td>${esc(r.serverType)}</td><td>${esc(r.server)}</td><td>${esc(r.connectionSecurity)}</td><td>${r.port}</td></tr>`).join("") + `</tbody></table>`;
  $("domain-detail").innerHTML = `
    <h3>${esc(domain)} <span class="muted">serial ${records.serial}</span></h3>
    ${verificationPanel(registered)}
    <table id="dns-records"><thead><tr><th>Source</th><th>Type</th><th>Target</th><th>By</th><th>Check</th></tr></thead><tbody>
    ${records.records.map((r) => `<tr><td>${esc(r.source)}</td><td>${esc(r.type)}</td><td><code>${esc(r.value)}</code></td><td>${esc(r.managedBy.toLowerCase())}</td><td>${status(r)}</td></tr>`).join("")}
    </tbody></table>
    <h3>Mail client settings</h3>
    ${table("SSL/TLS", settings.tables.ssl)}${table("STARTTLS", settings.tables.starttls)}${table("Unencrypted (not recommended)", settings.tables.unencrypted)}
    <section id="dkim-panel"><h3>DKIM keys</h3><p class="muted">Loading…</p></section>`;
  if ($("verify-domain")) { $("verify-domain").addEventListener("click", () => verifyDomain(domain)); }
  await showDkim(domain);
}

// ---- DKIM: the domain's own signing keys under two selectors, and their rotation -------------------
const DKIM_STATES = { generated: "generated · waiting until every DNS server serves it",
  published: "published · standby, ready to take over", active: "active · signs the domain's mail",
  retiring: "retiring · no longer signs, still published" };
const time = (instant) => (instant ? esc(instant.replace("T", " ").slice(0, 19)) : "–");
const when = (instant) => (instant ? time(instant) + " UTC" : "–");
const DKIM_OFF = `Signing with the deployment's own DKIM keys is not enabled (mailbox-service's MAILBOX_DKIM_ENABLED;
  <code>./mailops up</code> enables it with the self-hosted DNS profile). Any DKIM records above are the mail provider's.`;
let dkimTimer = null;

async function showDkim(domain) {
  clearTimeout(dkimTimer);
  const onScreen = () => state.selectedDomain === domain && $("dkim-panel") && !$("domains-view").hidden;
  let dkim;
  try {
    dkim = await api("/api/v1/domains/" + encodeURIComponent(domain) + "/dkim");
  } catch (error) {
    if (onScreen()) {
      $("dkim-panel").innerHTML = `<h3>DKIM keys</h3><p class="muted">${error.status === 404 ? DKIM_OFF
        : "The DKIM keys could not be read: " + esc(error.message)}</p>`;
    }
    return;
  }
  if (!onScreen()) { return; }
  renderDkim(dkim);
  // The keys move on by themselves (published once DNS serves them, retired when their time is up): look again meanwhile.
  if (dkim.enabled && (dkim.selectors.length < 2 || dkim.selectors.some((s) => s.state === "generated" || s.state === "retiring"))) {
    dkimTimer = setTimeout(() => onScreen() && showDkim(domain), 2000);
  }
}

// An ISO-8601 duration as people say it: Java writes 30 days as PT720H.
function period(iso) {
  const hours = /^PT(\d+)H$/.exec(iso || "");
  return hours && Number(hours[1]) % 24 === 0 ? `${Number(hours[1]) / 24} days` : iso;
}

function renderDkim(dkim) {
  state.dkim = dkim;
  const panel = $("dkim-panel");
  if (!dkim.enabled) {
    panel.innerHTML = `<h3>DKIM keys</h3><p id="dkim-off" class="muted">${DKIM_OFF}</p>`;
    return;
  }
  const admin = state.roles.includes("admin");
  const schedule = !dkim.rotationInterval ? "Rotation is manual: no schedule is configured (MAILBOX_DKIM_ROTATION_INTERVAL)."
    : dkim.nextRotationAt ? `Next scheduled rotation: ${when(dkim.nextRotationAt)} (every ${esc(period(dkim.rotationInterval))}).`
      : `Rotation is scheduled every ${esc(period(dkim.rotationInterval))}; the next one once the standby key is published.`;
  const notice = state.dkimNotice && state.dkimNotice.domain === dkim.domain ? state.dkimNotice.text : "";
  panel.innerHTML = `
    <div class="toolbar"><h3>DKIM keys</h3><span class="muted">${esc(dkim.algorithm)}</span><span class="spacer"></span>
      ${admin ? `<button id="dkim-rotate" class="secondary">Rotate keys</button>` : `<span class="muted">Only admins rotate keys.</span>`}</div>
    <p id="dkim-schedule">${schedule}</p>
    <p id="dkim-notice" class="notice" role="status" ${notice ? "" : "hidden"}>${esc(notice)}</p>
    <table id="dkim-selectors"><thead><tr><th>Selector</th><th>State</th><th>DNS name</th><th>Generated</th><th>Published</th>
      <th>Active since</th><th>Retired at</th></tr></thead>
    <caption class="muted">Times in UTC.</caption><tbody>
    ${dkim.selectors.map((s) => `<tr data-selector="${esc(s.selector)}" data-state="${esc(s.state)}">
      <td><strong>${esc(s.selector)}</strong></td>
      <td><span class="dkim-state state-${esc(s.state)}">${esc(s.state)}</span><br><span class="muted">${esc((DKIM_STATES[s.state] || "").replace(/^[a-z]+ · /, ""))}</span></td>
      <td><code>${esc(s.dnsName)}</code></td><td>${time(s.generatedAt)}</td><td>${time(s.publishedAt)}</td>
      <td>${time(s.activatedAt)}</td><td class="retires">${time(s.retiresAt)}</td></tr>`).join("")
      || `<tr><td colspan="7" class="muted">No keys yet: they are being generated.</td></tr>`}
    </tbody></table>`;
  if (admin) { $("dkim-rotate").addEventListener("click", openDkimRotate); }
}

function openDkimRotate() {
  const { selectors } = state.dkim;
  const active = selectors.find((s) => s.state === "active");
  const standby = selectors.find((s) => s.state !== "active");
  $("dkim-error").textContent = "";
  $("dkim-retry").textContent = "";
  $("dkim-standby").textContent = standby ? standby.selector : "–";
  $("dkim-active").textContent = active ? active.selector : "the active selector";
  $("dkim-active-again").textContent = active ? active.selector : "that selector";
  const status = {
    published: `Its key is <strong>already published</strong> in DNS (since ${when(standby && standby.publishedAt)}), and the
      system checks again that every DNS server serves it before it switches, so receivers can verify the new signatures at once.`,
    generated: `Its key is <strong>not published yet</strong>: the system refuses the rotation until every DNS server serves it.`,
    retiring: `It still holds the old key of the previous rotation, published until ${when(standby && standby.retiresAt)}; a fresh
      key replaces it then, and the keys can rotate again once that one is published.` };
  $("dkim-standby-status").innerHTML = (standby && status[standby.state]) || "There is no standby key yet.";
  $("dkim-dialog").showModal();
}

// "Retry after": seconds (the header, or a number in the problem) or an instant.
function retryText(error) {
  const value = (error.problem && error.problem.retryAfter) ?? error.retryAfter;
  if (value === null || value === undefined || value === "") { return ""; }
  if (/^\d+$/.test(String(value))) {
    return `Try again in ${value} seconds (after ${when(new Date(Date.now() + Number(value) * 1000).toISOString())}).`;
  }
  return /^\d{4}-\d{2}-\d{2}T/.test(String(value)) ? `Try again after ${when(String(value))}.` : `Try again after ${esc(value)}.`;
}

$("dkim-cancel").addEventListener("click", () => $("dkim-dialog").close());
$("dkim-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  $("dkim-error").textContent = "";
  $("dkim-retry").textContent = "";
  const domain = state.dkim.domain;
  try {
    const dkim = await api("/api/v1/domains/" + encodeURIComponent(domain) + "/dkim/rotate", { method: "POST" });
    $("dkim-dialog").close();
    const active = dkim.selectors.find((s) => s.state === "active");
    const retiring = dkim.selectors.find((s) => s.state === "retiring");
    state.dkimNotice = { domain, text: `Selector ${active ? active.selector : "?"} signs now.`
      + (retiring ? ` The old key of ${retiring.selector} stays published until ${retiring.retiresAt.replace("T", " ").slice(0, 19)} UTC.` : "") };
    if (state.selectedDomain === domain && $("dkim-panel")) {
      renderDkim(dkim);
      clearTimeout(dkimTimer);
      dkimTimer = setTimeout(() => showDkim(domain), 2000);
    }
  } catch (error) {
    $("dkim-error").textContent = error.message;
    $("dkim-retry").innerHTML = retryText(error);
  }
});

// ---- contract and statement ----------------------------------------------------------------------
$("statement-month").addEventListener("change", showStatement);
async function showContract() {
  const [contract, revisions] = await Promise.all([api("/api/v1/contract"), api("/api/v1/contract/revisions")]);
  $("contract").innerHTML = `
    <p>Revision ${contract.revision} · basic fee <strong>${esc(contract.basicFee.name)}</strong> (${esc(contract.basicFee.monthlyNetPrice)} ${esc(contract.currency)})</p>
    <table><thead><tr><th>Mailbox</th><th>Rate</th><th>Net / month</th><th>Since</th></tr></thead><tbody>
    ${contract.mailboxes.map((m) => `<tr><td>${esc(m.address)}</td><td>${esc(m.rateName)}</td><td>${esc(m.monthlyNetPrice)}</td><td>${esc(m.since.slice(0, 10))}</td></tr>`).join("")}
    <tr class="totals"><td colspan="2">Net per month</td><td>${esc(contract.monthlyNetTotal)}</td><td></td></tr>
    <tr class="totals"><td colspan="2">VAT ${esc(contract.vat.percent)} % (${esc(contract.vat.country)})</td><td>${esc(contract.vat.amount)}</td><td></td></tr>
    <tr class="totals"><td colspan="2">Gross per month</td><td>${esc(contract.monthlyGrossTotal)}</td><td></td></tr></tbody></table>`;
  $("revisions").tBodies[0].innerHTML = revisions.map((r) => `<tr><td>${r.revision}</td><td>${esc(r.occurredAt.replace("T", " ").slice(0, 19))}</td><td>${esc(r.change)}</td><td>${esc(r.cause.type)}</td><td>${esc(r.monthlyNetTotal)}</td></tr>`).join("");
  if (!$("statement-month").value) { $("statement-month").value = new Date().toISOString().slice(0, 7); }
  await showStatement();
}

async function showStatement() {
  const statement = await api("/api/v1/contract/statements/" + $("statement-month").value);
  $("statement").innerHTML = `<table id="statement-lines"><thead><tr><th>Item</th><th>From</th><th>To</th><th>Days</th><th>Net</th></tr></thead><tbody>
    ${statement.lines.map((l) => `<tr><td>${esc(l.description)}</td><td>${esc(l.from)}</td><td>${esc(l.to)}</td><td>${l.days} / ${l.daysInMonth}</td><td>${esc(l.net)}</td></tr>`).join("")}
    <tr class="totals"><td colspan="4">Net</td><td>${esc(statement.netTotal)}</td></tr>
    <tr class="totals"><td colspan="4">VAT ${esc(statement.vat.percent)} %</td><td>${esc(statement.vat.amount)}</td></tr>
    <tr class="totals"><td colspan="4">Gross (${esc(statement.currency)})</td><td>${esc(statement.grossTotal)}</td></tr></tbody></table>`;
}

// ---- live events ---------------------------------------------------------------------------------
// The gateway ends a stream when the token that opened it expires; the console opens the next with a fresh one.
async function startFeed() {
  if (state.feed) { state.feed.abort(); }
  const feed = state.feed = new AbortController();
  try {
    let response = await fetch("/api/v1/events", { headers: { Authorization: "Bearer " + state.token, Accept: "text/event-stream" }, signal: feed.signal });
    if (response.status === 401) {
      if (!await refreshSession()) { logout(); return; }
      response = await fetch("/api/v1/events", { headers: { Authorization: "Bearer " + state.token, Accept: "text/event-stream" }, signal: feed.signal });
    }
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) { break; }
      buffer += decoder.decode(value, { stream: true });
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const chunk = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = chunk.split("\n").filter((line) => line.startsWith("data:")).map((line) => line.slice(5)).join("\n");
        if (data) { showEvent(JSON.parse(data)); }
      }
    }
    if (state.feed === feed && state.token) { await refreshSession(); startFeed(); }
  } catch (error) {
    if (error.name !== "AbortError") { setTimeout(startFeed, 2000); }
  }
}

// ---- tenants (operators) -------------------------------------------------------------------------
async function showTenants() {
  const page = await api("/api/v1/tenants?size=100");
  $("tenants").tBodies[0].innerHTML = page.items.map((t) => `
    <tr data-id="${esc(t.id)}"><td>${esc(t.id)}</td><td>${esc(t.displayName)}</td>
      <td>${t.enabled ? "enabled" : "disabled"}</td><td>${esc((t.createdAt || "").slice(0, 10))}</td>
      <td class="actions"><button class="secondary toggle-tenant" data-enabled="${t.enabled}">${t.enabled ? "Disable" : "Enable"}</button></td>
    </tr>`).join("") || `<tr><td colspan="5" class="muted">No tenants yet.</td></tr>`;
  $("tenants-info").textContent = `${page.totalItems} tenants` + (page.totalPages > 1 ? " (the first 100 shown)" : "");
  for (const button of document.querySelectorAll("#tenants .toggle-tenant")) {
    button.addEventListener("click", async () => {
      const id = button.closest("tr").dataset.id;
      try {
        await api(`/api/v1/tenants/${encodeURIComponent(id)}/enabled`, { method: "PUT",
          body: JSON.stringify({ enabled: button.dataset.enabled !== "true" }) });
        showTenants();
      } catch (error) { alert(error.message); }
    });
  }
}

$("tenant-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  $("tenant-error").textContent = "";
  try {
    await api("/api/v1/tenants", { method: "POST", body: JSON.stringify({ id: $("t-id").value, displayName: $("t-name").value,
      admin: { username: $("t-admin").value, displayName: $("t-admin-name").value, password: $("t-password").value } }) });
    $("tenant-form").reset();
    showTenants();
  } catch (error) {
    $("tenant-error").textContent = error.problem && error.problem.errors
      ? error.problem.errors.map((e) => `${e.field}: ${e.message}`).join("; ") : error.message;
  }
});

function showEvent(event) {
  const item = document.createElement("li");
  item.innerHTML = `<strong>${esc(event.type)}</strong> <span class="muted">${esc((event.time || "").replace("T", " ").slice(0, 19))}</span><br><code>${esc(JSON.stringify(event.data))}</code>`;
  $("event-feed").prepend(item);
}

if (state.token) { start().catch(logout); }
