"use strict";
// The reader's page: every search parameter lives in the URL, so a result
// page can be shared or reloaded. Text from the server is inserted with
// textContent; only snippets and titles, which the server escapes and marks
// with <mark>, are inserted as HTML.
const $ = (id) => document.getElementById(id);
const keys = ["q", "section", "province", "city", "region", "from", "to", "sort", "page"];

function state() {
  const p = new URLSearchParams(location.search);
  const s = {};
  for (const k of keys) if (p.get(k)) s[k] = p.get(k);
  return s;
}

function href(s) {
  const p = new URLSearchParams();
  for (const k of keys) if (s[k]) p.set(k, s[k]);
  return "?" + p.toString();
}

function go(s) {
  history.pushState(null, "", href(s));
  render();
}

function el(tag, attrs, text) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

function link(s, label, count, on) {
  const a = el("a", { href: href(s) });
  if (on) a.className = "on";
  a.append(el("b", {}, label), el("span", {}, count === undefined ? "" : String(count)));
  a.addEventListener("click", (ev) => { ev.preventDefault(); go(s); });
  return a;
}

async function render() {
  const s = state();
  $("q").value = s.q || "";
  const p = new URLSearchParams(href(s).slice(1));
  $("status").textContent = "搜索中…";
  let res;
  try {
    const r = await fetch("/api/search?" + p.toString());
    res = await r.json();
    if (!r.ok) throw new Error(res.error ? res.error.message : r.statusText);
  } catch (e) {
    $("status").textContent = "出错了：" + e.message;
    $("hits").replaceChildren();
    return;
  }
  $("status").textContent = `找到 ${res.total} 篇相关新闻（${res.took_ms.toFixed(1)} 毫秒）`;
  const hits = res.hits.map((h) => {
    const li = el("li");
    const h2 = el("h2");
    const a = el("a", { href: h.url || "/api/articles/" + encodeURIComponent(h.id), target: "_blank", rel: "noopener" });
    a.innerHTML = h.title;
    h2.append(a);
    const date = h.published_at ? h.published_at.slice(0, 16).replace("T", " ") : "";
    const region = [h.region.province, h.region.city, h.region.county].filter(Boolean).join(" › ");
    const meta = el("div", { class: "meta" }, [date, (h.section || []).join(" › "), region, h.source].filter(Boolean).join(" · "));
    const sn = el("p", { class: "snippet" });
    sn.innerHTML = h.snippet;
    li.append(h2, meta, sn);
    return li;
  });
  $("hits").replaceChildren(...hits);
  facets(s, res.facets);
  pager(s, res);
}

function facets(s, f) {
  const box = $("facets");
  box.replaceChildren();
  if (!f) return;
  const group = (title, key, items) => {
    if (!items || !items.length) return;
    box.append(el("h3", {}, title));
    if (s[key]) {
      const t = { ...s }; delete t[key]; delete t.page;
      box.append(link(t, "全部", undefined, false));
    }
    for (const it of items) {
      const t = { ...s, [key]: it.value }; delete t.page;
      box.append(link(t, it.value, it.count, s[key] === it.value));
    }
  };
  group("栏目", "section", f.section);
  group("省份", "province", f.province);
  if (s.province) group("城市", "city", f.city);
  if (f.year && f.year.length) {
    box.append(el("h3", {}, "年份"));
    for (const y of f.year.slice().sort((a, b) => b.value.localeCompare(a.value))) {
      const t = { ...s, from: y.value + "-01-01", to: y.value + "-12-31" }; delete t.page;
      box.append(link(t, y.value, y.count, s.from === t.from && s.to === t.to));
    }
  }
  box.append(el("h3", {}, "排序"));
  box.append(link({ ...s, sort: "relevance", page: "" }, "按相关度", undefined, s.sort !== "date"));
  box.append(link({ ...s, sort: "date", page: "" }, "按时间", undefined, s.sort === "date"));
}

function pager(s, res) {
  const nav = $("pager");
  nav.replaceChildren();
  const page = Number(s.page || 1);
  const pages = Math.min(Math.ceil(res.total / res.size), Math.floor(10000 / res.size));
  if (page > 1) nav.append(link({ ...s, page: String(page - 1) }, "上一页"));
  if (page < pages) nav.append(link({ ...s, page: String(page + 1) }, "下一页"));
}

$("f").addEventListener("submit", (ev) => {
  ev.preventDefault();
  const s = state();
  s.q = $("q").value.trim();
  delete s.page;
  go(s);
});
window.addEventListener("popstate", render);
render();
