// The editor workspace shared by the question page and the interview page: editor, drafts,
// Run/Submit with live progress, keyboard shortcuts.
import { mountEditor, bindPageShortcuts, isMac } from "dojo/editor.js";
import { debounce } from "dojo/api.js";
import { runGrading, resumePending } from "dojo/grading.js";
import { renderMath } from "dojo/vendor/math";
import { initCharts } from "dojo/charts.js";

function readDraft(key) {
  try {
    const raw = localStorage.getItem(key);
    return raw ? JSON.parse(raw) : null;
  } catch {
    return null;
  }
}

/**
 * Options: saveRemote(code) -> Promise (server-side drafts), remoteDelayMs, beforeGrade() ->
 * Promise (run before the form is posted: the shared editor waits for its edits to be stored),
 * restoreDraft (default true: a newer draft kept in this browser replaces the page's code).
 * Returns { editor, setClosed() }.
 */
export function setupWorkspace(options = {}) {
  const root = document.querySelector("[data-workspace]");
  const form = root.querySelector("[data-code-form]");
  const textarea = root.querySelector("textarea[data-editor]");
  const results = root.querySelector("[data-results]");
  const saveState = root.querySelector("[data-save-state]");
  const resetButton = root.querySelector("[data-reset]");
  const buttons = form.querySelectorAll("button[name=mode]");

  renderMath(document);
  initCharts(results);
  if (isMac()) {
    form.querySelectorAll("kbd").forEach((kbd) => (kbd.textContent = kbd.textContent.replace("Ctrl", "\u2318")));
  }

  // A draft kept in this browser wins over the server's copy when it is newer.
  const draftKey = root.dataset.draftKey;
  const savedAt = Date.parse(root.dataset.savedAt || "") || 0;
  const draft = readDraft(draftKey);
  if (options.restoreDraft !== false && draft && typeof draft.code === "string" && draft.at > savedAt && draft.code !== textarea.value) {
    textarea.value = draft.code;
    saveState.textContent = "Draft restored";
  }

  let lastRemote = textarea.value;
  const saveRemote = debounce(async (code) => {
    if (!options.saveRemote || code === lastRemote) return;
    try {
      await options.saveRemote(code);
      lastRemote = code;
      saveState.textContent = "Saved";
    } catch {
      saveState.textContent = "Not saved (offline?)";
    }
  }, options.remoteDelayMs || 1200);

  const saveDraft = debounce((code) => {
    try {
      localStorage.setItem(draftKey, JSON.stringify({ code, at: Date.now() }));
      if (!options.saveRemote) saveState.textContent = "Draft saved";
    } catch {
      /* storage full or disabled: the server copy still counts */
    }
    saveRemote(code);
  }, 400);

  let busy = false;
  let closed = false;

  async function grade(mode) {
    if (busy || closed || !buttons.length) return;
    busy = true;
    // aria-disabled, not disabled: a disabled button drops keyboard focus to the page's start.
    buttons.forEach((b) => b.setAttribute("aria-disabled", "true"));
    saveDraft.flush(editor.getCode());
    try {
      if (options.beforeGrade) await options.beforeGrade();
      await runGrading({
        form,
        mode,
        results,
        eventsUrl: root.dataset.eventsUrl,
        panelUrl: root.dataset.panelUrl,
        framework: root.dataset.framework,
      });
    } finally {
      busy = false;
      buttons.forEach((b) => b.removeAttribute("aria-disabled"));
    }
  }

  const editor = mountEditor(textarea, {
    onRun: () => grade("run"),
    onSubmit: () => grade("submit"),
    onChange: (code) => {
      saveState.textContent = "Editing…";
      saveDraft(code);
    },
  });
  bindPageShortcuts({ onRun: () => grade("run"), onSubmit: () => grade("submit") });

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const mode = event.submitter && event.submitter.value === "submit" ? "submit" : "run";
    grade(mode);
  });

  if (resetButton) {
    resetButton.hidden = false;
    resetButton.addEventListener("click", () => {
      if (!confirm("Replace your code with the starter code?")) return;
      editor.setCode(textarea.dataset.starter || "");
      editor.focus();
    });
  }

  const flush = () => saveDraft.flush(editor.getCode());
  // Leaving the page (another framework or question) keeps the draft.
  document.querySelectorAll("[data-framework-link], [data-question-tab]").forEach((link) => {
    link.addEventListener("click", flush);
  });
  window.addEventListener("pagehide", flush);

  resumePending(results, root.dataset.eventsUrl, root.dataset.panelUrl);

  return {
    editor,
    flush,
    setClosed() {
      closed = true;
      flush();
      editor.setReadOnly(true);
      buttons.forEach((b) => (b.disabled = true));
      if (resetButton) resetButton.hidden = true;
    },
  };
}
