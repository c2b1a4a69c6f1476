// Live grading progress over server-sent events, with polling as the fallback.
import { announce } from "dojo/a11y.js";

const STEP_NAMES = ["queued", "running", "tests", "timing", "verdict"];

/**
 * Follow a submission until its verdict. `eventsUrl` is the SSE endpoint; `onEvent(type, data)`
 * is called for each progress event. Resolves with the verdict event's data, or null when the
 * stream failed (the caller then polls).
 */
export function followEvents(eventsUrl, onEvent) {
  return new Promise((resolve) => {
    if (!window.EventSource) {
      resolve(null);
      return;
    }
    const source = new EventSource(eventsUrl, { withCredentials: true });
    let settled = false;
    let errors = 0;
    const finish = (value) => {
      if (settled) return;
      settled = true;
      source.close();
      resolve(value);
    };
    const handle = (type) => (event) => {
      errors = 0;
      let data = {};
      try {
        data = JSON.parse(event.data);
      } catch {
        /* keep {} */
      }
      onEvent(type, data);
      if (type === "verdict") finish(data);
    };
    for (const type of ["queued", "running", "started", "loaded", "plan", "test", "timing", "requeued", "verdict"]) {
      source.addEventListener(type, handle(type));
    }
    source.addEventListener("message", handle("message"));
    source.onerror = () => {
      // EventSource reconnects by itself (resuming from Last-Event-ID); give up after a few.
      errors += 1;
      if (errors >= 3 || source.readyState === EventSource.CLOSED) finish(null);
    };
  });
}

/** Render the progress box and return an updater for SSE events. */
export function progressBox(container, { mode, framework }) {
  container.innerHTML = "";
  const box = document.createElement("div");
  box.className = "progress";
  // Not a live region itself: each test would be read out. The stages are announced instead.
  box.setAttribute("data-pending", "");
  box.innerHTML = `
    <span class="spinner" aria-hidden="true"></span>
    <div>
      <div><strong data-progress-title>Queued</strong>
        <span class="muted small">· ${mode === "submit" ? "Submit" : "Run"} · ${framework === "jax" ? "JAX" : "PyTorch"}</span></div>
      <div class="steps" data-steps></div>
      <div class="small muted" data-progress-detail></div>
    </div>`;
  container.appendChild(box);
  const title = box.querySelector("[data-progress-title]");
  const steps = box.querySelector("[data-steps]");
  const detail = box.querySelector("[data-progress-detail]");
  const names = mode === "submit" ? STEP_NAMES : STEP_NAMES.filter((s) => s !== "timing");
  for (const name of names) {
    const span = document.createElement("span");
    span.className = "step";
    span.dataset.step = name;
    span.textContent = name;
    steps.appendChild(span);
  }
  let planned = 0;
  let done = 0;
  let passed = 0;
  const setStep = (name) => {
    const index = names.indexOf(name);
    steps.querySelectorAll(".step").forEach((el, i) => {
      el.classList.toggle("done", i < index);
      el.classList.toggle("current", i === index);
    });
  };
  setStep("queued");
  announce(`${mode === "submit" ? "Submit" : "Run"} queued`);
  return function update(type, data) {
    switch (type) {
      case "running":
      case "started":
        if (title.textContent !== "Running") announce("Running your code");
        title.textContent = "Running";
        setStep("running");
        detail.textContent = "starting a fresh sandbox";
        break;
      case "loaded":
        detail.textContent = "your code is loaded";
        break;
      case "plan":
        planned = (data.tests || []).length;
        title.textContent = "Testing";
        announce(`Testing: ${planned} test${planned === 1 ? "" : "s"}`);
        setStep("tests");
        detail.textContent = `0 / ${planned} tests`;
        break;
      case "test":
        done += 1;
        if (data.passed) passed += 1;
        detail.textContent = `${done} / ${planned || "?"} tests · ${passed} passed · last: ${data.name}${data.passed ? " ✓" : " ✗"}`;
        break;
      case "timing":
        if (title.textContent !== "Timing") announce("Timing against the reference");
        title.textContent = "Timing";
        setStep("timing");
        detail.textContent = data.phase === "done" ? "timing done" : "timing against the reference";
        break;
      case "requeued":
        title.textContent = "Queued again";
        setStep("queued");
        detail.textContent = "the grader had a problem on our side; retrying";
        break;
      case "verdict":
        setStep("verdict");
        title.textContent = "Verdict";
        break;
      default:
        break;
    }
  };
}
