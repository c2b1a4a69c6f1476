// The report's playback of each question's editing history: a scrubber over the steps (arrow
// keys one step, Page Up/Down ten, Home/End), play/pause at 1x, 4x or 16x with long pauses
// shortened, and a marker for every run and submit; at a marker the panel shows that moment's
// code and what the run got. Without scripts the panel stays hidden and "Code at each run"
// below it shows the same code run by run.
import { getJSON } from "dojo/api.js";
import { announce } from "dojo/a11y.js";
import { History, playClock } from "dojo/playback_frames.js";

const IDLE_CAP_MS = 2000; // while playing, a pause longer than this (session time) takes this long
const PAGE_STEPS = 10;
const STATUS_LABELS = {
  accepted: "Accepted",
  wrong_answer: "Wrong answer",
  runtime_error: "Runtime error",
  time_limit_exceeded: "Time limit exceeded",
  memory_limit_exceeded: "Memory limit exceeded",
  output_limit_exceeded: "Output limit exceeded",
  compile_error: "Compile error",
  rejected: "Rejected",
  internal_error: "Internal error",
};

const pad = (n) => String(n).padStart(2, "0");

/** Session time as m:ss or h:mm:ss. */
export function clockText(ms) {
  const total = Math.max(0, Math.floor(ms / 1000));
  const [h, m, s] = [Math.floor(total / 3600), Math.floor(total / 60) % 60, total % 60];
  return `${h ? `${h}:${pad(m)}` : m}:${pad(s)}`;
}

/** "45 s", "2 min 5 s", "1 h 3 min". */
export function durationText(ms) {
  const total = Math.round(ms / 1000);
  if (total < 60) return `${total} s`;
  const minutes = Math.floor(total / 60);
  if (minutes < 60) return total % 60 ? `${minutes} min ${total % 60} s` : `${minutes} min`;
  return minutes % 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${Math.floor(minutes / 60)} h`;
}

function statusLabel(status) {
  return status ? STATUS_LABELS[status] || status.replace(/_/g, " ") : "not graded yet";
}

function markerTitle(marker) {
  const kind = marker.kind === "submit" ? "Submit" : "Run";
  return `${kind} #${marker.number} at ${clockText(marker.t)}: ${statusLabel(marker.status)}`;
}

class Player {
  constructor(root, data) {
    this.root = root;
    this.data = data;
    this.history = new History(data.initial, data.frames);
    this.times = this.history.times();
    this.play = playClock(this.times, IDLE_CAP_MS);
    this.step = 0;
    this.speed = 1;
    this.timer = null;
    this.el = (name) => root.querySelector(`[data-playback-${name}]`);
    this.scrubber = this.el("scrubber");
    this.markerButtons = [];
  }

  start() {
    const steps = this.history.steps;
    this.scrubber.max = String(steps);
    this.scrubber.disabled = steps === 0;
    this.el("play").disabled = steps === 0;
    this.describe();
    this.buildMarkers();
    this.bind();
    this.root.hidden = false;
    this.show(steps);
  }

  describe() {
    const notes = [];
    if (this.data.source === "timeline") {
      notes.push(
        "Replayed from the code saved while the candidate typed (every few seconds) and sent with each run and submit; keystrokes between saves are not recorded.",
      );
    }
    const coalesced = this.data.coalesced;
    if (coalesced) {
      notes.push(
        `This history has ${coalesced.snapshots.toLocaleString("en")} edits, shown as ${coalesced.steps.toLocaleString("en")} steps; the code at every run and submit is kept.`,
      );
    }
    if (this.data.runs_total > this.data.markers.length) {
      notes.push(
        `${this.data.markers.length} of the ${this.data.runs_total.toLocaleString("en")} runs and submits are marked.`,
      );
    }
    notes.push(`While playing, pauses longer than ${IDLE_CAP_MS / 1000} s are shortened to ${IDLE_CAP_MS / 1000} s.`);
    if (this.history.steps === 0) notes.unshift("No edits recorded yet.");
    this.el("note").textContent = notes.join(" ");
  }

