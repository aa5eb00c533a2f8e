// The console's language: message bundles (i18n/<language>.json), the browser's choice or the user's, and
// money and dates per locale through Intl. Strings go into the page as text (textContent, attributes), never as HTML.
"use strict";

const I18n = (() => {
  const LANGUAGES = ["en", "de"];
  const STORED = "mailops.language";
  const bundles = {};
  let language = "en";

  /** The stored choice, else the first of the browser's languages the console speaks, else English. */
  function preferred() {
    const stored = localStorage.getItem(STORED);
    if (LANGUAGES.includes(stored)) { return stored; }
    for (const tag of navigator.languages || [navigator.language]) {
      const primary = String(tag || "").toLowerCase().split("-")[0];
      if (LANGUAGES.includes(primary)) { return primary; }
    }
    return "en";
  }

  async function load(lang) {
    if (!bundles[lang]) {
      const response = await fetch(`i18n/${lang}.json`, { headers: { Accept: "application/json" } });
      bundles[lang] = await response.json();
    }
    return bundles[lang];
  }

  /** The message of the key in the current language, with {name} replaced by params.name. */
  function t(key, params = {}) {
    const text = (bundles[language] && bundles[language][key]) ?? (bundles.en && bundles.en[key]) ?? key;
    return text.replace(/\{(\w+)\}/g, (whole, name) => (params[name] === undefined ? whole : String(params[name])));
  }

  /** Translates the elements under root by their data-i18n (text) and data-i18n-<attribute> attributes. */
  function apply(root = document) {
    for (const element of root.querySelectorAll("[data-i18n]")) { element.textContent = t(element.dataset.i18n); }
    for (const attribute of ["placeholder", "aria-label", "title"]) {
      for (const element of root.querySelectorAll(`[data-i18n-${attribute}]`)) {
        element.setAttribute(attribute, t(element.getAttribute(`data-i18n-${attribute}`)));
      }
    }
    document.documentElement.lang = language;
    document.title = t("app.title");
  }

  async function use(lang, remember) {
    language = LANGUAGES.includes(lang) ? lang : "en";
    await Promise.all([load("en"), load(language)]);
    if (remember) { localStorage.setItem(STORED, language); }
    apply();
  }

  const locale = () => (language === "de" ? "de-DE" : "en-GB");
  /** An amount (a decimal string or number) in its currency: 12,90 € in German, €12.90 in English. */
  const money = (amount, currency = "EUR") => new Intl.NumberFormat(locale(), { style: "currency", currency })
    .format(Number(amount));
  /** A day (yyyy-MM-dd or an instant): 30.11.2026 in German, 30/11/2026 in English. */
  const date = (value) => (value ? new Intl.DateTimeFormat(locale(), { day: "2-digit", month: "2-digit", year: "numeric",
    timeZone: /T/.test(value) ? undefined : "UTC" }).format(new Date(/T/.test(value) ? value : value + "T00:00:00Z")) : "–");
  /** An instant with its time, in the browser's time zone (or the one given): 30.11.2026, 14:05:09 in German. */
  const dateTime = (value, timeZone) => (value ? new Intl.DateTimeFormat(locale(), { day: "2-digit", month: "2-digit",
    year: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit", timeZone }).format(new Date(value)) : "–");
  const number = (value) => new Intl.NumberFormat(locale()).format(Number(value));
  const month = (yyyyMm) => new Intl.DateTimeFormat(locale(), { month: "long", year: "numeric", timeZone: "UTC" })
    .format(new Date(yyyyMm + "-01T00:00:00Z"));

  return { LANGUAGES, preferred, use, t, apply, money, date, dateTime, number, month, language: () => language };
})();
const t = I18n.t;
