// The candidate's side of follow-ups. When the interviewer pushes one, the page switches to it at
// once: the interview's room socket announces it, and the status poll finds it if that socket is
// down. The server started the follow-up from this part's code as it was stored at the push;
// `beforeLeave` lets the page store its last edits before it goes.
const ROOM_RETRY_MS = 3000;

/** Options: root (the workspace element), isClosed(), beforeLeave() -> Promise. */
export function watchFollowUps({ root, isClosed, beforeLeave }) {
  const known = new Set([...document.querySelectorAll("[data-question-tab]")].map((tab) => tab.dataset.questionTab));
  let switching = false;
  let room = null;

  async function switchTo(slug) {
    if (switching || isClosed() || known.has(slug)) return;
    switching = true;
    try {
      await beforeLeave();
    } catch {
      /* offline: the code stored at the push is what the follow-up starts from */
    }
    location.assign(`${location.pathname}?q=${encodeURIComponent(slug)}`);
  }

  // The room also carries the code as it is typed (for the interviewer); this page only listens.
  function join() {
    if (isClosed() || !root.dataset.roomUrl) return;
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    room = new WebSocket(scheme + location.host + root.dataset.roomUrl);
    room.addEventListener("message", (message) => {
      const body = JSON.parse(message.data);
      if (body && body.type === "followup" && typeof body.question === "string") switchTo(body.question);
    });
    room.addEventListener("close", () => {
      room = null;
      if (!isClosed() && !switching) setTimeout(join, ROOM_RETRY_MS);
    });
  }
  join();

  return {
    onStatus(body) {
      const fresh = (body.parts || []).filter((part) => part && !known.has(part.question));
      if (fresh.length) switchTo(fresh[fresh.length - 1].question);
    },
    stop() {
      if (room) room.close();
    },
  };
}
