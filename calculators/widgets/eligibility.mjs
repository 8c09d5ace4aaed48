// 利用対象チェック — prepare() turns Japanese names from share links and files into the codes the
// form's selects and radio buttons use (the table comes from kaizen_core, rendered into the page).
// The question flow itself is data-kz-show-if (with "||" alternatives) and 詳しい設定 opens by
// data-kz-open-when-given, both applied by app.mjs.
// No rules here: kaizen_core decides everything from the request.

const NAMED = ["entity_type", "industry", "programme", "route", "prefecture"];

function vocabulary(root) {
  const node = root.querySelector("#kz-eligibility-vocabulary");
  try {
    return node ? JSON.parse(node.textContent) : {};
  } catch {
    return {};
  }
}

function asText(value) {
  if (value === true) return "true";
  if (value === false) return "false";
  if (value === null || value === undefined) return "";
  return String(value).trim();
}

export function prepare(ctx, flat) {
  const words = vocabulary(ctx.root);
  for (const name of NAMED) {
    const text = asText(flat[name]);
    const code = words[name]?.[text];
    if (text && code) flat[name] = code;
  }
  // はい・いいえ however written (あり, ○ …): app.mjs, with the form's data-kz-yes-no
}
