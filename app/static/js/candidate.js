// The candidate's interview page: the workspace with drafts sent to the interviewer, and the
// countdown that closes the page when the time is up.
import { setupWorkspace } from "dojo/workspace.js";
import { startCountdown } from "dojo/countdown.js";
import { csrfToken } from "dojo/api.js";

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

const workspace = setupWorkspace({ saveRemote, remoteDelayMs: 1500 });

// The interviewer watches the code as it is typed: the interview's room socket carries it,
// debounced; the drafts above still store it on the timeline.
const ROOM_DELAY_MS = 300;
const ROOM_RETRY_MS = 3000;
let room = null;
let roomTimer = null;
let lastSent = null;

function sendCode() {
  if (!room || room.readyState !== WebSocket.OPEN) return;
  const code = workspace.editor.getCode();
  if (code === lastSent) return;
  lastSent = code;
  room.send(JSON.stringify({ type: "code", question, code }));
}

function joinRoom() {
  if (isClosed || !root.dataset.roomUrl) return;
  const scheme = location.protocol === "https:" ? "wss://" : "ws://";
  room = new WebSocket(scheme + location.host + root.dataset.roomUrl);
  room.addEventListener("open", () => {
    lastSent = null;
    sendCode();
  });
  room.addEventListener("close", () => {
    room = null;
    if (!isClosed) setTimeout(joinRoom, ROOM_RETRY_MS);
  });
}

function codeChanged() {
  clearTimeout(roomTimer);
  roomTimer = setTimeout(sendCode, ROOM_DELAY_MS);
}
root.addEventListener("input", codeChanged);
root.addEventListener("keyup", codeChanged);
joinRoom();

function close() {
  if (isClosed) return;
  isClosed = true;
  if (room) room.close();
  workspace.setClosed();
  document.querySelector("[data-closed-banner]").hidden = false;
}

const countdown = document.querySelector("[data-countdown]");
if (countdown) startCountdown(countdown, { onEnd: close });

// The interviewer may end the session early: ask now and then whether it is still open.
const STATUS_MS = 5000;
async function watchStatus() {
  if (isClosed) return;
  try {
    const response = await fetch(root.dataset.statusUrl, { headers: { Accept: "application/json" } });
    if (response.ok && !(await response.json()).open) {
      close();
      return;
    }
  } catch {
    /* offline for a moment: ask again later */
  }
  setTimeout(watchStatus, STATUS_MS);
}
setTimeout(watchStatus, STATUS_MS);
