// Pair editing: one Yjs document per interview question, shared by the candidate and the
// interviewer over a WebSocket that carries the y-protocols sync and awareness messages
// (app/pairing/socket.py). The server stores every edit and names each cursor itself.
//
//   const pair = new PairDoc(url, { onStatus });   // connects, and reconnects after a drop
//   pair.whenSynced.then(() => bindEditor(editor, pair));   // pair.synced is true from then on
//   await pair.flush();                             // true once every edit so far is stored
//   pair.snapshot();                                // what a run asks the server to hold
import { Y, yCollab, yUndoManagerKeymap, syncProtocol, awarenessProtocol, encoding, decoding } from "dojo/vendor/collab";
import { EditorState, EditorView, Prec, keymap } from "dojo/vendor/codemirror";

const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
const RETRY_MS = [250, 1000, 2000, 4000, 8000]; // then every 8 s
const REFUSED = new Set([1008, 1009]); // the server said no: asking again gets the same answer
const FLUSH_TIMEOUT_MS = 5000;

function base64(bytes) {
  let binary = "";
  bytes.forEach((b) => (binary += String.fromCharCode(b)));
  return btoa(binary);
}

export class PairDoc {
  constructor(url, { onStatus } = {}) {
    this.url = url;
    this.doc = new Y.Doc();
    this.text = this.doc.getText("code");
    this.awareness = new awarenessProtocol.Awareness(this.doc);
    this.onStatus = onStatus || (() => {});
    this.socket = null;
    this.attempt = 0;
    this.stopped = false;
    // Each sync step 1 this page sends is answered by one step 2, in order; the answer also
    // means the server has stored every edit sent before it (it handles a socket's messages
    // one at a time).
    this.answers = [];
    this.synced = false;
    this.whenSynced = new Promise((resolve) => (this.markSynced = resolve));

    this.doc.on("update", (update, origin) => {
      if (origin === this) return; // from the server: it has it already
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, MESSAGE_SYNC);
      syncProtocol.writeUpdate(encoder, update);
      this.send(encoder);
    });
    this.awareness.on("update", ({ added, updated, removed }, origin) => {
      if (origin !== "local") return; // only this page's own cursor goes out
      this.sendAwareness(added.concat(updated, removed));
    });
    window.addEventListener("pagehide", () => {
      awarenessProtocol.removeAwarenessStates(this.awareness, [this.doc.clientID], "local");
    });
    this.connect();
  }

  connect() {
    if (this.stopped) return;
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    const socket = new WebSocket(scheme + location.host + this.url);
    socket.binaryType = "arraybuffer";
    this.socket = socket;
    socket.addEventListener("open", () => {
      this.attempt = 0;
      this.onStatus("online");
      this.requestSync(() => {
        this.synced = true;
        this.markSynced();
        this.onStatus("synced");
      });
      // The cursor again, one tick newer than the removal the server sent when the last
      // socket closed (sent by the "update" listener above).
      const cursor = this.awareness.getLocalState();
      if (cursor !== null) this.awareness.setLocalState(cursor);
    });
    socket.addEventListener("message", (event) => this.receive(new Uint8Array(event.data)));
    socket.addEventListener("close", (event) => this.closed(socket, event.code));
  }

  closed(socket, code) {
    if (socket !== this.socket) return;
    this.socket = null;
    this.answers.splice(0).forEach((answer) => answer(false));
    const others = [...this.awareness.getStates().keys()].filter((id) => id !== this.doc.clientID);
    awarenessProtocol.removeAwarenessStates(this.awareness, others, this);
    if (this.stopped || REFUSED.has(code)) {
      this.onStatus("closed", code);
      return;
    }
    this.onStatus("offline");
    const delay = RETRY_MS[Math.min(this.attempt, RETRY_MS.length - 1)];
    this.attempt += 1;
    setTimeout(() => this.connect(), delay);
  }

  receive(bytes) {
    const decoder = decoding.createDecoder(bytes);
    const type = decoding.readVarUint(decoder);
    if (type === MESSAGE_SYNC) {
      const reply = encoding.createEncoder();
      encoding.writeVarUint(reply, MESSAGE_SYNC);
      const step = syncProtocol.readSyncMessage(decoder, reply, this.doc, this);
      if (step === syncProtocol.messageYjsSyncStep2) {
        const answer = this.answers.shift();
        if (answer) answer(true);
      }
      if (encoding.length(reply) > 1) this.send(reply); // our step 2: edits made while offline
    } else if (type === MESSAGE_AWARENESS) {
      awarenessProtocol.applyAwarenessUpdate(this.awareness, decoding.readVarUint8Array(decoder), this);
    }
  }

  send(encoder) {
    if (this.socket && this.socket.readyState === WebSocket.OPEN) this.socket.send(encoding.toUint8Array(encoder));
  }

  sendAwareness(clients) {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
    encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients));
    this.send(encoder);
  }

  requestSync(answer) {
    this.answers.push(answer);
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_SYNC);
    syncProtocol.writeSyncStep1(encoder, this.doc);
    this.send(encoder);
  }

  /** Resolves true once the server has stored every edit made so far, false if it cannot tell. */
  flush(timeoutMs = FLUSH_TIMEOUT_MS) {
    if (!this.socket || this.socket.readyState !== WebSocket.OPEN) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.requestSync((stored) => {
        clearTimeout(timer);
        resolve(stored);
      });
    });
  }

  /**
   * This page's Yjs snapshot (base64): its state vector and its deletions. The server grades
   * only a document that holds both; a state vector alone does not change when text is deleted.
   */
  snapshot() {
    return base64(Y.encodeSnapshot(Y.snapshot(this.doc)));
  }

  close() {
    this.stopped = true;
    if (this.socket) this.socket.close();
  }
}

