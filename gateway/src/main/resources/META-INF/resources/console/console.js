// The admin console: the manual's screens over the gateway's API. No build step, no downloads. Every label comes
// from the message bundles (i18n.js); data from the API goes into the page as text, never as HTML.
"use strict";

const state = { token: sessionStorage.getItem("mailops.token"), refreshToken: sessionStorage.getItem("mailops.refresh"),
  tenant: sessionStorage.getItem("mailops.tenant"),
  roles: JSON.parse(sessionStorage.getItem("mailops.roles") || "[]"), page: 0, size: 20, domains: [], rates: [],
  selectedDomain: null, feed: null, started: false };
const $ = (id) => document.getElementById(id);
const isAdmin = () => state.roles.includes("admin");

/**
 * An element with its properties (attributes, or on* listeners) and children; strings become text nodes, so
 * nothing from the API or a bundle is ever parsed as HTML.
 */
function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) { continue; }
    if (name.startsWith("on")) { element.addEventListener(name.slice(2), value); } else if (name === "className") {
      element.className = value;
    } else { element.setAttribute(name, value === true ? "" : value); }
  }
  for (const child of children.flat(Infinity)) {
    if (child !== null && child !== undefined && child !== false) {
      element.append(child instanceof Node ? child : String(child));
    }
  }
  return element;
}

/** Fills the element with the message of the key; a parameter that is a Node (e.g. h("strong", ...)) is placed as one. */
function say(element, key, params = {}) {
  const message = t(key, Object.fromEntries(Object.entries(params).map(([k, v]) => [k, v instanceof Node ? `{${k}}` : v])));
  element.replaceChildren(...message.split(/(\{\w+\})/).filter(Boolean).map((part) => {
    const name = /^\{(\w+)\}$/.exec(part);
    return name && params[name[1]] instanceof Node ? params[name[1]] : part;
  }));
  return element;
}
const strong = (text) => h("strong", {}, text);
const fill = (container, ...children) => container.replaceChildren(...children.flat(Infinity).filter((c) => c !== null && c !== undefined));

class ApiError extends Error {
  constructor(problem) { super(problem.detail || problem.title || t("error.request")); this.problem = problem; }
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
    throw new ApiError({ detail: t("error.sessionEnded") });
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

/**
 * Every item of a paginated list, a page at a time: no list stops at its first page. A page is an object with
 * items and totalPages, or (the contract's revisions) a bare array, which ends when it is shorter than a page.
 */
async function allPages(path, size = 100) {
  const items = [];
  const separator = path.includes("?") ? "&" : "?";
  for (let page = 0; ; page++) {
    const found = await api(`${path}${separator}page=${page}&size=${size}`);
    const pageItems = Array.isArray(found) ? found : found.items;
    items.push(...pageItems);
    if (Array.isArray(found) ? pageItems.length < size : page + 1 >= found.totalPages) { return items; }
  }
}

// ---- dialogs: focus moves in (showModal), Escape closes (the dialog's cancel), focus returns to the opener --------
const openers = new Map();
function openDialog(id) {
  const dialog = $(id);
  openers.set(id, document.activeElement);
  dialog.showModal();
}
for (const dialog of document.querySelectorAll("dialog")) {
  dialog.addEventListener("close", () => {
    const opener = openers.get(dialog.id);
    openers.delete(dialog.id);
    if (opener && opener.isConnected && typeof opener.focus === "function") { opener.focus(); }
  });
}

// ---- language ------------------------------------------------------------------------------------
for (const select of document.querySelectorAll(".language-select")) {
  select.addEventListener("change", async () => {
    await I18n.use(select.value, true);
    syncLanguage();
    if (state.started) {
      renderHeader();
      route();
      if (state.detail && !$("email-view").hidden) { openDetail(state.detail, true).catch(() => closeDetail()); }
    }
  });
}
function syncLanguage() {
  for (const select of document.querySelectorAll(".language-select")) { select.value = I18n.language(); }
}

// ---- login ---------------------------------------------------------------------------------------
$("login-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  $("login-error").textContent = "";
  $("login-notice").hidden = true;
  try {
    keepSession(await api("/api/v1/auth/login", { method: "POST",
      body: JSON.stringify({ username: $("login-username").value, password: $("login-password").value }) }));
    await start();
  } catch (error) { $("login-error").textContent = error.message; }
});

function logout() {
  if (state.refreshToken) {
    fetch("/api/v1/auth/logout", { method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ refreshToken: state.refreshToken }) }).catch(() => {});
  }
  sessionStorage.clear();
  Object.assign(state, { token: null, refreshToken: null, tenant: null, roles: [], started: false });
  if (state.feed) { state.feed.abort(); state.feed = null; }
  $("app").hidden = true;
  $("login-screen").hidden = false;
}
$("logout").addEventListener("click", logout);

const isOperator = () => state.roles.includes("operator") && !state.tenant;
function renderHeader() {
  $("whoami").textContent = isOperator() ? t("whoami.operator")
    : t("whoami.tenant", { tenant: state.tenant, roles: state.roles.map((role) => t("role." + role)).join(", ") });
}

async function start() {
  $("login-screen").hidden = true;
  $("app").hidden = false;
  state.started = true;
  const operator = isOperator();
  for (const id of ["nav-email", "nav-domains", "nav-contract", "nav-users", "nav-migration", "nav-events"]) { $(id).hidden = operator; }
  $("nav-tenants").hidden = !operator;
  renderHeader();
  if (operator) {
    location.hash = "#tenants";
    route();
    return;
  }
  for (const id of ["open-create", "open-basic-fee"]) { $(id).disabled = !isAdmin(); }
  [state.domains, state.rates] = await Promise.all([loadDomains(), api("/api/v1/rates")]);
  fillDomainSelects();
  startFeed();
  route();
}

// ---- navigation ----------------------------------------------------------------------------------
const views = { email: showEmail, domains: showDomains, contract: showContract, users: showUsers,
  migration: showMigration, events: async () => {}, tenants: showTenants };
window.addEventListener("hashchange", () => { notify(""); route(); });
function route() {
  const wanted = (location.hash || "#email").slice(1).split("/")[0];
  const name = views[wanted] ? wanted : "email";
  for (const key of Object.keys(views)) {
    $(key + "-view").hidden = key !== name;
    $("nav-" + key).classList.toggle("active", key === name);
    if (key === name) { $("nav-" + key).setAttribute("aria-current", "page"); } else { $("nav-" + key).removeAttribute("aria-current"); }
  }
  views[name]().catch((error) => notify(error.message, true));
}

function fillDomainSelects() {
  const options = () => state.domains.map((d) => h("option", { value: d.domain }, d.domain));
  const filter = $("filter-domain").value;
  fill($("f-domain"), options());
  fill($("filter-domain"), h("option", { value: "" }, t("email.allDomains")), options());
  $("filter-domain").value = filter;
}

