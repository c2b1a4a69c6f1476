// The interviewer's live view. The page arrives with everything so far; after that it only
// receives what changes: the session's timeline as server-sent events (resuming from the last
// id it has), and each question's code as a document shared with the candidate (dojo/pair.js):
// both type in it and see each other's cursor. Once the session is over the code is read only.
import { mountEditor } from "dojo/editor.js";
import { startCountdown } from "dojo/countdown.js";
import { PairDoc, bindEditor } from "dojo/pair.js";

const TIMELINE_EVENTS = ["created", "opened", "draft", "run", "submit", "verdict", "ended", "note", "paste", "hidden", "followup"];
const LABELS = {
  created: "Session created",
  opened: "Candidate opened the link",
  run: "Run",
  submit: "Submit",
  verdict: "Result",
  ended: "Session ended",
  note: "Notes saved",
  followup: "Follow-up pushed",
};

const root = document.querySelector("[data-live]");
const tabs = document.querySelectorAll("[data-live-tab]");
const panes = document.querySelectorAll("[data-live-pane]");
const age = document.querySelector("[data-code-age]");
const indicator = document.querySelector("[data-live-indicator]");
const timelineHost = document.querySelector("[data-timeline-host]");
const countdown = document.querySelector("[data-countdown]");

const editors = new Map();
const codeAt = new Map();
const titles = new Map([...tabs].map((tab) => [tab.dataset.liveTab, tab.textContent.trim()]));
const shownTab = [...tabs].find((tab) => tab.getAttribute("aria-current") === "true") || tabs[0];
let current = shownTab ? shownTab.dataset.liveTab : null;
let state = root ? root.dataset.state : "ended";
let startedAt = root && root.dataset.startedAt ? Date.parse(root.dataset.startedAt) : null;
let events = null;
const pairs = new Map();

panes.forEach((pane) => {
  const pre = pane.querySelector("pre[data-live-code]");
  const slug = pane.dataset.livePane;
  const shared = state !== "ended";
  const textarea = document.createElement("textarea");
  textarea.value = pre.textContent;
  // After the end the page says which code this is: the final shared code or the last saved.
  const caption = pane.querySelector("[data-live-code-label]");
  const ended = caption ? `${caption.textContent} (read only)` : "Candidate's code (read only)";
  const label = shared ? "Shared code (you and the candidate both edit it)" : ended;
  textarea.setAttribute("aria-label", label);
  pre.replaceWith(textarea);
  const editor = mountEditor(textarea, { readOnly: true }); // editable once the shared text is here
  editors.set(slug, editor);
  if (shared) share(slug, editor);
});

function share(slug, editor) {
  const pair = new PairDoc(root.dataset.docUrl + encodeURIComponent(slug));
  pairs.set(slug, pair);
  pair.whenSynced.then(() => {
    if (state === "ended") return;
    bindEditor(editor, pair);
    editor.setReadOnly(false);
    // From now on the candidate's edits arrive from the server: note when, for "typed 3s ago".
    pair.text.observe((event) => {
      if (event.transaction.origin === pair) showCode(slug, null, "draft", Date.now());
    });
  });
}

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

function showCode(slug, code, source, time) {
  const editor = editors.get(slug);
  // A shared editor holds the code itself; the timeline only says when it last changed.
  if (editor && code !== null && !pairs.has(slug) && editor.getCode() !== code) editor.setCode(code);
  codeAt.set(slug, { time, source });
  if (slug === current) updateAge();
}

function setState(next) {
  state = next;
  indicator.hidden = state !== "live" || events === null;
  if (state === "ended") stop();
}

// -- the timeline: one new row per event, a verdict fills in its run or submit -------------

function clock(ms) {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, "0");
  return hours ? `${hours}:${String(minutes).padStart(2, "0")}:${seconds}` : `${minutes}:${seconds}`;
}

function when(at) {
  const time = Date.parse(at);
  if (startedAt !== null && time >= startedAt) return clock(time - startedAt);
  return new Date(time).toISOString().slice(11, 16) + " UTC";
}

function statusSpan(status) {
  const span = document.createElement("span");
  const labels = JSON.parse(root.dataset.statusLabels || "{}");
  span.className = `status ${status || "running"}`;
  span.textContent = status ? labels[status] || status.replaceAll("_", " ") : "grading…";
  return span;
}

// Integrity signals, in the same words as the server's timeline (app.interviews.integrity).
function plural(n, word) {
  return `${n.toLocaleString("en-US")} ${word}${n === 1 ? "" : "s"}`;
}

function duration(seconds) {
  const total = Math.round(seconds);
  if (total < 60) return `${total} s`;
  const minutes = Math.floor(total / 60);
  const secs = total % 60;
  if (minutes < 60) return secs ? `${minutes} min ${secs} s` : `${minutes} min`;
  const rest = minutes % 60;
  return rest ? `${Math.floor(minutes / 60)} h ${rest} min` : `${Math.floor(minutes / 60)} h`;
}

