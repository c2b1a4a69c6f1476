// A countdown to `data-ends-at`, corrected for the difference between this clock and the
// server's (`data-server-now`, taken when the page was rendered).
//
// For screen readers it is a timer (role=timer, aria-live=off): its text can be read at any
// time but is never announced by itself; a few milestones are announced politely instead.
import { announce } from "dojo/a11y.js";

// Minutes left at which the time is announced.
const MILESTONES_MIN = [30, 15, 10, 5, 1];

function minutes(n) {
  return `${n} minute${n === 1 ? "" : "s"} left`;
}

function format(ms) {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = h ? String(m).padStart(2, "0") : String(m);
  return `${h ? `${h}:` : ""}${mm}:${String(s).padStart(2, "0")}`;
}

export function startCountdown(el, { onEnd } = {}) {
  const endsAt = Date.parse(el.dataset.endsAt);
  if (!endsAt) return null;
  const serverNow = Date.parse(el.dataset.serverNow || "");
  const skew = serverNow ? serverNow - Date.now() : 0;
  let ended = false;
  let timer = null;
  el.setAttribute("role", "timer");
  el.setAttribute("aria-live", "off");
  if (!el.hasAttribute("aria-label")) el.setAttribute("aria-label", "Time left");
  // Milestones already behind when the page opens are not announced.
  let nextMilestone = MILESTONES_MIN.findIndex((m) => m * 60_000 < endsAt - (Date.now() + skew));
  const tick = () => {
    const left = endsAt - (Date.now() + skew);
    el.textContent = format(left);
    if (nextMilestone >= 0 && nextMilestone < MILESTONES_MIN.length && left <= MILESTONES_MIN[nextMilestone] * 60_000) {
      if (left > 0) announce(minutes(MILESTONES_MIN[nextMilestone]));
      nextMilestone += 1;
    }
    el.classList.toggle("low", left > 0 && left < 5 * 60 * 1000);
    el.classList.toggle("over", left <= 0);
    if (left <= 0 && !ended) {
      ended = true;
      announce("Time is up");
      clearInterval(timer);
      if (onEnd) onEnd();
    }
  };
  tick();
  if (!ended) timer = setInterval(tick, 250);
  return { stop: () => clearInterval(timer) };
}