// ---- email settings ------------------------------------------------------------------------------
$("filter-domain").addEventListener("change", () => { state.page = 0; showEmail(); });
let searchTimer;
$("search").addEventListener("input", () => { clearTimeout(searchTimer); searchTimer = setTimeout(() => { state.page = 0; showEmail(); }, 250); });
$("page-prev").addEventListener("click", () => { state.page = Math.max(0, state.page - 1); showEmail(); });
$("page-next").addEventListener("click", () => { state.page += 1; showEmail(); });

function feeLine(fee) {
  return t(fee.providerSupport ? "fee.lineWith" : "fee.lineWithout",
    { name: fee.name, price: I18n.money(fee.monthlyNetPrice, fee.currency) });
}

async function showEmail() {
  fillDomainSelects();
  const query = new URLSearchParams({ page: state.page, size: state.size });
  if ($("filter-domain").value) { query.set("domain", $("filter-domain").value); }
  if ($("search").value.trim()) { query.set("q", $("search").value.trim()); }
  const [page, fee] = await Promise.all([api("/api/v1/mailboxes?" + query), api("/api/v1/basic-fee")]);
  $("basic-fee-line").textContent = feeLine(fee);
  const admin = isAdmin();
  state.mailboxes = page.items;
  fill($("mailboxes").tBodies[0], page.items.map((m) => h("tr", { "data-id": m.id, "data-address": m.address },
    h("td", {}, h("a", { href: "#email/" + encodeURIComponent(m.id), className: "open-detail", onclick: (event) => {
      event.preventDefault(); openDetail(m.id);
    } }, m.address),
    m.forwardTo.length ? [h("br"), h("span", { className: "muted" },
      t(m.keepCopy ? "mailbox.forwardsKeeping" : "mailbox.forwards", { targets: m.forwardTo.join(", ") }))] : null),
    h("td", {}, `${m.firstName || ""} ${m.lastName || ""}`.trim()),
    h("td", {}, m.systemUserId),
    h("td", {}, rateName(m.rate), h("br"), h("span", { className: "muted" },
      t("mailbox.aliasCount", { count: m.aliases.length, limit: m.aliasLimit }))),
    h("td", {}, m.aliases.map((a) => h("div", { className: "alias" }, a.address))),
    h("td", { className: "actions" }, admin ? [
      h("button", { className: "secondary change-password", onclick: () => openPassword(m) }, t("password.open")),
      h("button", { className: "secondary change-rate", onclick: () => openRate(m) }, t("rate.open")),
      h("button", { className: "secondary delete", "data-id": m.id, onclick: () => openDelete(m) }, t("delete.open"))] : null))))
  if (!page.items.length) { fill($("mailboxes").tBodies[0], h("tr", {}, h("td", { colspan: 6, className: "muted" }, t("email.none")))); }
  $("page-info").textContent = t("pager.info", { page: page.page + 1, pages: Math.max(1, page.totalPages), total: page.totalItems });
  $("page-prev").disabled = page.page === 0;
  $("page-next").disabled = page.page + 1 >= page.totalPages;
}

function notify(text, error = false) {
  $("notice").textContent = text;
  $("notice").hidden = !text;
  $("notice").classList.toggle("failed", !!error);
}

function rateName(id) {
  const rate = state.rates.find((r) => r.id === id);
  return rate ? rate.name : id;
}
const rateOffer = (r) => t("rate.offer", { name: r.name, price: I18n.money(r.monthlyNetPrice, r.currency), limit: r.aliasLimit });

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
  clearProblem("create");
  const users = await allPages("/api/v1/users");
  // A new mailbox can belong only to an enabled user (mailbox-service refuses a disabled one).
  fill($("f-systemUserId"), users.filter((u) => u.enabled)
    .map((u) => h("option", { value: u.id }, `${u.displayName} (${u.username})`)));
  fill($("f-rate"), state.rates.map((r) => h("option", { value: r.id }, rateOffer(r))));
  fillDomainSelects();
  await searchTargets();
  toggleKind();
  openDialog("create-dialog");
}

// The alias's target: searched across all the tenant's mailboxes (the API's q), not only a first page.
let targetTimer;
$("f-target-search").addEventListener("input", () => { clearTimeout(targetTimer); targetTimer = setTimeout(searchTargets, 250); });
async function searchTargets() {
  const query = new URLSearchParams({ size: 50 });
  if ($("f-target-search").value.trim()) { query.set("q", $("f-target-search").value.trim()); }
  const found = await api("/api/v1/mailboxes?" + query);
  fill($("f-target"), found.items.map((m) => h("option", { value: m.id }, m.address)));
  $("f-target-info").textContent = found.totalItems > found.items.length
    ? t("create.targetMore", { shown: found.items.length, total: found.totalItems }) : "";
}

function toggleKind() {
  const alias = $("kind-alias").checked;
  document.querySelector("#create-form .for-mailbox").hidden = alias;
  document.querySelector("#create-form .for-alias").hidden = !alias;
}

// A dialog's errors: the problem's detail, its field errors listed, and those fields marked (id = prefix + field).
function clearProblem(dialog) {
  $(dialog + "-error").textContent = "";
  if ($(dialog + "-field-errors")) { $(dialog + "-field-errors").replaceChildren(); }
  for (const input of document.querySelectorAll(`#${dialog}-form [aria-invalid]`)) { input.removeAttribute("aria-invalid"); }
}

function showProblem(dialog, fieldPrefix, error) {
  $(dialog + "-error").textContent = error.message;
  for (const fieldError of (error.problem && error.problem.errors) || []) {
    if ($(dialog + "-field-errors")) { $(dialog + "-field-errors").append(h("li", {}, `${fieldError.field}: ${fieldError.message}`)); }
    const input = $(fieldPrefix + fieldError.field.replace(/\[.*$/, ""));
    if (input) { input.setAttribute("aria-invalid", "true"); }
  }
}

$("create-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  clearProblem("create");
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
    await refreshMailboxes();
  } catch (error) { showProblem("create", "f-", error); }
});

/** After a change: the list, and the detail view if it is open. */
async function refreshMailboxes() {
  await showEmail();
  if (state.detail) { await openDetail(state.detail, true); }
}

