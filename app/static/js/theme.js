// Applies the saved light/dark choice before the page paints (a classic, blocking script on
// purpose) and wires the header toggle once the document is parsed.
(function () {
  var KEY = "dojo-theme";
  var root = document.documentElement;
  try {
    var saved = localStorage.getItem(KEY);
    if (saved === "light" || saved === "dark") root.setAttribute("data-theme", saved);
  } catch (e) { /* storage may be disabled */ }

  function current() {
    var explicit = root.getAttribute("data-theme");
    if (explicit) return explicit;
    return window.matchMedia && matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }
  window.dojoTheme = current;

  document.addEventListener("DOMContentLoaded", function () {
    var button = document.querySelector("[data-theme-toggle]");
    if (!button) return;
    button.hidden = false;
    // A toggle: "Dark theme", pressed or not, so screen readers say which theme is on.
    button.setAttribute("aria-pressed", String(current() === "dark"));
    button.addEventListener("click", function () {
      var next = current() === "dark" ? "light" : "dark";
      root.setAttribute("data-theme", next);
      button.setAttribute("aria-pressed", String(next === "dark"));
      try { localStorage.setItem(KEY, next); } catch (e) { /* ignore */ }
      document.dispatchEvent(new CustomEvent("dojo:theme", { detail: next }));
    });
  });
})();
