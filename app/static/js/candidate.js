// The candidate's interview page: the workspace, its code shared with the interviewer and its
// drafts put on their timeline, and the countdown that closes the page when the time is up. It
// also tells the interviewer about large pastes into the editor and times the page was hidden
// or out of focus (signals to talk about, shown only to the interviewer).
import { setupWorkspace } from "dojo/workspace.js";
import { startCountdown } from "dojo/countdown.js";
import { csrfToken } from "dojo/api.js";
import { PairDoc, bindEditor } from "dojo/pair.js";
import { watchFollowUps } from "dojo/followups.js";

const root = document.querySelector("[data-workspace]");
const question = root.dataset.question;
let isClosed = false;

async function saveRemote(code) {
  if (isClosed) return;
  const response = await fetch(root.dataset.draftUrl, {
    method: "PUT",
    headers: { "Content-Type": "application/json", "X-CSRF-Token": csrfToken() },
    body: JSON.stringify({ question, code }),
    keepalive: code.length < 60000,
  });
  if (response.status === 410) {
    close();
    return;
  }
  if (!response.ok) throw new Error(String(response.status));
}

// The code is one document shared with the interviewer (dojo/pair.js): either side types and
// both see it, and a run or submit grades what the server stored once this page's edits are
// in. The drafts above still put the code on the interviewer's timeline.
const form = root.querySelector("[data-code-form]");
const saveState = root.querySelector("[data-save-state]");
const docSnapshot = Object.assign(document.createElement("input"), { type: "hidden", name: "doc_snapshot" });
let pair = null;

async function beforeGrade() {
  if (!pair) return;
  // Taken as Run is pressed, before waiting: every edit typed until then, deletions included,
  // must be in the graded document, and typing on while waiting asks for nothing more.
  const snapshot = pair.snapshot();
  await pair.flush();
  // Never connected: the code in the editor is posted instead, and becomes the shared text.
  docSnapshot.disabled = !pair.synced;
  docSnapshot.value = snapshot;
  if (!docSnapshot.isConnected) form.append(docSnapshot);
}

// The page is rendered with the shared text, which this browser's own copy never overrides.
const workspace = setupWorkspace({ saveRemote, remoteDelayMs: 1500, beforeGrade, restoreDraft: false });
const renderedCode = workspace.editor.getCode();

function pairStatus(status) {
  if (status === "offline") saveState.textContent = "Reconnecting…";
  if (status === "synced") saveState.textContent = "Connected";
}

if (root.dataset.docUrl) {
  pair = new PairDoc(root.dataset.docUrl, { onStatus: pairStatus });
  pair.whenSynced.then(() => {
    if (!isClosed) bindEditor(workspace.editor, pair, renderedCode);
  });
}

// A follow-up pushed by the interviewer: the page switches to it once this page's edits are stored.
const followUps = watchFollowUps({
  root,
  isClosed: () => isClosed,
  beforeLeave: async () => (pair ? pair.flush() : true),
});

function close() {
  if (isClosed) return;
  isClosed = true;
  if (pair) pair.close();
  followUps.stop();
  workspace.setClosed();
  document.querySelector("[data-closed-banner]").hidden = false;
}

// -- integrity signals --------------------------------------------------------------------
const PASTE_MIN_CHARS = 200; // a paste this long, or of this many lines, is reported
const PASTE_MIN_LINES = 5;
const PASTE_TEXT_MAX = 8192; // characters of the pasted text sent with it
const AWAY_MIN_MS = 1000; // shorter times away are not worth a timeline entry
let signalsRefused = false;

function sendSignal(body) {
  if (isClosed || signalsRefused || !root.dataset.signalsUrl) return;
  fetch(root.dataset.signalsUrl, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-CSRF-Token": csrfToken() },
    body: JSON.stringify(body),
    keepalive: true, // also delivered while the page is being left
  })
    .then((response) => {
      if (response.status === 429) signalsRefused = true; // the session keeps no more of them
      if (response.status === 410) close();
    })
    .catch(() => {
      /* offline for a moment: the signal is lost, the interview goes on */
    });
}

root.addEventListener(
  "paste",
  (event) => {
    if (!event.target || !event.target.closest || !event.target.closest(".cm-editor")) return;
    const text = event.clipboardData ? event.clipboardData.getData("text/plain") : "";
    // Lines as an editor numbers them: a last line break does not start another line.
    const lines = text ? Math.max(1, text.replace(/(\r\n|\r|\n)$/, "").split(/\r\n|\r|\n/).length) : 0;
    if (text.length < PASTE_MIN_CHARS && lines < PASTE_MIN_LINES) return;
    sendSignal({ type: "paste", question, chars: text.length, lines, text: text.slice(0, PASTE_TEXT_MAX) });
  },
  true, // capture: seen before the editor handles the paste
);

// One time away covers both the page being hidden and the window losing focus (switching tabs
// does both); it is sent when the candidate is back, or when the page is left meanwhile.
let awaySince = null;
let awayHidden = false;

function goneAway() {
  if (document.visibilityState === "hidden") awayHidden = true;
  if (awaySince === null) awaySince = Date.now();
}

function cameBack() {
  if (awaySince === null) return;
  const ms = Date.now() - awaySince;
  const reason = awayHidden ? "hidden" : "blur";
  awaySince = null;
  awayHidden = false;
  if (ms >= AWAY_MIN_MS) sendSignal({ type: "hidden", question, seconds: Math.min(ms / 1000, 86400), reason });
}

document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "hidden") goneAway();
  else if (document.hasFocus()) cameBack();
});
window.addEventListener("blur", goneAway);
window.addEventListener("focus", () => {
  if (document.visibilityState === "visible") cameBack();
});
window.addEventListener("pagehide", () => {
  if (awaySince === null) return;
  cameBack(); // sent with keepalive, so it survives the page going away
});

const countdown = document.querySelector("[data-countdown]");
if (countdown) startCountdown(countdown, { onEnd: close });

// The interviewer may end the session early: ask now and then whether it is still open.
const STATUS_MS = 5000;
async function watchStatus() {
  if (isClosed) return;
  try {
    const response = await fetch(root.dataset.statusUrl, { headers: { Accept: "application/json" } });
    const body = response.ok ? await response.json() : null;
    if (body && !body.open) {
      close();
      return;
    }
    if (body) followUps.onStatus(body);
  } catch {
    /* offline for a moment: ask again later */
  }
  setTimeout(watchStatus, STATUS_MS);
}
setTimeout(watchStatus, STATUS_MS);