// ---- change password (same policy as at creation) ------------------------------------------------------
let passwordFor = null;
function openPassword(mailbox) {
  passwordFor = mailbox;
  notify("");
  $("password-form").reset();
  clearProblem("password");
  say($("password-for"), "password.for", { address: h("strong", { id: "password-address" }, mailbox.address) });
  openDialog("password-dialog");
}
$("password-cancel").addEventListener("click", () => $("password-dialog").close());
$("password-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  clearProblem("password");
  try {
    await api(`/api/v1/mailboxes/${encodeURIComponent(passwordFor.id)}/password`, { method: "PUT", body: JSON.stringify({
      password: $("p-password").value, passwordConfirmation: $("p-passwordConfirmation").value }) });
    $("password-dialog").close();
    notify(t("password.changed", { address: passwordFor.address }));
  } catch (error) { showProblem("password", "p-", error); }
});

// ---- the user's own password: the current one proves it is them; every session ends, this one too ----------
/** The user the access token names (its upn): the console keeps no other copy of it. */
function tokenUser() {
  try {
    const payload = state.token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    const json = new TextDecoder().decode(Uint8Array.from(atob(payload), (c) => c.charCodeAt(0)));
    return JSON.parse(json).upn || "";
  } catch (unreadable) { return ""; }
}

function openOwnPassword() {
  notify("");
  $("account-form").reset();
  clearProblem("account");
  say($("account-for"), "account.for", { user: strong(tokenUser()) });
  openDialog("account-dialog");
}
$("own-password").addEventListener("click", openOwnPassword);
$("account-cancel").addEventListener("click", () => $("account-dialog").close());
$("account-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  clearProblem("account");
  if ($("a-newPassword").value !== $("a-newPasswordRepeat").value) {
    showProblem("account", "a-", new ApiError({ detail: t("account.mismatch"),
      errors: [{ field: "newPasswordRepeat", message: t("account.mismatchField") }] }));
    return;
  }
  try {
    await api("/api/v1/users/me/password", { method: "PUT", body: JSON.stringify({
      currentPassword: $("a-currentPassword").value, newPassword: $("a-newPassword").value }) });
    $("account-dialog").close();
    logout();
    $("login-notice").textContent = t("account.changed");
    $("login-notice").hidden = false;
    $("login-username").focus();
  } catch (error) { showProblem("account", "a-", error); }
});

// ---- change rate (the catalog's rates; the service refuses one whose alias limit is too low) ------------
let rateFor = null;
function openRate(mailbox) {
  rateFor = mailbox;
  notify("");
  clearProblem("rate");
  say($("rate-for"), "rate.for", { address: strong(mailbox.address), rate: rateName(mailbox.rate), count: mailbox.aliases.length });
  const legend = $("rate-options").querySelector("legend");
  fill($("rate-options"), legend, state.rates.map((r) => h("label", { className: "plan" },
    h("input", { type: "radio", name: "rate", value: r.id, checked: r.id === mailbox.rate }),
    h("span", {}, strong(r.name), " – ", t("price.netPerMonth", { price: I18n.money(r.monthlyNetPrice, r.currency) }), h("br"),
      h("span", { className: "muted" }, t("rate.limits", { limit: r.aliasLimit, storage: I18n.number(r.storageGiB) }))))));
  openDialog("rate-dialog");
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
    notify(t("rate.changed", { address: mailbox.address, rate: rateName(mailbox.rate) }));
    await refreshMailboxes();
  } catch (error) { showProblem("rate", "rate-", error); }
});

// ---- delete -----------------------------------------------------------------------------------------
let deleting = null;
function openDelete(mailbox) {
  deleting = mailbox;
  say($("delete-what"), "delete.what", { address: strong(mailbox.address) });
  openDialog("delete-dialog");
}
$("delete-cancel").addEventListener("click", () => $("delete-dialog").close());
$("delete-confirm").addEventListener("click", async () => {
  try {
    await api(`/api/v1/mailboxes/${encodeURIComponent(deleting.id)}`, { method: "DELETE" });
    $("delete-dialog").close();
    if (state.detail === deleting.id) { closeDetail(); }
    await showEmail();
  } catch (error) { $("delete-dialog").close(); notify(error.message, true); }
});

// ---- mailbox detail: fields, aliases (add, remove, the limit ahead), email account setup, history ---------------------
state.detail = null;
async function openDetail(id, keepFocus = false) {
  const [mailbox, history] = await Promise.all([api("/api/v1/mailboxes/" + encodeURIComponent(id)),
    api("/api/v1/mailboxes/" + encodeURIComponent(id) + "/history")]);
  state.detail = id;
  state.detailMailbox = mailbox;
  const panel = $("mailbox-detail");
  panel.hidden = false;
  $("detail-address").textContent = mailbox.address;
  const admin = isAdmin();
  for (const button of ["detail-password", "detail-rate", "detail-delete"]) { $(button).hidden = !admin; }
  $("alias-form").hidden = !admin;
  const field = (label, value) => [h("dt", {}, label), h("dd", {}, value === "" || value === null || value === undefined ? "–" : value)];
  fill($("detail-fields"),
    field(t("create.firstName"), mailbox.firstName), field(t("create.lastName"), mailbox.lastName),
    field(t("mailbox.systemUser"), mailbox.systemUserId),
    field(t("mailbox.rate"), rateName(mailbox.rate)),
    field(t("create.forwarding"), mailbox.forwardTo.length ? mailbox.forwardTo.join(", ") : t("detail.noForwarding")),
    field(t("create.keepCopy"), mailbox.forwardTo.length ? t(mailbox.keepCopy ? "common.yes" : "common.no") : "–"));
  renderAliases(mailbox);
  await renderSetup(mailbox);
  renderHistory(history);
  if (!keepFocus) { panel.scrollIntoView(); panel.focus(); }
}

function closeDetail() {
  state.detail = null;
  $("mailbox-detail").hidden = true;
}
$("detail-close").addEventListener("click", closeDetail);
$("detail-password").addEventListener("click", () => openPassword(state.detailMailbox));
$("detail-rate").addEventListener("click", () => openRate(state.detailMailbox));
$("detail-delete").addEventListener("click", () => openDelete(state.detailMailbox));

function renderAliases(mailbox) {
  const count = mailbox.aliases.length;
  const left = mailbox.aliasLimit - count;
  const warning = $("alias-limit-warning");
  warning.hidden = left > 1;
  warning.textContent = left <= 0 ? t("detail.limitReached", { limit: mailbox.aliasLimit, rate: rateName(mailbox.rate) })
    : left === 1 ? t("detail.limitNear", { limit: mailbox.aliasLimit, rate: rateName(mailbox.rate) }) : "";
  fill($("detail-aliases"), count ? mailbox.aliases.map((alias) => h("li", { "data-alias": alias.address },
    h("span", {}, alias.address), " ",
    isAdmin() ? h("button", { type: "button", className: "secondary remove-alias", "aria-label": t("detail.removeAliasOf", { alias: alias.address }),
      onclick: () => openRemoveAlias(mailbox, alias.address) }, t("detail.removeAlias")) : null))
    : h("li", { className: "muted" }, t("detail.noAliases")));
  fill($("a-domain"), state.domains.map((d) => h("option", { value: d.domain }, d.domain)));
  $("a-domain").value = mailbox.address.split("@")[1];
  $("alias-add").disabled = left <= 0;
}

