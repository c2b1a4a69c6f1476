// TeX to MathML for question prompts: `import { renderMath } from "/static/vendor/math.min.js"`.
import temml from "temml";

export function renderMath(root = document) {
  for (const el of root.querySelectorAll(".math:not([data-rendered])")) {
    const display = el.classList.contains("math-display");
    try {
      temml.render(el.textContent, el, { displayMode: display, throwOnError: false, annotate: true });
      // The MathML is what assistive technology reads (the TeX rides along as its annotation);
      // an aria-label here would be prohibited on a plain div or span and hide the MathML.
      el.setAttribute("data-rendered", "");
    } catch {
      // Leave the TeX source readable when it cannot be rendered.
    }
  }
}
