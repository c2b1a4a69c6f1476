// The interviewer's live view: the candidate's current code per question and the timeline,
// refreshed by polling (a couple of seconds is live enough and survives proxies and sleep).
import { getJSON } from "dojo/api.js";
import { mountEditor } from "dojo/editor.js";
import { startCountdown } from "dojo/countdown.js";

const POLL_MS = 2000;
const root = document.querySelector("[data-live]");
const tabs = document.querySelectorAll("[data-live-tab]");
const panes = document.querySelectorAll("[data-live-pane]");
const age = document.querySelector("[data-code-age]");
const indicator = document.querySelector("[data-live-indicator]");
const timelineHost = document.querySelector("[data-timeline-host]");
const countdown = document.querySelector("[data-countdown]");

const editors = new Map();
const codeAt = new Map();
let current = tabs.length ? tabs[0].dataset.liveTab : null;
let lastEventId = -1;

panes.forEach((pane) => {
  const pre = pane.querySelector("pre");
  const slug = pane.dataset.livePane;
  const textarea = document.createElement("textarea");
  textarea.value = pre.textContent;
  textarea.setAttribute("aria-label", "Candidate's code (read only)");
  pre.replaceWith(textarea);
  editors.set(slug, mountEditor(textarea, { readOnly: true }));
});

function show(slug) {
  current = slug;
  tabs.forEach((tab) => tab.setAttribute("aria-current", String(tab.dataset.liveTab === slug)));
  panes.forEach((pane) => (pane.hidden = pane.dataset.livePane !== slug));
  updateAge();
}
tabs.forEach((tab) =>
  tab.addEventListener("click", (event) => {
    event.preventDefault();
    show(tab.dataset.liveTab);
  }),
);

function updateAge() {
  const at = codeAt.get(current);
  if (!at) {
    age.textContent = "";
    return;
  }
  const seconds = Math.max(0, Math.round((Date.now() - at.time) / 1000));
  const when = seconds < 5 ? "just now" : seconds < 90 ? `${seconds}s ago` : `${Math.round(seconds / 60)} min ago`;
  age.textContent = `${at.source === "draft" ? "typed" : at.source} ${when}`;
}

async function poll() {
  let data;
  try {
    data = await getJSON(root.dataset.liveUrl);
  } catch {
    indicator.hidden = true;
    return true; // keep trying
  }
  indicator.hidden = data.state !== "live";
  for (const [slug, entry] of Object.entries(data.code || {})) {
    const editor = editors.get(slug);
    if (editor && editor.getCode() !== entry.code) editor.setCode(entry.code);
    codeAt.set(slug, { time: Date.parse(entry.at), source: entry.source });
  }
  if (data.last_event_id !== lastEventId) {
    lastEventId = data.last_event_id;
    timelineHost.innerHTML = data.timeline_html;
  }
  updateAge();
  return data.state !== "ended";
}

async function loop() {
  const again = await poll();
  if (again) setTimeout(loop, POLL_MS);
  else indicator.hidden = true;
}

if (root) {
  if (countdown) startCountdown(countdown);
  loop();
  setInterval(updateAge, 1000);
}