$("alias-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  $("alias-error").textContent = "";
  try {
    await api(`/api/v1/mailboxes/${encodeURIComponent(state.detail)}/aliases`, { method: "POST",
      body: JSON.stringify({ localPart: $("a-localPart").value, domain: $("a-domain").value }) });
    $("a-localPart").value = "";
    await refreshMailboxes();
  } catch (error) { $("alias-error").textContent = error.message; }
});

let removing = null;
function openRemoveAlias(mailbox, alias) {
  removing = { mailbox, alias };
  $("alias-remove-error").textContent = "";
  say($("alias-what"), "aliasRemove.what", { alias: strong(alias), address: mailbox.address });
  openDialog("alias-dialog");
}
$("alias-cancel").addEventListener("click", () => $("alias-dialog").close());
$("alias-confirm").addEventListener("click", async () => {
  try {
    await api(`/api/v1/mailboxes/${encodeURIComponent(removing.mailbox.id)}/aliases/${encodeURIComponent(removing.alias)}`,
      { method: "DELETE" });
    $("alias-dialog").close();
    notify(t("aliasRemove.done", { alias: removing.alias }));
    await refreshMailboxes();
  } catch (error) { $("alias-remove-error").textContent = error.message; }
});

// The manual's "Login details" step: the connection security chosen, the server settings for it.
for (const radio of document.querySelectorAll("input[name=security]")) {
  radio.addEventListener("change", () => state.detailMailbox && renderSetup(state.detailMailbox));
}
async function renderSetup(mailbox) {
  const security = document.querySelector("input[name=security]:checked").value;
  const domain = mailbox.address.split("@")[1];
  $("setup-note").hidden = security !== "starttls";
  $("setup-warning").hidden = security !== "unencrypted";
  let settings;
  try {
    settings = await api("/api/v1/domains/" + encodeURIComponent(domain) + "/client-settings");
  } catch (error) {
    fill($("setup-settings"), h("p", { className: "error" }, error.message));
    return;
  }
  fill($("setup-settings"), table("setup-table", [t("settings.serverType"), t("settings.server"), t("settings.security"),
    t("settings.port"), t("setup.username")], settings.tables[security].map((r) => h("tr", { "data-server-type": r.serverType },
    h("td", {}, r.serverType), h("td", {}, r.server), h("td", {}, r.connectionSecurity === "none" ? t("setup.none") : r.connectionSecurity),
    h("td", { className: "port" }, String(r.port)), h("td", {}, mailbox.address)))));
}

const HISTORY = { MailboxCreated: (d) => t("history.MailboxCreated", { rate: rateName(d.rate) }),
  AliasAdded: (d) => t("history.AliasAdded", { alias: d.alias }),
  AliasRemoved: (d) => t("history.AliasRemoved", { alias: d.alias, until: I18n.dateTime(d.blockedUntil) }),
  RateChanged: (d) => t("history.RateChanged", { from: rateName(d.previousRate), to: rateName(d.rate) }),
  PasswordChanged: () => t("history.PasswordChanged"),
  MailboxDeleted: (d) => t("history.MailboxDeleted", { until: I18n.dateTime(d.blockedUntil) }),
  AddressReleased: (d) => t("history.AddressReleased", { address: d.address }) };
function renderHistory(history) {
  fill($("detail-history"), table("history", [t("history.when"), t("history.who"), t("history.what")],
    [...history].reverse().map((entry) => h("tr", { "data-type": entry.type }, h("td", {}, I18n.dateTime(entry.occurredAt)),
      h("td", {}, entry.actor || "–"), h("td", {}, HISTORY[entry.type] ? HISTORY[entry.type](entry.data || {}) : entry.type)))));
}

