// TeX to MathML for question prompts: `import { renderMath } from "/static/vendor/math.min.js"`.
import temml from "temml";

export function renderMath(root = document) {
  for (const el of root.querySelectorAll(".math:not([data-rendered])")) {
    const display = el.classList.contains("math-display");
    try {
      const tex = el.textContent;
      temml.render(tex, el, { displayMode: display, throwOnError: false, annotate: true });
      el.setAttribute("data-rendered", "");
      el.setAttribute("aria-label", tex);
    } catch {
      // Leave the TeX source readable when it cannot be rendered.
    }
  }
}
