// Submitting code from a page and showing its progress, then the server-rendered verdict panel.
import { postForm, getHTML } from "dojo/api.js";
import { followEvents, progressBox } from "dojo/progress.js";
import { initCharts } from "dojo/charts.js";
import { announce } from "dojo/a11y.js";

const POLL_MS = 1000;

function fill(template, id) {
  return template.replace("{id}", encodeURIComponent(id));
}

// "Accepted. Run · PyTorch · 3/3 tests passed": the verdict's heading and its summary line.
function announceVerdict(panel) {
  if (!panel) return;
  const head = panel.querySelector(".verdict-head");
  const title = panel.querySelector("[data-verdict-title]");
  const summary = head ? head.textContent.replace(title ? title.textContent : "", "") : "";
  const message = panel.querySelector(".verdict-message");
  const parts = [title && title.textContent, summary, message && message.textContent];
  announce(parts.map((p) => (p || "").replace(/\s+/g, " ").trim()).filter(Boolean).join(". "));
}

function showError(results, message) {
  results.innerHTML = "";
  const box = document.createElement("div");
  box.className = "results-inner";
  const p = document.createElement("div");
  p.className = "flash error";
  p.setAttribute("role", "alert");
  p.setAttribute("data-submit-error", "");
  p.textContent = message;
  box.appendChild(p);
  results.appendChild(box);
}

async function loadPanel(results, panelUrl, id) {
  // The panel answers with the pending box until the verdict is stored; poll until it is.
  for (;;) {
    const html = await getHTML(fill(panelUrl, id));
    if (!html.includes("data-pending")) {
      results.innerHTML = `<div class="results-inner">${html}</div>`;
      initCharts(results);
      const title = results.querySelector("[data-verdict-title]");
      if (title) {
        title.setAttribute("tabindex", "-1");
        results.scrollTop = 0;
      }
      const panel = results.querySelector("[data-verdict]");
      const status = panel ? panel.dataset.status : null;
      announceVerdict(panel);
      document.dispatchEvent(new CustomEvent("dojo:verdict", { detail: { id, status, solved: !!results.querySelector("[data-solutions-link]") } }));
      return;
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** Follow submission `id` (already created) into `results`. */
export async function follow(results, id, { mode, framework, eventsUrl, panelUrl }) {
  const inner = document.createElement("div");
  inner.className = "results-inner";
  results.innerHTML = "";
  results.appendChild(inner);
  const update = progressBox(inner, { mode, framework });
  if (eventsUrl) await followEvents(fill(eventsUrl, id), update);
  await loadPanel(results, panelUrl, id);
}

/** Post the code form with `mode` and follow the new submission. */
export async function runGrading({ form, mode, results, eventsUrl, panelUrl, framework }) {
  const data = new FormData(form);
  data.set("mode", mode);
  let created;
  try {
    created = await postForm(form.action, data);
  } catch (error) {
    showError(results, error.message || "Could not send your code.");
    return null;
  }
  try {
    await follow(results, created.id, { mode, framework, eventsUrl, panelUrl });
  } catch (error) {
    showError(results, `Lost track of the grading: ${error.message}. Reload the page to see the result.`);
  }
  return created.id;
}

/** A page loaded while its last submission was still grading picks the stream back up. */
export function resumePending(results, eventsUrl, panelUrl) {
  const pending = results.querySelector("[data-pending][data-submission]");
  if (!pending) return;
  const id = pending.dataset.submission;
  const mode = pending.dataset.mode || "run";
  follow(results, id, { mode, framework: pending.dataset.framework, eventsUrl, panelUrl }).catch(() => {});
}
