// Pasting a block copied from Excel into an input table (財務の健康診断, 数値計画チェック, 業況悪化判定).
//
// A paste with a tab or a line break in it is a block: its lines go downwards from the row of the
// input pasted into and its cells rightwards from that input's column. The widget says where a value
// goes (put) and what to tell about values that found no cell (skipped); this module splits the text,
// counts the cells filled and the values left out and writes that, in Japanese, into the table's
// status line (a live region). A single value is left to the browser. Not a widget of its own: no
// tool page is called "paste", so app.mjs never loads it as one. No rules here.

/**
 * @typedef {{
 *   rows: Element[],
 *   column: number,
 *   status: Element | null,
 *   put: (row: Element | undefined, index: number, value: string) => boolean,
 *   skipped: (left: number) => string,
 *   begin?: (lines: string[][]) => void,
 * }} PasteTarget
 */

/**
 * The pasted text as lines of cells (CR/LF or LF between lines, tabs between cells, trailing line
 * breaks dropped), or null when it is one value. @param {ClipboardEvent} event @returns {string[][] | null}
 */
export function pastedBlock(event) {
  const text = (event.clipboardData?.getData("text/plain") ?? "").replace(/\r\n?/g, "\n").replace(/\n+$/, "");
  if (!/[\t\n]/.test(text)) return null;
  return text.split("\n").map((line) => line.split("\t"));
}

/** Writes a message into a table's status line. @param {Element | null} box @param {string} text */
export function say(box, text) {
  if (box) box.textContent = text;
}

/**
 * Fills a table from a pasted block, starting at ``input`` (its row in ``target.rows``, its column
 * ``target.column``); ``put`` gets each value (trimmed) with the row it falls on and its column, and
 * says whether it went in. Returns false (and leaves the paste to the browser) for a single value.
 * @param {ClipboardEvent} event @param {HTMLInputElement} input @param {PasteTarget} target
 */
export function pasteBlock(event, input, target) {
  const lines = pastedBlock(event);
  if (!lines) return false;
  event.preventDefault();
  target.begin?.(lines);
  const first = target.rows.indexOf(/** @type {Element} */ (input.closest("tr")));
  let placed = 0;
  let left = 0;
  lines.forEach((cells, down) => {
    const row = first < 0 ? undefined : target.rows[first + down];
    cells.forEach((raw, right) => {
      const value = raw.trim();
      if (target.put(row, target.column + right, value)) placed += 1;
      else if (value !== "") left += 1;
    });
  });
  say(target.status, `${placed}マスに貼り付けました。${left ? target.skipped(left) : ""}`);
  return true;
}
