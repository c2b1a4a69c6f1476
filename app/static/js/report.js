// The report's "code at each run": one snapshot at a time with a slider, prev/next and the
// arrow keys, and a line-level diff marker against the previous run. Without scripts every
// snapshot stays a <details> element.

function lineDiff(previous, current) {
  const before = new Set(previous.split("\n"));
  return current.split("\n").map((line) => ({ line, changed: previous !== "" && !before.has(line) }));
}

function render(pre, previous, current) {
  pre.textContent = "";
  const code = document.createElement("code");
  for (const { line, changed } of lineDiff(previous, current)) {
    const span = document.createElement("span");
    span.textContent = `${line}\n`;
    if (changed) span.className = "changed-line";
    code.appendChild(span);
  }
  pre.appendChild(code);
}

document.querySelectorAll("[data-stepper]").forEach((root) => {
  const snapshots = [...root.querySelectorAll("[data-snapshot]")];
  if (snapshots.length === 0) return;
  const codes = snapshots.map((s) => s.querySelector("pre").textContent);
  const labels = snapshots.map((s) => s.querySelector("summary").innerHTML);

  const bar = document.createElement("div");
  bar.className = "stepper";
  bar.innerHTML = `
    <button type="button" class="btn small" data-prev aria-label="Previous run">←</button>
    <input type="range" min="1" max="${snapshots.length}" value="${snapshots.length}" aria-label="Run number">
    <button type="button" class="btn small" data-next aria-label="Next run">→</button>
    <span class="small muted" data-position aria-live="polite"></span>`;
  const label = document.createElement("div");
  label.className = "small";
  label.style.margin = "0 0 .4rem";
  const view = document.createElement("div");
  view.className = "snapshot no-print";
  const pre = document.createElement("pre");
  view.appendChild(pre);

  const slider = bar.querySelector("input");
  const position = bar.querySelector("[data-position]");
  const show = (n) => {
    const i = Math.min(snapshots.length, Math.max(1, n)) - 1;
    slider.value = String(i + 1);
    position.textContent = `${i + 1} / ${snapshots.length}`;
    label.innerHTML = labels[i];
    render(pre, i > 0 ? codes[i - 1] : "", codes[i]);
  };
  bar.querySelector("[data-prev]").addEventListener("click", () => show(Number(slider.value) - 1));
  bar.querySelector("[data-next]").addEventListener("click", () => show(Number(slider.value) + 1));
  slider.addEventListener("input", () => show(Number(slider.value)));
  root.addEventListener("keydown", (event) => {
    // On the slider itself the browser already moves it (and fires "input"): one step, not two.
    if (event.target === slider) return;
    if (event.key === "ArrowLeft") show(Number(slider.value) - 1);
    if (event.key === "ArrowRight") show(Number(slider.value) + 1);
  });

  snapshots.forEach((s) => s.classList.add("print-only"));
  if (snapshots.length === 1) bar.hidden = true;
  root.prepend(bar, label, view);
  root.setAttribute("data-stepper-ready", "");
  show(snapshots.length);
});