// ---- basic fee (one plan for all mailboxes) -------------------------------------------------------------------
$("open-basic-fee").addEventListener("click", async () => {
  const [plans, current] = await Promise.all([api("/api/v1/basic-fees"), api("/api/v1/basic-fee")]);
  const legend = $("fee-plans").querySelector("legend");
  fill($("fee-plans"), legend, plans.map((p) => h("label", { className: "plan" },
    h("input", { type: "radio", name: "plan", value: p.id, checked: p.id === current.plan }),
    h("span", {}, strong(p.name), " – ", t("price.netPerMonth", { price: I18n.money(p.monthlyNetPrice, p.currency) }),
      " · ", t(p.providerSupport ? "fee.withSupport" : "fee.withoutSupport"), h("br"),
      h("span", { className: "muted" }, p.description)))));
  $("fee-error").textContent = "";
  const address = await billingAddress().catch(() => null);
  state.feeMail = address && address.email;
  $("fee-mail").textContent = address ? t("fee.mailTo", { email: address.email }) : t("fee.noMail");
  openDialog("fee-dialog");
});
$("fee-cancel").addEventListener("click", () => $("fee-dialog").close());
$("fee-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const plan = document.querySelector("#fee-plans input:checked");
  try {
    const fee = await api("/api/v1/basic-fee", { method: "PUT", body: JSON.stringify({ plan: plan && plan.value }) });
    $("fee-dialog").close();
    notify(t("fee.changed", { name: fee.name || (plan && plan.value) }) + " "
      + (state.feeMail ? t("fee.mailSent", { email: state.feeMail }) : t("fee.noMail")));
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

/** Every domain of the tenant. */
const loadDomains = () => allPages("/api/v1/domains");

// A view drawn again while it is being drawn (a click during the load): only the latest drawing is shown.
let domainsDrawing = 0;
let domainDrawing = 0;
async function showDomains() {
  const drawing = ++domainsDrawing;
  const domains = await loadDomains();
  if (drawing !== domainsDrawing) { return; }
  state.domains = domains;
  fill($("domain-list"), state.domains.map((d) => h("li", { "data-domain": d.domain, className: d.domain === state.selectedDomain ? "active" : "" },
    h("button", { type: "button", className: "link", "aria-current": d.domain === state.selectedDomain ? "true" : null,
      onclick: () => { state.selectedDomain = d.domain; showDomains(); } }, d.domain),
    d.state === "pending" ? [" ", h("span", { className: "badge pending" }, t("domains.pending"))] : null)));
  if (!state.domains.length) { fill($("domain-list"), h("li", { className: "muted" }, t("domains.none"))); }
  if (state.selectedDomain) { await showDomain(state.selectedDomain); } else { $("domain-detail").replaceChildren(); }
}

// A pending domain is not served by the DNS server and receives no mail until the tenant proves it owns it.
function verificationPanel(registered, domain) {
  if (registered.state !== "pending") {
    const how = registered.verification.method === "dns-txt" ? t("verification.byTxt")
      : registered.verification.method === "none" ? t("verification.none") : t("verification.before");
    return h("p", { id: "domain-verification", className: "verified" }, t("verification.verified", { how }));
  }
  const record = registered.verification.record;
  return h("section", { id: "domain-verification", className: "pending" },
    h("h4", {}, t("verification.pendingTitle")),
    h("p", {}, t("verification.pendingText")),
    h("table", {}, h("thead", {}, h("tr", {}, h("th", {}, t("dns.name")), h("th", {}, t("dns.type")), h("th", {}, t("dns.value")))),
      h("tbody", {}, h("tr", {}, h("td", {}, h("code", { id: "verification-name" }, record.name)), h("td", {}, record.type),
        h("td", {}, h("code", { id: "verification-value" }, record.value))))),
    h("p", { id: "claim-expires" }, t("verification.claim", { until: I18n.dateTime(registered.verification.claimExpiresAt) })),
    h("button", { id: "verify-domain", type: "button", disabled: !isAdmin(), onclick: () => verifyDomain(domain) }, t("verification.check")),
    h("p", { id: "verify-error", className: "error", role: "alert" }));
}

async function verifyDomain(domain) {
  $("verify-error").textContent = "";
  try {
    await api("/api/v1/domains/" + encodeURIComponent(domain) + "/verify", { method: "POST" });
    await showDomains();
  } catch (error) { $("verify-error").textContent = error.message; }
}

function table(id, headings, rows, caption) {
  return h("table", { id }, caption ? h("caption", { className: "muted" }, caption) : null,
    h("thead", {}, h("tr", {}, headings.map((heading) => h("th", {}, heading)))), h("tbody", {}, rows));
}

async function showDomain(domain) {
  const drawing = ++domainDrawing;
  const base = "/api/v1/domains/" + encodeURIComponent(domain);
  let registered, records, check, settings;
  try {
    [registered, records, check, settings] = await Promise.all([api(base), api(base + "/records?size=500"), api(base + "/check"),
      api(base + "/client-settings")]);
    if (drawing !== domainDrawing) { return; }
  } catch (error) {
    if (drawing !== domainDrawing) { return; }
    fill($("domain-detail"), h("p", { className: "muted" }, t("dns.settingUp", { reason: error.message })));
    setTimeout(() => state.selectedDomain === domain && showDomain(domain), 1000);
    return;
  }
  const status = (record) => {
    const result = check.find((c) => c.type === record.type && c.name === record.fqdn && c.expected.replace(/"/g, "").includes(record.value.slice(0, 30).replace(/"/g, "")));
    return result ? h("span", { className: "status-" + result.status }, t("check." + result.status)) : "";
  };
  const settingsTable = (title, rows) => [h("h4", {}, title), table(null, [t("settings.serverType"), t("settings.server"),
    t("settings.security"), t("settings.port")], rows.map((r) => h("tr", {}, h("td", {}, r.serverType), h("td", {}, r.server),
    h("td", {}, r.connectionSecurity), h("td", {}, String(r.port)))))];
  fill($("domain-detail"),
    h("h3", {}, domain, " ", h("span", { className: "muted" }, t("dns.serial", { serial: records.serial }))),
    verificationPanel(registered, domain),
    table("dns-records", [t("dns.source"), t("dns.type"), t("dns.target"), t("dns.by"), t("dns.check"), t("common.actions")],
      records.records.map((r) => h("tr", { "data-record": r.id, "data-managed-by": r.managedBy }, h("td", {}, r.source),
        h("td", {}, r.type), h("td", {}, h("code", {}, r.value)), h("td", {}, t("dns.managedBy." + r.managedBy)), h("td", {}, status(r)),
        h("td", { className: "actions" }, r.managedBy === "TENANT" && isAdmin() ? h("button", { type: "button", className: "secondary delete-record",
          "aria-label": t("assistant.deleteRecordOf", { type: r.type, source: r.source }),
          onclick: () => deleteRecord(domain, r.id) }, t("assistant.delete")) : null)))),
    h("p", { id: "record-error", className: "error", role: "alert" }),
    isAdmin() ? assistant(domain, records.records) : null,
    h("h3", {}, t("settings.title")),
    settingsTable(t("settings.ssl"), settings.tables.ssl), settingsTable(t("settings.starttls"), settings.tables.starttls),
    settingsTable(t("settings.unencrypted"), settings.tables.unencrypted),
    h("section", { id: "dkim-panel" }, h("h3", {}, t("dkim.title")), h("p", { className: "muted" }, t("common.loading"))));
  await showDkim(domain);
}

// ---- the domain assistant: the tenant's own TXT records, and the SPF of an external mail server ---------------------
/** The tenant's SPF: its TXT at the apex starting with v=spf1 (dns-service serves it merged into the one SPF record). */
const tenantSpf = (records) => records.find((r) => r.managedBy === "TENANT" && r.type === "TXT" && r.source === "@"
  && /^"?v=spf1(\s|$)/i.test(r.value));

function assistant(domain, records) {
  const spf = tenantSpf(records);
  return [
    h("section", { id: "txt-records", "aria-labelledby": "txt-heading" },
      h("h3", { id: "txt-heading" }, t("assistant.txtTitle")),
      h("p", { className: "muted" }, t("assistant.txtIntro")),
      h("form", { id: "txt-form", className: "card grid", onsubmit: (event) => { event.preventDefault(); addTxt(domain); } },
        h("label", {}, h("span", {}, t("dns.source")), h("input", { id: "txt-source", placeholder: "mbo0001._domainkey", "aria-describedby": "txt-source-hint" })),
        h("p", { id: "txt-source-hint", className: "muted" }, t("assistant.sourceHint", { domain })),
        h("label", {}, h("span", {}, t("dns.target")), h("textarea", { id: "txt-value", rows: 2, required: true })),
        h("p", { id: "txt-error", className: "error", role: "alert" }),
        h("div", { className: "buttons" }, h("button", { type: "submit", id: "txt-add" }, t("assistant.addTxt"))))),
    h("section", { id: "spf-settings", "aria-labelledby": "spf-heading" },
      h("h3", { id: "spf-heading" }, t("assistant.spfTitle")),
      h("form", { id: "spf-form", className: "card grid", onsubmit: (event) => { event.preventDefault(); saveSpf(domain, spf); } },
        h("label", {}, h("span", {}, "SPF"), h("input", { id: "spf-value", value: spf ? spf.value : "", placeholder: "v=spf1 include:_spf.your-shop.example -all",
          "aria-describedby": "spf-hint" })),
        h("p", { id: "spf-hint", className: "muted" }, t("assistant.spfHint")),
        h("p", { id: "spf-error", className: "error", role: "alert" }),
        h("div", { className: "buttons" }, h("button", { type: "submit", id: "spf-save" }, t("assistant.saveSpf")))))];
}

async function addTxt(domain) {
  $("txt-error").textContent = "";
  try {
    await api("/api/v1/domains/" + encodeURIComponent(domain) + "/records", { method: "POST",
      body: JSON.stringify({ source: $("txt-source").value.trim(), type: "TXT", value: $("txt-value").value.trim() }) });
    await showDomain(domain);
    $("txt-value").focus();
  } catch (error) { $("txt-error").textContent = problemText(error); }
}

async function deleteRecord(domain, id) {
  $("record-error").textContent = "";
  try {
    await api("/api/v1/domains/" + encodeURIComponent(domain) + "/records/" + encodeURIComponent(id), { method: "DELETE" });
    await showDomain(domain);
  } catch (error) { $("record-error").textContent = error.message; }
}

// One SPF record per domain: a changed entry replaces the tenant's previous one, an empty one removes it.
async function saveSpf(domain, previous) {
  $("spf-error").textContent = "";
  const value = $("spf-value").value.trim();
  const base = "/api/v1/domains/" + encodeURIComponent(domain) + "/records";
  if (previous && previous.value === value) { return; }
  let removed = false;
  try {
    if (previous) { await api(base + "/" + encodeURIComponent(previous.id), { method: "DELETE" }); removed = true; }
    if (value) { await api(base, { method: "POST", body: JSON.stringify({ source: "", type: "TXT", value }) }); }
    await showDomain(domain);
  } catch (error) {
    // the new entry was refused: the previous one is put back, so the domain keeps its SPF
    if (removed) { await api(base, { method: "POST", body: JSON.stringify({ source: "", type: "TXT", value: previous.value }) }).catch(() => {}); }
    await showDomain(domain).catch(() => {});
    if ($("spf-value")) { $("spf-value").value = value; }
    if ($("spf-error")) { $("spf-error").textContent = problemText(error); }
  }
}

/** A problem's detail with its field errors. */
const problemText = (error) => [error.message, ...((error.problem && error.problem.errors) || [])
  .map((e) => `${e.field}: ${e.message}`)].filter((text, index, all) => all.indexOf(text) === index).join(" · ");

// ---- DKIM: the domain's own signing keys under two selectors, and their rotation -------------------
const utc = (instant) => I18n.dateTime(instant, "UTC");
const whenUtc = (instant) => (instant ? t("time.utc", { time: utc(instant) }) : "–");
let dkimTimer = null;

async function showDkim(domain) {
  clearTimeout(dkimTimer);
  const onScreen = () => state.selectedDomain === domain && $("dkim-panel") && !$("domains-view").hidden;
  let dkim;
  try {
    dkim = await api("/api/v1/domains/" + encodeURIComponent(domain) + "/dkim");
  } catch (error) {
    if (onScreen()) {
      fill($("dkim-panel"), h("h3", {}, t("dkim.title")), h("p", { className: "muted" },
        error.status === 404 ? dkimOff() : t("dkim.unreadable", { reason: error.message })));
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

const dkimOff = () => say(h("span", { id: "dkim-off" }), "dkim.off", { enable: h("code", {}, "./mailops up") });

// An ISO-8601 duration as people say it: Java writes 30 days as PT720H.
function period(iso) {
  const hours = /^PT(\d+)H$/.exec(iso || "");
  return hours && Number(hours[1]) % 24 === 0 ? t("time.days", { days: Number(hours[1]) / 24 }) : iso;
}

function renderDkim(dkim) {
  state.dkim = dkim;
  const panel = $("dkim-panel");
  if (!dkim.enabled) {
    fill(panel, h("h3", {}, t("dkim.title")), h("p", { className: "muted" }, dkimOff()));
    return;
  }
  const admin = isAdmin();
  const schedule = !dkim.rotationInterval ? t("dkim.manual")
    : dkim.nextRotationAt ? t("dkim.next", { at: whenUtc(dkim.nextRotationAt), every: period(dkim.rotationInterval) })
      : t("dkim.scheduled", { every: period(dkim.rotationInterval) });
  const notice = state.dkimNotice && state.dkimNotice.domain === dkim.domain ? state.dkimNotice.text : "";
  fill(panel,
    h("div", { className: "toolbar" }, h("h3", {}, t("dkim.title")), h("span", { className: "muted" }, dkim.algorithm),
      h("span", { className: "spacer" }),
      admin ? h("button", { id: "dkim-rotate", className: "secondary", onclick: openDkimRotate }, t("dkim.rotate"))
        : h("span", { className: "muted" }, t("dkim.adminsOnly"))),
    h("p", { id: "dkim-schedule" }, schedule),
    h("p", { id: "dkim-notice", className: "notice", role: "status", hidden: !notice }, notice),
    table("dkim-selectors", [t("dkim.selector"), t("dkim.state"), t("dkim.dnsName"), t("dkim.generated"), t("dkim.published"),
      t("dkim.activeSince"), t("dkim.retiredAt")], dkim.selectors.length ? dkim.selectors.map((s) => h("tr", { "data-selector": s.selector, "data-state": s.state },
      h("td", {}, strong(s.selector)),
      h("td", {}, h("span", { className: "dkim-state state-" + s.state }, t("dkim.state." + s.state)), h("br"),
        h("span", { className: "muted" }, t("dkim.stateText." + s.state))),
      h("td", {}, h("code", {}, s.dnsName)), h("td", {}, utc(s.generatedAt)), h("td", {}, utc(s.publishedAt)),
      h("td", {}, utc(s.activatedAt)), h("td", { className: "retires" }, utc(s.retiresAt))))
      : h("tr", {}, h("td", { colspan: 7, className: "muted" }, t("dkim.noKeys"))), t("dkim.timesUtc")));
}

function openDkimRotate() {
  const { selectors } = state.dkim;
  const active = selectors.find((s) => s.state === "active");
  const standby = selectors.find((s) => s.state !== "active");
  $("dkim-error").textContent = "";
  $("dkim-retry").textContent = "";
  say($("dkim-intro"), "dkim.rotateIntro", { standby: strong(standby ? standby.selector : "–") });
  say($("dkim-step-old"), "dkim.rotateOld", { active: strong(active ? active.selector : t("dkim.theActive")),
    stays: strong(t("dkim.staysPublished")) });
  say($("dkim-step-fresh"), "dkim.rotateFresh", { active: active ? active.selector : t("dkim.thatSelector") });
  const status = standby && {
    published: () => say($("dkim-standby-status"), "dkim.standbyPublished", { already: strong(t("dkim.alreadyPublished")),
      since: whenUtc(standby.publishedAt) }),
    generated: () => say($("dkim-standby-status"), "dkim.standbyGenerated", { notYet: strong(t("dkim.notPublishedYet")) }),
    retiring: () => say($("dkim-standby-status"), "dkim.standbyRetiring", { until: whenUtc(standby.retiresAt) }) }[standby.state];
  if (status) { status(); } else { $("dkim-standby-status").textContent = t("dkim.noStandby"); }
  openDialog("dkim-dialog");
}

// "Retry after": seconds (the header, or a number in the problem) or an instant.
function retryText(error) {
  const value = (error.problem && error.problem.retryAfter) ?? error.retryAfter;
  if (value === null || value === undefined || value === "") { return ""; }
  if (/^\d+$/.test(String(value))) {
    return t("retry.seconds", { seconds: value, at: whenUtc(new Date(Date.now() + Number(value) * 1000).toISOString()) });
  }
  return t("retry.after", { at: /^\d{4}-\d{2}-\d{2}T/.test(String(value)) ? whenUtc(String(value)) : String(value) });
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
    state.dkimNotice = { domain, text: t("dkim.signsNow", { selector: active ? active.selector : "?" })
      + (retiring ? " " + t("dkim.oldStays", { selector: retiring.selector, until: whenUtc(retiring.retiresAt) }) : "") };
    if (state.selectedDomain === domain && $("dkim-panel")) {
      renderDkim(dkim);
      clearTimeout(dkimTimer);
      dkimTimer = setTimeout(() => showDkim(domain), 2000);
    }
  } catch (error) {
    $("dkim-error").textContent = error.message;
    $("dkim-retry").textContent = retryText(error);
  }
});

// ---- contract, billing address, statement, revisions ------------------------------------------------------
$("statement-month").addEventListener("change", showStatement);
async function showContract() {
  const [contract, revisions, address, vatRates] = await Promise.all([api("/api/v1/contract"),
    allPages("/api/v1/contract/revisions", 500), billingAddress(), api("/api/v1/vat-rates")]);
  const money = (amount) => I18n.money(amount, contract.currency);
  fill($("contract"),
    h("p", {}, t("contract.revision", { revision: contract.revision }), " · ", t("contract.basicFee"), " ",
      strong(contract.basicFee.name), ` (${money(contract.basicFee.monthlyNetPrice)})`),
    table("contract-lines", [t("contract.mailbox"), t("mailbox.rate"), t("contract.netPerMonth"), t("contract.since")], [
      contract.mailboxes.map((m) => h("tr", {}, h("td", {}, m.address), h("td", {}, m.rateName), h("td", {}, money(m.monthlyNetPrice)),
        h("td", {}, I18n.date(m.since)))),
      h("tr", { className: "totals" }, h("td", { colspan: 2 }, t("contract.netPerMonth")), h("td", {}, money(contract.monthlyNetTotal)), h("td")),
      h("tr", { className: "totals" }, h("td", { colspan: 2 }, t("contract.vat", { percent: I18n.number(contract.vat.percent), country: contract.vat.country })),
        h("td", {}, money(contract.vat.amount)), h("td")),
      h("tr", { className: "totals" }, h("td", { colspan: 2 }, t("contract.grossPerMonth")), h("td", {}, money(contract.monthlyGrossTotal)), h("td"))]));
  // The revisions as a timeline, newest first: when, what changed, what caused it, the monthly net after it.
  fill($("revisions"), revisions.map((r) => h("li", { "data-revision": r.revision },
    h("time", { datetime: r.occurredAt }, I18n.dateTime(r.occurredAt)), " ",
    h("span", { className: "muted" }, t("revisions.number", { revision: r.revision })), h("br"),
    strong(r.change), h("br"),
    h("span", { className: "muted" }, t("revisions.after", { cause: r.cause.type, net: money(r.monthlyNetTotal) })))));
  if (!revisions.length) { fill($("revisions"), h("li", { className: "muted" }, t("revisions.none"))); }
  fillBillingForm(address, vatRates);
  if (!$("statement-month").value) { $("statement-month").value = new Date().toISOString().slice(0, 7); }
  await showStatement();
}

/** The billing address, or null before one is set (404). */
async function billingAddress() {
  try {
    return await api("/api/v1/contract/billing-address");
  } catch (error) {
    if (error.status === 404) { return null; }
    throw error;
  }
}

function fillBillingForm(address, vatRates) {
  clearProblem("billing");
  $("billing-saved").hidden = true;
  fill($("b-country"), Object.keys(vatRates).sort().map((country) => h("option", { value: country },
    countryName(country))));
  const value = address || { country: "DE" };
  for (const name of ["company", "street", "postalCode", "city", "country", "email", "vatId"]) { $("b-" + name).value = value[name] || ""; }
  for (const element of $("billing-form").elements) { element.disabled = !isAdmin(); }
}

function countryName(code) {
  try {
    return `${new Intl.DisplayNames([I18n.language()], { type: "region" }).of(code)} (${code})`;
  } catch (error) { return code; }
}

$("billing-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  clearProblem("billing");
  $("billing-saved").hidden = true;
  const body = Object.fromEntries(["company", "street", "postalCode", "city", "country", "email", "vatId"]
    .map((name) => [name, $("b-" + name).value.trim() || null]));
  try {
    const saved = await api("/api/v1/contract/billing-address", { method: "PUT", body: JSON.stringify(body) });
    $("billing-saved").textContent = t("billing.saved", { email: saved.email });
    $("billing-saved").hidden = false;
  } catch (error) { showProblem("billing", "b-", error); }
});

async function showStatement() {
  const statement = await api("/api/v1/contract/statements/" + $("statement-month").value);
  const money = (amount) => I18n.money(amount, statement.currency);
  fill($("statement"), table("statement-lines", [t("statement.item"), t("statement.from"), t("statement.to"), t("statement.days"),
    t("statement.net")], [
    statement.lines.map((l) => h("tr", {}, h("td", {}, l.description), h("td", {}, I18n.date(l.from)), h("td", {}, I18n.date(l.to)),
      h("td", {}, `${l.days} / ${l.daysInMonth}`), h("td", {}, money(l.net)))),
    h("tr", { className: "totals" }, h("td", { colspan: 4 }, t("statement.net")), h("td", {}, money(statement.netTotal))),
    h("tr", { className: "totals" }, h("td", { colspan: 4 }, t("statement.vat", { percent: I18n.number(statement.vat.percent) })),
      h("td", {}, money(statement.vat.amount))),
    h("tr", { className: "totals" }, h("td", { colspan: 4 }, t("statement.gross")), h("td", {}, money(statement.grossTotal)))],
  t("statement.caption", { month: I18n.month(statement.month || $("statement-month").value) })));
}

// ---- users of the tenant ---------------------------------------------------------------------------
async function showUsers() {
  const users = await allPages("/api/v1/users");
  const admin = isAdmin();
  $("user-form").hidden = !admin;
  fill($("users").tBodies[0], users.map((u) => h("tr", { "data-username": u.username },
    h("td", {}, u.username), h("td", {}, u.displayName), h("td", {}, u.roles.map((role) => t("role." + role)).join(", ")),
    h("td", {}, t(u.enabled === false ? "users.disabled" : "users.enabled")),
    h("td", { className: "actions" }, admin ? h("button", { className: "secondary toggle-user",
      onclick: () => setUserEnabled(u.username, u.enabled === false) }, t(u.enabled === false ? "users.enable" : "users.disable")) : null))));
}

$("user-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  clearProblem("user");
  const roles = [...document.querySelectorAll("#user-form input[name=role]:checked")].map((box) => box.value);
  try {
    await api("/api/v1/users", { method: "POST", body: JSON.stringify({ username: $("u-username").value.trim(),
      displayName: $("u-displayName").value.trim(), password: $("u-password").value, roles }) });
    notify(t("users.created", { username: $("u-username").value.trim() }));
    $("user-form").reset();
    await showUsers();
  } catch (error) { showProblem("user", "u-", error); }
});

async function setUserEnabled(username, enabled) {
  try {
    await api(`/api/v1/users/${encodeURIComponent(username)}/enabled`, { method: "PUT", body: JSON.stringify({ enabled }) });
    notify("");
    await showUsers();
  } catch (error) { notify(error.message, true); }
}

// ---- migration: the CSV import (checked first, then a job in mailbox-service) and the export ----------
async function showMigration() {
  $("import-form").hidden = !isAdmin();
}

function renderImportLines(lines) {
  const shown = (lines || []).filter((line) => line.errors.length > 0 || line.outcome !== "unchanged");
  $("import-lines").hidden = shown.length === 0;
  fill($("import-lines").tBodies[0], shown.map((line) => h("tr", { className: line.errors.length ? "invalid" : null },
    h("td", {}, line.line), h("td", {}, line.address || "–"), h("td", {}, t("migration.outcome." + line.outcome)),
    h("td", {}, line.errors.map((e) => `${e.field}: ${e.message}`).join(" · ")))));
}

async function uploadImport(dryRun) {
  const file = $("import-file").files[0];
  $("import-error").textContent = "";
  $("import-summary").textContent = "";
  if (!file) {
    $("import-error").textContent = t("migration.noFile");
    return;
  }
  try {
    // The file's bytes as they are (UTF-8): mailbox-service decodes and checks them.
    const result = await api("/api/v1/imports" + (dryRun ? "?dryRun=true" : ""), { method: "POST",
      body: await file.arrayBuffer(), headers: { "Content-Type": "text/csv; charset=utf-8" } });
    if (dryRun) {
      say($("import-summary"), "migration.checked", { total: result.totalLines, create: result.create,
        unchanged: result.unchanged, invalid: result.invalid });
      renderImportLines(result.lines);
    } else {
      renderImportLines([]);
      await followImport(result);
    }
  } catch (error) {
    if (error.problem && error.problem.lines) {
      renderImportLines(error.problem.lines);
      $("import-error").textContent = t("migration.refused");
    } else {
      $("import-error").textContent = problemText(error);
    }
  }
}

/** Shows the job's progress until it has finished, then every line's result. */
async function followImport(job) {
  $("import-progress-box").hidden = false;
  for (;;) {
    $("import-progress").max = Math.max(job.totalLines, 1);
    $("import-progress").value = job.processedLines;
    $("import-progress-label").textContent = t("migration.progress", { done: job.processedLines, total: job.totalLines });
    if (job.state === "finished") { break; }
    await new Promise((resolve) => setTimeout(resolve, 500));
    job = await api(`/api/v1/imports/${encodeURIComponent(job.id)}`);
  }
  say($("import-summary"), "migration.finished", { created: job.created, unchanged: job.unchanged, failed: job.failed });
  renderImportLines(job.lines);
}

$("import-check").addEventListener("click", () => uploadImport(true));
$("import-form").addEventListener("submit", (event) => {
  event.preventDefault();
  uploadImport(false);
});

$("export-csv").addEventListener("click", async () => {
  try {
    const csv = await api("/api/v1/exports/mailboxes.csv", { headers: { Accept: "text/csv" } });
    const link = $("export-link");
    if (link.href) { URL.revokeObjectURL(link.href); }
    link.href = URL.createObjectURL(new Blob([csv], { type: "text/csv;charset=utf-8" }));
    link.textContent = t("migration.exported", { count: csv.split("\n").filter((row) => row.trim()).length - 1 });
    link.hidden = false;
    link.focus();
  } catch (error) { notify(problemText(error), true); }
});

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

function showEvent(event) {
  $("event-feed").prepend(h("li", {}, strong(event.type), " ", h("span", { className: "muted" }, I18n.dateTime(event.time)),
    h("br"), h("code", {}, JSON.stringify(event.data))));
}

// ---- tenants (operators) -------------------------------------------------------------------------
async function showTenants() {
  const tenants = await allPages("/api/v1/tenants");
  fill($("tenants").tBodies[0], tenants.map((tenant) => h("tr", { "data-id": tenant.id },
    h("td", {}, tenant.id), h("td", {}, tenant.displayName), h("td", {}, t(tenant.enabled ? "tenants.enabled" : "tenants.disabled")),
    h("td", {}, I18n.date(tenant.createdAt)),
    h("td", { className: "actions" }, h("button", { className: "secondary toggle-tenant", onclick: () => setTenantEnabled(tenant.id, !tenant.enabled) },
      t(tenant.enabled ? "tenants.disable" : "tenants.enable"))))));
  if (!tenants.length) { fill($("tenants").tBodies[0], h("tr", {}, h("td", { colspan: 5, className: "muted" }, t("tenants.none")))); }
  $("tenants-info").textContent = t("tenants.count", { count: tenants.length });
}

async function setTenantEnabled(id, enabled) {
  try {
    await api(`/api/v1/tenants/${encodeURIComponent(id)}/enabled`, { method: "PUT", body: JSON.stringify({ enabled }) });
    await showTenants();
  } catch (error) { $("tenant-error").textContent = error.message; }
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

// ---- boot: the language first, then the session if there is one -----------------------------------------
(async () => {
  await I18n.use(I18n.preferred(), false);
  syncLanguage();
  if (state.token) { start().catch(logout); }
})();
