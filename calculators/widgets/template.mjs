// Cloning the rows and cells that the build rendered into <template> elements.
//
// A widget never writes a row's markup itself: Python renders one row (or cell, or column) with
// tokens such as __I__ (a list index), __M__ (a month key) or __Y__ (a year) in its names, ids and
// text, inside <template data-kz-template="…">, from the same Jinja macro that renders the rows of
// the first paint. This module clones it and writes the tokens' values into attributes and text with
// DOM APIs. The values can come from a share link, a file or storage: they are never parsed as HTML.
// Not a widget of its own: no tool page is called "template", so app.mjs never loads it as one.

/**
 * The clone of the template named ``name`` under ``root``, its tokens replaced.
 * @param {ParentNode} root @param {string} name @param {Iterable<[string, string]>} tokens
 * @returns {HTMLElement}
 */
export function instantiate(root, name, tokens) {
  const template = root.querySelector(`template[data-kz-template="${CSS.escape(name)}"]`);
  if (!(template instanceof HTMLTemplateElement) || !template.content.firstElementChild) {
    throw new Error(`no <template data-kz-template="${name}">`);
  }
  const clone = /** @type {HTMLElement} */ (template.content.firstElementChild.cloneNode(true));
  const pairs = [...tokens];
  /** @param {string} text */
  const swap = (text) => {
    let next = text;
    for (const [token, value] of pairs) next = next.split(token).join(value);
    return next;
  };
  const walker = document.createTreeWalker(clone, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
  for (let node = /** @type {Node | null} */ (clone); node; node = walker.nextNode()) {
    if (node.nodeType === Node.TEXT_NODE) {
      if (node.nodeValue?.includes("__")) node.nodeValue = swap(node.nodeValue);
      continue;
    }
    const element = /** @type {Element} */ (node);
    for (const attribute of [...element.attributes]) {
      if (attribute.value.includes("__")) element.setAttribute(attribute.name, swap(attribute.value));
    }
  }
  return clone;
}
