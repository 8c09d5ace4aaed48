// 利用対象チェック — the small bits of the question flow that data-kz-show-if cannot express.
//
// data-kz-show-any="a=x|y;b=z&c=w" shows a block when ANY ";"-group holds (every "&" condition of
// it): 業況悪化 after any earlier use, the bank questions when the lender supports the plan or the
// bank route was chosen. prepare() turns Japanese names from share links and files into the codes
// the form's selects and radio buttons use (the table comes from kaizen_core, rendered into the
// page). No rules here: kaizen_core decides everything from the request.

const NAMED = ["entity_type", "industry", "programme", "route", "prefecture"];

function vocabulary(root) {
  const node = root.querySelector("#kz-eligibility-vocabulary");
  try {
    return node ? JSON.parse(node.textContent) : {};
  } catch {
    return {};
  }
}

function formValues(form) {
  const values = {};
  for (const element of form.elements) {
    if (!element.name) continue;
    if (element.type === "radio" || element.type === "checkbox") {
      if (element.checked) values[element.name] = element.value;
    } else {
      values[element.name] = element.value.trim();
    }
  }
  return values;
}

function holds(rule, values) {
  return rule.split(";").some((group) =>
    group.split("&").every((condition) => {
      const [path, accepted = ""] = condition.split("=");
      return accepted.split("|").includes(values[path] ?? "");
    }),
  );
}

function showAny(form, values) {
  for (const node of form.querySelectorAll("[data-kz-show-any]")) {
    node.hidden = !holds(node.dataset.kzShowAny, values);
  }
}

function asText(value) {
  if (value === true) return "true";
  if (value === false) return "false";
  if (value === null || value === undefined) return "";
  return String(value).trim();
}

export function setup(ctx) {
  const update = () => showAny(ctx.form, formValues(ctx.form));
  // Registered before the page's own listeners, so the blocks are right before the request is read.
  ctx.form.addEventListener("input", update);
  ctx.form.addEventListener("change", update);
  update();
}

export function prepare(ctx, flat) {
  const words = vocabulary(ctx.root);
  for (const name of NAMED) {
    const text = asText(flat[name]);
    const code = words[name]?.[text];
    if (text && code) flat[name] = code;
  }
  const yes = new Set(words.true ?? []);
  const no = new Set(words.false ?? []);
  for (const [name, value] of Object.entries(flat)) {
    const control = ctx.form.querySelector(`[name="${CSS.escape(name)}"]`);
    if (!control || (control.type !== "radio" && control.type !== "checkbox")) continue;
    const word = asText(value).toLowerCase();
    if (yes.has(word)) flat[name] = "true";
    else if (no.has(word)) flat[name] = "false";
  }
  const values = {};
  for (const [name, value] of Object.entries(flat)) values[name] = asText(value);
  showAny(ctx.form, values);
  const advanced = ctx.form.querySelector("details.kz-advanced");
  if (advanced && ["programme", "route", "as_of"].some((name) => values[name])) advanced.open = true;
}