  buildMarkers() {
    const host = this.el("markers");
    const steps = Math.max(1, this.history.steps);
    for (const marker of this.data.markers) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = `playback-marker ${marker.status || "pending"}${marker.kind === "submit" ? " submit" : ""}`;
      button.dataset.playbackMarker = String(marker.number);
      button.setAttribute("aria-label", markerTitle(marker));
      button.title = markerTitle(marker);
      button.style.setProperty("--at", String(marker.step / steps));
      button.addEventListener("click", () => this.jumpTo(marker));
      host.appendChild(button);
      this.markerButtons.push([marker, button]);
    }
  }

  bind() {
    this.scrubber.addEventListener("input", () => {
      this.pause();
      this.show(Number(this.scrubber.value));
    });
    this.scrubber.addEventListener("keydown", (event) => {
      if (event.key !== "PageUp" && event.key !== "PageDown") return;
      event.preventDefault(); // one page is PAGE_STEPS steps, whatever the history's length
      this.pause();
      this.show(this.step + (event.key === "PageUp" ? PAGE_STEPS : -PAGE_STEPS));
    });
    this.el("play").addEventListener("click", () => (this.timer ? this.pause() : this.resume()));
    this.root.querySelectorAll("[data-playback-speed]").forEach((button) => {
      button.addEventListener("click", () => this.setSpeed(Number(button.dataset.playbackSpeed)));
    });
    this.el("prev").addEventListener("click", () => this.jumpToNeighbour(-1));
    this.el("next").addEventListener("click", () => this.jumpToNeighbour(1));
  }

  setSpeed(speed) {
    this.speed = speed;
    this.root.querySelectorAll("[data-playback-speed]").forEach((button) => {
      button.setAttribute("aria-pressed", String(Number(button.dataset.playbackSpeed) === speed));
    });
  }

  jumpTo(marker) {
    this.pause();
    this.show(marker.step);
    announce(`${markerTitle(marker)}. Code at ${clockText(marker.t)} shown.`);
  }

  jumpToNeighbour(direction) {
    const markers = this.data.markers;
    const target =
      direction > 0
        ? markers.find((m) => m.step > this.step)
        : [...markers].reverse().find((m) => m.step < this.step);
    if (target) this.jumpTo(target);
  }

  resume() {
    if (this.step >= this.history.steps) this.show(0); // from the end: start again
    const button = this.el("play");
    button.textContent = "Pause";
    let clockMs = this.play.clock[this.step];
    let last = performance.now();
    const tick = (now) => {
      clockMs += (now - last) * this.speed;
      last = now;
      let step = this.step;
      while (step < this.history.steps && this.play.clock[step + 1] <= clockMs) step += 1;
      if (step !== this.step) this.show(step, true);
      if (this.step >= this.history.steps) {
        this.pause();
        return;
      }
      this.timer = requestAnimationFrame(tick);
    };
    this.timer = requestAnimationFrame(tick);
  }

  pause() {
    if (this.timer) cancelAnimationFrame(this.timer);
    this.timer = null;
    this.el("play").textContent = "Play";
  }

  show(step, playing = false) {
    const previous = this.step;
    this.step = Math.max(0, Math.min(this.history.steps, step));
    const s = this.step;
    this.scrubber.value = String(s);
    const role = s > 0 ? this.data.roles[this.data.frames[s - 1][1]] : null;
    const position = `${clockText(this.times[s])} · step ${s} of ${this.history.steps}`;
    this.scrubber.setAttribute("aria-valuetext", position);
    this.el("position").textContent = s === 0 ? `${position} · the code the question starts from` : `${position} · by ${role}`;
    const skipped = playing ? this.play.skipped.slice(previous + 1, s + 1).reduce((a, b) => a + b, 0) : 0;
    const idle = this.el("idle");
    if (skipped > 0) idle.textContent = `Skipped ${durationText(skipped)} with no edits`;
    else if (!playing) idle.textContent = "";
    this.renderCode(s);
    this.renderResult(s);
  }

  renderCode(step) {
    const text = this.history.textAt(step);
    const code = this.el("code");
    code.textContent = "";
    let at = 0;
    let first = null;
    for (const [start, end] of this.history.insertedAt(step)) {
      code.append(text.slice(at, start));
      const mark = document.createElement("mark");
      mark.textContent = text.slice(start, end);
      code.append(mark);
      first = first || mark;
      at = end;
    }
    code.append(text.slice(at));
    const pre = code.parentElement;
    if (first) pre.scrollTop = Math.max(0, first.offsetTop - pre.clientHeight / 3);
  }

  renderResult(step) {
    const marker = [...this.data.markers].reverse().find((m) => m.step <= step);
    for (const [m, button] of this.markerButtons) {
      if (m === marker && m.step === step) button.setAttribute("aria-current", "step");
      else button.removeAttribute("aria-current");
    }
    const box = this.el("result");
    const shown = marker ? `${marker.number}:${marker.step === step}` : "none";
    if (box.dataset.shown === shown) return; // the same words: leave them (and any reader) alone
    box.dataset.shown = shown;
    box.textContent = "";
    if (!marker) {
      box.textContent = "No run or submit yet at this point.";
      return;
    }
    const head = document.createElement("p");
    const where = marker.step === step ? "At" : "Since";
    const kind = marker.kind === "submit" ? "Submit" : "Run";
    head.append(`${where} ${kind} #${marker.number} (${clockText(marker.t)}): `);
    const status = document.createElement("span");
    status.className = `status ${marker.status || "pending"}`;
    status.dataset.playbackStatus = marker.status || "";
    status.textContent = statusLabel(marker.status);
    head.append(status);
    if (marker.total) head.append(` · ${marker.passed}/${marker.total} tests passed`);
    box.append(head);
    const failing = marker.failing_test;
    if (failing) {
      const line = document.createElement("p");
      line.className = "small";
      line.dataset.playbackFailing = "";
      line.append(`First failing test: `);
      const name = document.createElement("code");
      name.textContent = failing.name;
      line.append(name, failing.visible ? " (an example)" : " (a hidden test)");
      if (failing.message) line.append(` · ${failing.message}`);
      box.append(line);
    } else if (marker.message && marker.status !== "accepted") {
      const line = document.createElement("p");
      line.className = "small";
      line.textContent = marker.message;
      box.append(line);
    }
  }
}

document.querySelectorAll("[data-playback]").forEach(async (root) => {
  try {
    const data = await getJSON(root.dataset.playbackUrl);
    new Player(root, data).start();
  } catch (error) {
    root.hidden = false;
    root.querySelector("[data-playback-note]").textContent = `Playback is not available: ${error.message}`;
    root.querySelectorAll("button, input").forEach((control) => (control.disabled = true));
  }
});
