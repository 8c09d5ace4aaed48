// Months as people type them — "2026-04", "2026年4月", "令和8年4月", "R8.4" — shared by the
// widgets that lay out month grids before Python has started. kaizen_core reads the same text
// and reports anything it cannot read; this only decides which rows and columns to show.

const ERAS = { 令和: 2018, R: 2018, 平成: 1988, H: 1988 };

function normalise(text) {
  return String(text ?? "").normalize("NFKC").trim();
}

/** The month index (year × 12 + month − 1) of "2026-04", "2026年4月", "令和8年4月"; else null. */
export function parseMonth(text) {
  const match = normalise(text)
    .toUpperCase()
    .match(/^(令和|平成|R|H)?\s*(\d{1,4}|元)\s*(?:[-/.]|年)\s*(\d{1,2})\s*月?$/);
  if (!match) return null;
  const [, era, yearText, monthText] = match;
  if (!era && yearText.length !== 4) return null;
  const year = (yearText === "元" ? 1 : Number(yearText)) + (era ? ERAS[era] : 0);
  const month = Number(monthText);
  return month >= 1 && month <= 12 ? year * 12 + month - 1 : null;
}

/** This month in Japan (the month index), whatever the computer's time zone. */
export function currentMonth(now = new Date()) {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Tokyo", year: "numeric", month: "numeric" }).formatToParts(now);
  const year = Number(parts.find((part) => part.type === "year").value);
  const month = Number(parts.find((part) => part.type === "month").value);
  return year * 12 + month - 1;
}