function signalLabel(entry) {
  const data = entry.data || {};
  if (entry.type === "paste") return `Pasted ${plural(data.chars || 0, "character")} (${plural(data.lines || 0, "line")})`;
  if (entry.type === "hidden") {
    const where = data.reason === "blur" ? "Window out of focus" : "Page hidden";
    return `${where} for ${duration(data.seconds || 0)}`;
  }
  return null;
}

function pastedDetails(entry) {
  const data = entry.data || {};
  const details = document.createElement("details");
  details.className = "pasted";
  details.dataset.pasted = "";
  const summary = document.createElement("summary");
  summary.textContent = data.truncated ? "Pasted text (the first 8 KiB)" : "Pasted text";
  const pre = document.createElement("pre");
  pre.tabIndex = 0;
  const code = document.createElement("code");
  code.textContent = data.text || "";
  pre.append(code);
  details.append(summary, pre);
  return details;
}

function showSignalNote(list) {
  if (timelineHost.querySelector("[data-signal-note]") || !root.dataset.signalCaveat) return;
  const note = document.createElement("p");
  note.className = "small muted signal-note";
  note.dataset.signalNote = "";
  note.textContent = root.dataset.signalCaveat;
  list.after(note);
}

function appendRow(entry) {
  const list = timelineHost.querySelector("[data-timeline]");
  list.querySelector(".empty-row")?.remove();
  const row = document.createElement("li");
  row.dataset.entry = entry.type;
  const whenCell = document.createElement("div");
  whenCell.className = "when";
  whenCell.textContent = when(entry.at);
  const what = document.createElement("div");
  what.className = "what";
  const label = document.createElement("strong");
  const signal = signalLabel(entry);
  label.textContent = signal || LABELS[entry.type] || entry.type;
  what.append(label);
  if (entry.question) what.append(` · ${titles.get(entry.question) || entry.question}`);
  if (signal) {
    row.className = "signal";
    if (entry.type === "paste") what.append(pastedDetails(entry));
    showSignalNote(list);
  }
  if (entry.submission_id) {
    row.dataset.submission = entry.submission_id;
    row.className = "pending";
    what.append(" · ", statusSpan(null));
  }
  row.append(whenCell, what);
  list.append(row);
}

function fillVerdict(entry) {
  const row = timelineHost.querySelector(`[data-submission="${CSS.escape(entry.submission_id || "")}"]`);
  if (!row) return appendRow(entry);
  const status = (entry.data || {}).status;
  row.className = status === "accepted" ? "ok" : status && status !== "internal_error" ? "bad" : "";
  row.querySelector(".status")?.replaceWith(statusSpan(status));
}

let pushing = false; // this page submitted a follow-up push and is navigating to its answer
document.addEventListener("submit", (event) => {
  if (event.target.closest("[data-followups]")) pushing = true;
});

function onTimeline(message) {
  const entry = JSON.parse(message.data);
  if (entry.type === "opened" && startedAt === null) startedAt = Date.parse(entry.at);
  if (entry.question && entry.data && typeof entry.data.code === "string") {
    showCode(entry.question, entry.data.code, entry.type, Date.parse(entry.at));
  }
  if (entry.type === "verdict") fillVerdict(entry);
  else if (entry.type !== "draft" && !entry.update) appendRow(entry);
  // A follow-up this page has no pane for, pushed from a teammate's view: load the page again
  // showing it. A push from this page is already on its way there (the form's answer), and a
  // second navigation would cut that one short.
  if (entry.type === "followup" && entry.question && !editors.has(entry.question) && !pushing) {
    location.assign(`${location.pathname}?part=${encodeURIComponent(entry.question)}`);
  }
  if (entry.type === "opened") setState("live");
  if (entry.type === "ended") setState("ended");
}

function follow() {
  const url = `${root.dataset.eventsUrl}?after=${encodeURIComponent(root.dataset.after || "0")}`;
  events = new EventSource(url); // reconnects by itself, resuming from the last id it saw
  TIMELINE_EVENTS.forEach((type) => events.addEventListener(type, onTimeline));
  events.addEventListener("open", () => setState(state));
  events.addEventListener("error", () => (indicator.hidden = true));
  setState(state);
}

function stop() {
  indicator.hidden = true;
  if (events) events.close();
  pairs.forEach((pair) => pair.close());
  editors.forEach((editor) => editor.setReadOnly(true));
}

if (root) {
  if (countdown) startCountdown(countdown);
  setInterval(updateAge, 1000);
  if (state !== "ended") {
    follow();
  }
}
