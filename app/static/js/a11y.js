// Accessibility helpers every page loads: one polite live region for announcements, and
// keyboard access to regions that scroll (a wide code block, a formula, a table).

const SCROLLABLE = "pre, .math-display, .table-wrap, .q-pick, .results";
const LABELS = [
  ["pre", "Code block"],
  [".math-display", "Formula"],
  [".table-wrap", "Table"],
  [".q-pick", "Question list"],
  [".results", "Results"],
];

function announcer() {
  return document.querySelector("[data-announcer]");
}

/**
 * Say `message` through the page's live region (role=status, polite). The region is emptied
 * first so that the same words said twice are announced twice.
 */
export function announce(message) {
  const region = announcer();
  if (!region || !message) return;
  region.textContent = "";
  setTimeout(() => {
    region.textContent = message;
  }, 60);
}

function overflows(el) {
  const style = getComputedStyle(el);
  const scrolls = /(auto|scroll)/.test(style.overflowX + style.overflowY);
  return scrolls && (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1);
}

function hasFocusable(el) {
  return !!el.querySelector("a[href], button, input, select, textarea, [tabindex]:not([tabindex='-1'])");
}

function labelFor(el) {
  const match = LABELS.find(([selector]) => el.matches(selector));
  return `${match ? match[1] : "Scrollable region"} (scrolls)`;
}

/**
 * A region that scrolls but holds nothing focusable gets tabindex=0, so the arrow keys can
 * scroll it, with a group role and a name (a plain div or pre may not carry aria-label).
 * Regions that stop overflowing (a wider window, a smaller font) go back to how they were.
 */
export function markScrollable(root = document) {
  for (const el of root.querySelectorAll(SCROLLABLE)) {
    const marked = el.hasAttribute("data-scroll-region");
    if (!marked && overflows(el) && !hasFocusable(el) && !el.hasAttribute("tabindex")) {
      el.setAttribute("tabindex", "0");
      el.setAttribute("data-scroll-region", "");
      if (!el.hasAttribute("role")) el.setAttribute("role", "group");
      if (!el.hasAttribute("aria-label")) el.setAttribute("aria-label", labelFor(el));
    } else if (marked && !overflows(el)) {
      el.removeAttribute("tabindex");
      el.removeAttribute("data-scroll-region");
      if (el.getAttribute("role") === "group") el.removeAttribute("role");
      el.removeAttribute("aria-label");
    }
  }
}

function watch() {
  let queued = false;
  const again = () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      markScrollable();
    });
  };
  markScrollable();
  window.addEventListener("resize", again);
  // Panels that scripts insert later (verdicts, rendered maths, the live view's code).
  new MutationObserver(again).observe(document.body, { childList: true, subtree: true });
  // A new font size reflows the page without a resize event.
  if (window.ResizeObserver) new ResizeObserver(again).observe(document.body);
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", watch);
else watch();
