"use strict";
// The reader's page. Every search parameter lives in the URL (q, section,
// region, province, city, from, to, sort, page and id for the article view),
// so a page can be shared or reloaded and back/forward work.
//
// Safety: text from the server is inserted with textContent. Only hit titles
// and snippets, which the server escapes and marks with <mark>, are parsed as
// HTML, and even those keep nothing but text and <mark> elements (see marked).
//
// Two endpoints are optional: /api/suggest and /api/articles/{id}/related.
// When they fail, the page works without suggestions or related articles.

const $ = (id) => document.getElementById(id);
const keys = ["q", "section", "region", "province", "city", "from", "to", "sort", "page", "id"];
const maxWindow = 10000; // the API serves the first 10,000 results by page number

// ---- URL state -------------------------------------------------------------

function state() {
  const p = new URLSearchParams(location.search);
  const s = {};
  for (const k of keys) {
    const v = (p.get(k) || "").trim();
    if (v) s[k] = v;
  }
  if (s.page === "1") delete s.page;
  return s;
}

function query(s, omit) {
  const p = new URLSearchParams();
  for (const k of keys) if (s[k] && !(omit || []).includes(k)) p.set(k, s[k]);
  return p.toString();
}

function href(s) {
  const q = query(s);
  return q ? "?" + q : location.pathname;
}

// without returns a copy of s without the given keys (and so on page 1).
function without(s, ...ks) {
  const t = { ...s };
  for (const k of ks) delete t[k];
  delete t.page;
  return t;
}

// go navigates to a new state: the current scroll position is remembered in
// the history entry we leave, so back restores it.
function go(s, extra) {
  history.replaceState({ ...(history.state || {}), scroll: window.scrollY }, "");
  history.pushState({ ...(extra || {}) }, "", href(s));
  render().then(() => window.scrollTo(0, 0));
}

// ---- DOM helpers -------------------------------------------------------------

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") e.className = v;
    else e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children) if (c !== undefined && c !== null && c !== "") e.append(c); // strings become text nodes
  return e;
}

// marked turns the server's highlighted HTML (escaped text with <mark>) into
// nodes, keeping only text and <mark>: whatever else the string holds is shown
// as text, never run.
function marked(html) {
  const doc = new DOMParser().parseFromString("<body>" + (html || ""), "text/html");
  const frag = document.createDocumentFragment();
  const copy = (from, to) => {
    for (const n of from.childNodes) {
      if (n.nodeType === Node.TEXT_NODE) to.append(n.data);
      else if (n.nodeType === Node.ELEMENT_NODE && n.nodeName === "MARK") {
        const m = document.createElement("mark");
        copy(n, m);
        to.append(m);
      } else if (n.nodeType === Node.ELEMENT_NODE) to.append(n.textContent);
    }
  };
  copy(doc.body, frag);
  return frag;
}

