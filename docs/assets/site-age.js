// An old copy says so. A copy of this site (an installed app, the offline bundle on an office PC,
// a page kept by the service worker) shows the rules as of its 基準日; once that is more than the
// limit behind the visitor's date (in Japan), every page says plainly that the rules may have
// changed since, and links to the sources page. The footer carries the facts (overrides/partials/
// copyright.html; the limit is STALE_AFTER_DAYS in hooks/kaizen_site.py).
// A classic script, not a module: it also runs in the offline copy opened from a file. It builds
// the notice with DOM calls only and never touches anything else.
(() => {
  const DAY_MS = 24 * 60 * 60 * 1000;
  const JAPAN_OFFSET_MS = 9 * 60 * 60 * 1000; // Japan keeps UTC+9 all year (no summer time)

  function utcDay(iso) {
    const parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso ?? "");
    return parts ? Date.UTC(Number(parts[1]), Number(parts[2]) - 1, Number(parts[3])) : Number.NaN;
  }

  // today's date in Japan, as the UTC midnight of that date
  function japanToday(now = Date.now()) {
    return utcDay(new Date(now + JAPAN_OFFSET_MS).toISOString().slice(0, 10));
  }

  function notice(facts, days) {
    const asOf = facts.querySelector("time")?.textContent ?? facts.dataset.kzAsOf;
    const box = document.createElement("div");
    box.className = "admonition warning kz-age-notice";
    box.setAttribute("role", "note");
    const title = document.createElement("p");
    title.className = "admonition-title";
    title.textContent = "このコピーのデータは古くなっています";
    const text = document.createElement("p");
    text.append(
      `このページの金額・率・条件は、基準日（${asOf}）のルールに基づいています。それから${days}日がたっていて、その後に制度が変わっている可能性があります。`,
      "最新の内容は",
    );
    const link = document.createElement("a");
    link.href = facts.dataset.kzSources || "#";
    link.textContent = "出典と更新履歴";
    text.append(link, "の公表元で確かめてください。");
    box.append(title, text);
    return box;
  }

  function check() {
    const facts = document.querySelector(".kz-build[data-kz-as-of]");
    if (!facts || document.querySelector(".kz-age-notice")) return;
    const limit = Number(facts.dataset.kzStaleAfterDays);
    const days = Math.floor((japanToday() - utcDay(facts.dataset.kzAsOf)) / DAY_MS);
    if (!(limit > 0) || !(days > limit)) return;
    const content = document.querySelector(".md-content__inner") ?? document.querySelector("main");
    if (!content) return;
    const heading = content.querySelector(":scope > h1");
    if (heading) heading.after(notice(facts, days));
    else content.prepend(notice(facts, days));
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", check, { once: true });
  else check();
  // another tool page shown in the same document (calculators/app.mjs)
  document.addEventListener("kz:page", check);
})();