// The other side's name above its cursor at all times (y-codemirror.next shows it on hover),
// with room above the first line for it.
const cursorLabels = EditorView.theme({
  ".cm-ySelectionInfo": { opacity: 1, fontFamily: "inherit", fontWeight: "600", borderRadius: "3px 3px 3px 0" },
  ".cm-content": { paddingTop: "1.1em" },
});

// y-codemirror.next draws the other side's caret as a widget holding their name between word
// joiners (U+2060). Chromium's own editing can leave a copy of that text in the line (seen when
// a multi-line text replaces a selection that ends at the other's caret), which CodeMirror then
// reads as typed: the other's name would land in the shared code. Input is taken without it,
// and without the line break that came with it where it stood on a line of its own.
const CARET_LABEL = /\u2060\u2060[^\u2060\n]*\u2060/g;
const dropCaretLabels = EditorState.transactionFilter.of((tr) => {
  if (!tr.docChanged || !tr.isUserEvent("input")) return tr;
  const doc = tr.newDoc;
  const removals = [];
  tr.changes.iterChanges((fromA, toA, fromB, toB, inserted) => {
    for (const match of inserted.toString().matchAll(CARET_LABEL)) {
      const from = fromB + match.index;
      let to = from + match[0].length;
      const ownLine = (from === 0 || doc.sliceString(from - 1, from) === "\n") && doc.sliceString(to, to + 1) === "\n";
      if (ownLine) to += 1;
      removals.push({ from, to });
    }
  });
  return removals.length ? [tr, { changes: removals, sequential: true }] : tr;
});

/**
 * Bind an editor from `mountEditor` to the shared text, once synced: the editor then shows the
 * shared text, and edits, cursors and undo go both ways (Ctrl/Cmd+Z takes back one's own edits
 * only). With `startedFrom`, the text the page was rendered with: what was typed while the
 * socket connected is kept as an edit, provided the shared text is still that text.
 */
export function bindEditor(editor, pair, startedFrom = null) {
  const typed = editor.getCode();
  const shared = pair.text.toString();
  if (typed !== shared) editor.setCode(shared);
  const undoManager = new Y.UndoManager(pair.text);
  editor.setExtensions([
    yCollab(pair.text, pair.awareness, { undoManager }),
    Prec.highest(keymap.of(yUndoManagerKeymap)),
    cursorLabels,
    dropCaretLabels,
  ]);
  if (startedFrom !== null && typed !== startedFrom && shared === startedFrom) replaceChanged(editor.view, typed);
}

// One change covering only what differs, so the other side's cursor stays where it was.
function replaceChanged(view, text) {
  const current = view.state.doc.toString();
  let start = 0;
  while (start < current.length && start < text.length && current[start] === text[start]) start += 1;
  let end = 0;
  const room = Math.min(current.length, text.length) - start;
  while (end < room && current[current.length - 1 - end] === text[text.length - 1 - end]) end += 1;
  view.dispatch({ changes: { from: start, to: current.length - end, insert: text.slice(start, text.length - end) } });
}