// link is an in-page link to state s: a real href (open in a new tab works)
// that navigates without reloading.
function link(s, attrs, ...children) {
  const a = el("a", { href: href(s), ...attrs }, ...children);
  a.addEventListener("click", (ev) => {
    if (ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
    ev.preventDefault();
    go(s, attrs && attrs["data-from-search"] ? { fromSearch: true } : undefined);
  });
  return a;
}

const pad = (n) => String(n).padStart(2, "0");

// cst returns the parts of an RFC 3339 time in China Standard Time.
function cst(t) {
  const d = new Date(t);
  if (!t || isNaN(d)) return null;
  const c = new Date(d.getTime() + 8 * 3600 * 1000);
  return { y: c.getUTCFullYear(), m: c.getUTCMonth() + 1, d: c.getUTCDate(), hh: pad(c.getUTCHours()), mm: pad(c.getUTCMinutes()) };
}

// Times of 00:00 are most often dates without a time: they show as dates.
function shortDate(t) {
  const c = cst(t);
  if (!c) return "";
  const day = `${c.y}-${pad(c.m)}-${pad(c.d)}`;
  return c.hh === "00" && c.mm === "00" ? day : `${day} ${c.hh}:${c.mm}`;
}

function longDate(t) {
  const c = cst(t);
  if (!c) return "";
  const day = `${c.y}年${c.m}月${c.d}日`;
  return c.hh === "00" && c.mm === "00" ? day : `${day} ${c.hh}:${c.mm}`;
}

function regionText(r) {
  return r ? [r.province, r.city, r.county].filter(Boolean).filter((v, i, a) => a.indexOf(v) === i).join(" › ") : "";
}

function sectionText(sec) {
  return (sec || []).join(" › ");
}

// ---- API -----------------------------------------------------------------------

class APIError extends Error {
  constructor(status, code, message) {
    super(message || code || String(status));
    this.status = status;
    this.code = code;
  }
}

async function api(path, signal) {
  let r;
  try {
    r = await fetch(path, { signal, headers: { Accept: "application/json" } });
  } catch (e) {
    if (e.name === "AbortError") throw e;
    throw new APIError(0, "network", e.message);
  }
  let body = null;
  try {
    body = await r.json();
  } catch (e) {
    if (!r.ok) throw new APIError(r.status, "", r.statusText);
    throw new APIError(r.status, "bad_response", "not JSON");
  }
  if (!r.ok) {
    const err = (body && body.error) || {};
    throw new APIError(r.status, err.code || "", err.message || r.statusText);
  }
  return body;
}

// explain says in Chinese what went wrong.
function explain(e, what) {
  if (e.code === "network") return "无法连接到服务器，请检查网络后重试。";
  if (e.code === "bad_response") return `服务器返回了无法识别的内容（HTTP ${e.status}）。`;
  const m = e.message || "";
  switch (e.code) {
    case "invalid":
      if (/^(from|to)\b/.test(m)) return "日期格式不正确，请使用 2024-05-31 这样的日期。";
      if (/^page\b.*beyond/.test(m)) return `页码超出范围：按页码最多可以查看前 ${maxWindow} 条结果，请缩小搜索范围。`;
      if (/^page\b|^size\b/.test(m)) return "页码无效。";
      if (/sort/.test(m)) return "排序方式无效，请选择按相关度或按时间排序。";
      if (/cursor/.test(m)) return "翻页位置已失效，请从第一页重新开始。";
      return "搜索条件有误，请检查搜索词和筛选条件。";
    case "not_found":
      return what === "article" ? "找不到这篇新闻，它可能已被删除或链接有误。" : "找不到请求的内容。";
    case "too_large":
      return "请求太大，请缩短搜索词。";
    case "unavailable":
      return /too long/.test(m) ? "搜索超时，请缩小搜索范围后重试。" : "服务暂时不可用，请稍后再试。";
    case "unauthorized":
    case "forbidden":
      return "没有权限访问。";
    default:
      return e.status >= 500 ? "服务器出错了，请稍后再试。" : `请求失败（HTTP ${e.status}）。`;
  }
}

// showMessage fills box with a Chinese message, an optional detail and an
// optional action; null hides the box.
function showMessage(box, kind, text, detail, action) {
  if (!text) {
    box.hidden = true;
    box.replaceChildren();
    return;
  }
  box.className = "message " + kind;
  box.setAttribute("role", kind === "error" ? "alert" : "status");
  box.replaceChildren(el("p", { class: "message-text" }, text));
  if (detail) box.append(el("p", { class: "message-detail" }, detail));
  if (action) box.append(action);
  box.hidden = false;
}

// ---- Rendering -------------------------------------------------------------------

let seq = 0; // the latest render; older responses are dropped
let searchAbort = null;

async function render() {
  const s = state();
  const my = ++seq;
  if (searchAbort) searchAbort.abort();
  searchAbort = new AbortController();
  $("q").value = s.q || "";
  closeSuggest();
  if (s.id) return renderArticle(s, my, searchAbort.signal);
  return renderSearch(s, my, searchAbort.signal);
}

function isFiltered(s) {
  return Boolean(s.section || s.region || s.province || s.city || s.from || s.to);
}

async function renderSearch(s, my, signal) {
  $("article-view").hidden = true;
  $("search-view").hidden = false;
  document.title = s.q ? `${s.q} - 新闻搜索` : "新闻搜索 · Xinwen";
  $("results").setAttribute("aria-busy", "true");
  $("results").classList.add("loading");
  $("status").textContent = "搜索中…";
  let res;
  try {
    res = await api("/api/search?" + query(s, ["id"]), signal);
  } catch (e) {
    if (e.name === "AbortError" || my !== seq) return;
    $("results").removeAttribute("aria-busy");
    $("results").classList.remove("loading");
    $("status").textContent = "";
    $("hits").replaceChildren();
    $("pager").replaceChildren();
    $("pager-note").hidden = true;
    $("sort").hidden = true;
    const retry = el("button", { type: "button", class: "plain" }, "重试");
    retry.addEventListener("click", () => render());
    showMessage($("message"), "error", "出错了：" + explain(e, "search"), e.message && e.code !== "network" ? `详细信息：${e.message}` : "", retry);
    chips(s);
    facets(s, null);
    return;
  }
  if (my !== seq) return;
  $("results").removeAttribute("aria-busy");
  $("results").classList.remove("loading");

  const took = typeof res.took_ms === "number" ? `（用时 ${res.took_ms < 10 ? res.took_ms.toFixed(1) : Math.round(res.took_ms)} 毫秒）` : "";
  $("status").textContent = s.q || isFiltered(s)
    ? (res.relaxed
      ? `没有同时包含全部词语的新闻；以下 ${res.total.toLocaleString("zh-CN")} 篇包含其中一部分${took}`
      : `找到 ${res.total.toLocaleString("zh-CN")} 篇相关新闻${took}`)
    : `共 ${res.total.toLocaleString("zh-CN")} 篇新闻，最新的在前`;

  if (res.total === 0 || !res.hits || res.hits.length === 0) {
    $("hits").replaceChildren();
    if (res.total === 0) {
      let act;
      if (isFiltered(s)) {
        act = link(without(s, "section", "region", "province", "city", "from", "to"), { class: "button-link" }, "清除筛选条件再搜索");
      }
      showMessage($("message"), "empty",
        s.q ? `没有找到与“${s.q}”相关的新闻。` : "没有符合条件的新闻。",
        isFiltered(s) ? "试试减少筛选条件、换一个说法，或检查是否有错别字。" : "试试换一个说法、缩短搜索词，或检查是否有错别字。",
        act);
    } else {
      showMessage($("message"), "empty", "这一页没有结果了。", "", link(without(s), { class: "button-link" }, "回到第一页"));
    }
  } else {
    showMessage($("message"), "", null);
    $("hits").replaceChildren(...res.hits.map((h) => hit(s, h)));
  }
  sortControl(s);
  chips(s);
  facets(s, res.facets);
  pager(s, res);
}

function hit(s, h) {
  const a = link({ ...s, id: h.id, page: s.page }, { "data-from-search": "1", class: "title" }, marked(h.title));
  const meta = el("div", { class: "meta" });
  const parts = [];
  if (h.source) parts.push(el("span", { class: "source" }, h.source));
  if (h.published_at) parts.push(el("time", { datetime: h.published_at }, shortDate(h.published_at)));
  if (h.section && h.section.length) parts.push(el("span", { class: "section" }, sectionText(h.section)));
  const r = regionText(h.region);
  if (r) parts.push(el("span", { class: "region" }, r));
  parts.forEach((p, i) => { if (i) meta.append(" · "); meta.append(p); });
  const li = el("li", { class: "hit" }, el("h2", {}, a), el("p", { class: "snippet" }, marked(h.snippet)), meta);
  if (h.duplicates > 0) li.append(el("div", { class: "note" }, `另有 ${h.duplicates} 篇内容相同的报道`));
  return li;
}

function sortControl(s) {
  const nav = $("sort");
  nav.replaceChildren();
  nav.hidden = !s.q;
  if (!s.q) return;
  const cur = s.sort === "date" ? "date" : "relevance";
  nav.append(
    link(without(s, "sort"), { "aria-current": cur === "relevance" ? "true" : undefined }, "按相关度"),
    link({ ...without(s, "sort"), sort: "date" }, { "aria-current": cur === "date" ? "true" : undefined }, "按时间"),
  );
}

// ---- Dates ---------------------------------------------------------------------

const lastDay = (y, m) => new Date(Date.UTC(y, m, 0)).getUTCDate(); // m is 1-based
const yearRange = (y) => ({ from: `${y}-01-01`, to: `${y}-12-31` });
const monthRange = (y, m) => ({ from: `${y}-${pad(m)}-01`, to: `${y}-${pad(m)}-${pad(lastDay(y, m))}` });

// dateChoice reads from/to as a whole year, a whole month or a custom range.
function dateChoice(s) {
  if (!s.from && !s.to) return null;
  const f = /^(\d{4})-(\d{2})-01$/.exec(s.from || "");
  if (f && s.to) {
    const y = Number(f[1]), m = Number(f[2]);
    if (f[2] === "01" && s.to === `${y}-12-31`) return { kind: "year", year: String(y), label: `${y}年` };
    if (s.to === monthRange(y, m).to) return { kind: "month", year: String(y), month: `${y}-${pad(m)}`, label: `${y}年${m}月` };
  }
  const label = s.from && s.to ? `${s.from} 至 ${s.to}` : s.from ? `${s.from} 以后` : `${s.to} 以前`;
  return { kind: "range", label };
}

// ---- Facets ----------------------------------------------------------------------

function facetList(items) {
  return el("ul", { class: "facet-list" }, ...items);
}

function facetItem(s, label, count, on, title) {
  const a = link(s, { class: on ? "on" : undefined, "aria-current": on ? "true" : undefined, title: title || label },
    el("span", { class: "label" }, label),
    count === undefined ? "" : el("span", { class: "count" }, count.toLocaleString("zh-CN")));
  return el("li", {}, a);
}

function facets(s, f) {
  const box = $("facets");
  box.replaceChildren();
  f = f || {};
  const group = (title, ...content) => {
    box.append(el("section", { class: "facet" }, el("h3", {}, title), ...content));
  };

  // Section: any level of the path; the facet gives whole paths.
  const sections = f.section || [];
  if (sections.length || s.section) {
    const items = [];
    if (s.section) items.push(facetItem(without(s, "section"), "全部栏目", undefined, false));
    const seen = new Set();
    for (const it of sections) {
      seen.add(it.value);
      const on = s.section === it.value;
      items.push(facetItem(on ? without(s, "section") : { ...without(s, "section"), section: it.value }, it.value.replace(/ > /g, " › "), it.count, on));
    }
    if (s.section && !seen.has(s.section)) items.splice(1, 0, facetItem(without(s, "section"), s.section, undefined, true));
    group("栏目", facetList(items));
  }

  // Region: provinces; once a province is chosen, its cities.
  const provinces = f.province || [];
  if (provinces.length || s.province || s.city || s.region) {
    const items = [];
    if (s.province || s.city || s.region) items.push(facetItem(without(s, "province", "city", "region"), "全部地区", undefined, false));
    if (s.region) items.push(facetItem(without(s, "region"), s.region, undefined, true));
    if (s.province) {
      const p = provinces.find((it) => it.value === s.province);
      items.push(facetItem(without(s, "province", "city"), s.province, p ? p.count : undefined, true));
      const cities = (f.city || []).map((it) => {
        const on = s.city === it.value;
        return facetItem(on ? without(s, "city") : { ...without(s, "city"), city: it.value }, it.value, it.count, on);
      });
      if (s.city && !(f.city || []).some((it) => it.value === s.city)) cities.unshift(facetItem(without(s, "city"), s.city, undefined, true));
      if (cities.length) items.push(el("li", { class: "sub" }, facetList(cities)));
    } else {
      if (s.city) items.push(facetItem(without(s, "city"), s.city, undefined, true));
      for (const it of provinces) items.push(facetItem({ ...without(s, "province", "city"), province: it.value }, it.value, it.count, false));
    }
    group("地区", facetList(items));
  }

  // Date: years, newest first; the months of a chosen year.
  const years = (f.year || []).slice().sort((a, b) => b.value.localeCompare(a.value));
  const choice = dateChoice(s);
  if (years.length || choice) {
    const items = [];
    if (choice) items.push(facetItem(without(s, "from", "to"), "全部时间", undefined, false));
    if (choice && choice.kind === "range") items.push(facetItem(without(s, "from", "to"), choice.label, undefined, true));
    const chosenYear = choice && choice.year;
    const shown = years.some((y) => y.value === chosenYear) || !chosenYear ? years : [{ value: chosenYear }, ...years];
    for (const y of shown) {
      const on = chosenYear === y.value;
      items.push(facetItem(on && choice.kind === "year" ? without(s, "from", "to") : { ...without(s, "from", "to"), ...yearRange(y.value) }, `${y.value}年`, y.count, on));
      if (on) {
        const months = (f.month || []).filter((m) => m.value.startsWith(y.value + "-")).sort((a, b) => a.value.localeCompare(b.value));
        const mi = months.map((m) => {
          const mon = Number(m.value.slice(5, 7));
          const mOn = choice.kind === "month" && choice.month === m.value;
          return facetItem({ ...without(s, "from", "to"), ...(mOn ? yearRange(y.value) : monthRange(Number(y.value), mon)) }, `${mon}月`, m.count, mOn);
        });
        if (mi.length) items.push(el("li", { class: "sub months" }, facetList(mi)));
      }
    }
    group("时间", facetList(items));
  }

  // The date-range form shows the current range.
  $("from").value = s.from && /^\d{4}-\d{2}-\d{2}$/.test(s.from) ? s.from : "";
  $("to").value = s.to && /^\d{4}-\d{2}-\d{2}$/.test(s.to) ? s.to : "";
  $("dates-error").hidden = true;
}

// chips shows the active filters above the results, each removable: on a
// phone the facet panel is folded away.
function chips(s) {
  const box = $("chips");
  box.replaceChildren();
  const chip = (label, t) => box.append(link(t, { class: "chip", title: "取消这个条件" }, label, el("span", { "aria-hidden": "true" }, " ×")));
  if (s.section) chip("栏目：" + s.section.replace(/ > /g, " › "), without(s, "section"));
  if (s.region) chip("地区：" + s.region, without(s, "region"));
  if (s.province || s.city) chip("地区：" + [s.province, s.city].filter(Boolean).join(" › "), without(s, "province", "city"));
  const d = dateChoice(s);
  if (d) chip("时间：" + d.label, without(s, "from", "to"));
  box.hidden = !box.childElementCount;
  $("active-count").textContent = box.childElementCount ? `（已选 ${box.childElementCount} 项）` : "";
}

// ---- Pages ---------------------------------------------------------------------

function pager(s, res) {
  const nav = $("pager");
  nav.replaceChildren();
  const size = res.size || 10;
  const page = Math.max(1, Number(s.page || res.page || 1));
  const last = Math.max(1, Math.min(Math.ceil(res.total / size), Math.floor(maxWindow / size)));
  const note = $("pager-note");
  note.hidden = !(res.total > maxWindow && page >= last - 2);
  note.textContent = `按页码最多可以查看前 ${maxWindow.toLocaleString("zh-CN")} 条结果，请用筛选条件缩小范围。`;
  if (last <= 1 && page <= 1) return;
  const to = (p) => (p <= 1 ? without(s) : { ...s, page: String(p) });
  if (page > 1) nav.append(link(to(page - 1), { class: "prev", rel: "prev" }, "上一页"));
  const nums = new Set([1, last]);
  const span = wide.matches ? 2 : 1; // fewer numbers on a phone
  for (let p = page - span; p <= page + span; p++) if (p >= 1 && p <= last) nums.add(p);
  let prev = 0;
  for (const p of [...nums].sort((a, b) => a - b)) {
    if (p - prev > 1) nav.append(el("span", { class: "gap", "aria-hidden": "true" }, "…"));
    nav.append(p === page
      ? el("span", { class: "current", "aria-current": "page" }, String(p))
      : link(to(p), { "aria-label": `第 ${p} 页` }, String(p)));
    prev = p;
  }
  if (page < last) nav.append(link(to(page + 1), { class: "next", rel: "next" }, "下一页"));
}

// ---- Article view ----------------------------------------------------------------

async function renderArticle(s, my, signal) {
  $("search-view").hidden = true;
  $("article-view").hidden = false;
  const back = $("back");
  const searchState = without(s, "id");
  if (s.page) searchState.page = s.page;
  back.textContent = s.q || isFiltered(s) ? "← 返回搜索结果" : "← 返回首页";
  back.href = href(searchState);
  back.onclick = (ev) => {
    if (ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
    ev.preventDefault();
    if (history.state && history.state.fromSearch) history.back();
    else go(searchState);
  };
  $("article-content").hidden = true;
  showMessage($("article-message"), "loading", "正在加载…");
  $("related").hidden = true;
  $("related").dataset.state = "loading";

  const id = encodeURIComponent(s.id);
  const related = api(`/api/articles/${id}/related`, signal).catch((e) => e);
  let a;
  try {
    a = await api(`/api/articles/${id}`, signal);
  } catch (e) {
    if (e.name === "AbortError" || my !== seq) return;
    $("related").dataset.state = "unavailable";
    document.title = "新闻搜索 · Xinwen";
    const retry = el("button", { type: "button", class: "plain" }, "重试");
    retry.addEventListener("click", () => render());
    showMessage($("article-message"), "error", "出错了：" + explain(e, "article"), e.message && e.code !== "network" ? `详细信息：${e.message}` : "", e.code === "not_found" ? null : retry);
    return;
  }
  if (my !== seq) return;
  showMessage($("article-message"), "", null);
  document.title = `${a.title || "新闻"} - 新闻搜索`;
  $("a-title").textContent = a.title || "（无标题）";
  const meta = $("a-meta");
  meta.replaceChildren();
  const row = (label, value) => { if (value) meta.append(el("span", { class: "field" }, el("span", { class: "k" }, label), value)); };
  if (a.published_at && !a.published_at.startsWith("0001-")) {
    meta.append(el("span", { class: "field" }, el("span", { class: "k" }, "时间"), el("time", { datetime: a.published_at }, longDate(a.published_at))));
  }
  row("来源", a.source);
  row("栏目", sectionText(a.section));
  row("地区", regionText(a.region));
  row("作者", (a.authors || []).join("、"));
  row("编辑", a.editor);
  const paras = (a.body || "").split("\n").map((p) => p.trim()).filter(Boolean);
  $("a-body").replaceChildren(...paras.map((p) => el("p", {}, p)));
  const links = $("a-links");
  links.replaceChildren();
  if (a.url && /^https?:\/\//i.test(a.url)) links.append(el("a", { href: a.url, target: "_blank", rel: "noopener noreferrer nofollow" }, "查看原文 ↗"));
  if (a.duplicate_of) {
    if (links.childElementCount) links.append(" · ");
    links.append(link({ ...s, id: a.duplicate_of }, {}, "这篇报道与另一篇内容相同，查看那一篇"));
  }
  $("article-content").hidden = false;
  $("a-title").focus({ preventScroll: true });

  const r = await related;
  if (my !== seq) return;
  if (r instanceof Error) {
    // The endpoint may not exist (404) or the list may fail: the article
    // stands on its own.
    if (r.name !== "AbortError") console.info("related articles unavailable:", r.status, r.message);
    $("related").dataset.state = "unavailable";
    return;
  }
  const hits = (r.hits || []).filter((h) => h.id !== a.id);
  $("related-list").replaceChildren(...hits.map((h) => {
    const li = el("li", {}, link({ ...searchState, id: h.id, page: undefined }, { class: "title" }, marked(h.title)));
    const m = [h.source, shortDate(h.published_at)].filter(Boolean).join(" · ");
    if (m) li.append(el("div", { class: "meta" }, m));
    return li;
  }));
  $("related-empty").hidden = hits.length > 0;
  $("related").hidden = false;
  $("related").dataset.state = "shown";
}

// ---- Suggestions -----------------------------------------------------------------

const suggest = {
  off: false, // the endpoint is missing: stop asking
  timer: 0,
  abort: null,
  gen: 0, // bumped on submit and close, so late answers do not reopen the list
  active: -1,
  items: [],
};

function closeSuggest() {
  clearTimeout(suggest.timer);
  if (suggest.abort) suggest.abort.abort();
  suggest.gen++;
  suggest.items = [];
  suggest.active = -1;
  $("suggest").hidden = true;
  $("suggest").replaceChildren();
  $("q").setAttribute("aria-expanded", "false");
  $("q").removeAttribute("aria-activedescendant");
}

function scheduleSuggest() {
  clearTimeout(suggest.timer);
  if (suggest.off) return;
  const v = $("q").value.trim();
  if (!v) {
    closeSuggest();
    return;
  }
  suggest.timer = setTimeout(() => fetchSuggest(v), 150);
}

async function fetchSuggest(v) {
  if (suggest.off) return;
  if (suggest.abort) suggest.abort.abort();
  suggest.abort = new AbortController();
  const gen = ++suggest.gen;
  let res;
  try {
    res = await api("/api/suggest?q=" + encodeURIComponent(v), suggest.abort.signal);
  } catch (e) {
    if (e.name === "AbortError") return;
    if (e.status === 404 || e.status === 405 || e.status === 501) suggest.off = true;
    if (gen === suggest.gen) closeSuggest();
    return;
  }
  if (gen !== suggest.gen || document.activeElement !== $("q") || $("q").value.trim() !== v) return;
  showSuggest(v, (res.suggestions || []).filter((x) => typeof x === "string" && x && x !== v).slice(0, 10));
}

function showSuggest(v, items) {
  const list = $("suggest");
  suggest.items = items;
  suggest.active = -1;
  $("q").removeAttribute("aria-activedescendant");
  if (!items.length) {
    list.hidden = true;
    list.replaceChildren();
    $("q").setAttribute("aria-expanded", "false");
    return;
  }
  list.replaceChildren(...items.map((text, i) => {
    const li = el("li", { id: "sug-" + i, role: "option", "aria-selected": "false" });
    if (text.startsWith(v)) li.append(el("span", { class: "typed" }, v), text.slice(v.length));
    else li.append(text);
    li.addEventListener("mousedown", (ev) => ev.preventDefault()); // keep focus in the box
    li.addEventListener("click", () => pickSuggest(i));
    return li;
  }));
  list.hidden = false;
  $("q").setAttribute("aria-expanded", "true");
}

function moveSuggest(delta) {
  const n = suggest.items.length;
  if (!n) return;
  // Positions run from -1 (back in the box, nothing chosen) to n-1, around.
  let i = suggest.active + delta;
  if (i < -1) i = n - 1;
  if (i >= n) i = -1;
  suggest.active = i;
  for (const [j, li] of [...$("suggest").children].entries()) {
    const on = j === suggest.active;
    li.setAttribute("aria-selected", on ? "true" : "false");
    li.classList.toggle("active", on);
    if (on) li.scrollIntoView({ block: "nearest" });
  }
  if (suggest.active >= 0) $("q").setAttribute("aria-activedescendant", "sug-" + suggest.active);
  else $("q").removeAttribute("aria-activedescendant");
}

function pickSuggest(i) {
  $("q").value = suggest.items[i];
  submitSearch();
}

function submitSearch() {
  closeSuggest();
  const s = without(state(), "id", "page");
  const q = $("q").value.trim();
  if (q) s.q = q;
  else delete s.q;
  if (!wide.matches) $("q").blur(); // put the phone's keyboard away
  go(s);
}

$("q").addEventListener("input", (ev) => {
  if (ev.isComposing) return; // wait for the IME to finish
  scheduleSuggest();
});
$("q").addEventListener("compositionend", scheduleSuggest);
$("q").addEventListener("keydown", (ev) => {
  if (ev.isComposing || ev.keyCode === 229) return;
  const open = !$("suggest").hidden;
  switch (ev.key) {
    case "ArrowDown":
      if (open) { ev.preventDefault(); moveSuggest(1); } else if ($("q").value.trim()) { ev.preventDefault(); fetchSuggest($("q").value.trim()); }
      break;
    case "ArrowUp":
      if (open) { ev.preventDefault(); moveSuggest(-1); }
      break;
    case "Enter":
      if (open && suggest.active >= 0) { ev.preventDefault(); pickSuggest(suggest.active); }
      break;
    case "Escape":
      if (open) { ev.preventDefault(); closeSuggest(); }
      break;
    case "Tab":
      closeSuggest();
      break;
  }
});
$("q").addEventListener("blur", () => closeSuggest());

// ---- Wiring ----------------------------------------------------------------------

$("f").addEventListener("submit", (ev) => {
  ev.preventDefault();
  submitSearch();
});

$("dates").addEventListener("submit", (ev) => {
  ev.preventDefault();
  const from = $("from").value, to = $("to").value;
  if (from && to && from > to) {
    $("dates-error").textContent = "开始日期不能晚于结束日期。";
    $("dates-error").hidden = false;
    return;
  }
  const s = without(state(), "from", "to", "id");
  if (from) s.from = from;
  if (to) s.to = to;
  go(s);
});
$("dates-clear").addEventListener("click", () => go(without(state(), "from", "to", "id")));

// The facet panel is open beside the results on a wide screen and folded
// above them on a phone.
const wide = window.matchMedia("(min-width: 701px)");
const fold = () => { $("panel").open = wide.matches; };
fold();
wide.addEventListener("change", fold);

history.scrollRestoration = "manual";
window.addEventListener("popstate", () => {
  const y = (history.state && history.state.scroll) || 0;
  render().then(() => window.scrollTo(0, y));
});
render();
