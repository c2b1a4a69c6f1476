// A countdown to `data-ends-at`, corrected for the difference between this clock and the
// server's (`data-server-now`, taken when the page was rendered).

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
  const tick = () => {
    const left = endsAt - (Date.now() + skew);
    el.textContent = format(left);
    el.setAttribute("aria-label", `${format(left)} left`);
    el.classList.toggle("low", left > 0 && left < 5 * 60 * 1000);
    el.classList.toggle("over", left <= 0);
    if (left <= 0 && !ended) {
      ended = true;
      clearInterval(timer);
      if (onEnd) onEnd();
    }
  };
  tick();
  if (!ended) timer = setInterval(tick, 250);
  return { stop: () => clearInterval(timer) };
}
