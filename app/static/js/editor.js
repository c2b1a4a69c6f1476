// CodeMirror 6 on top of a <textarea>: the textarea stays in the form (kept in sync), so the
// page still submits without scripts and the editor is purely an enhancement.
import {
  EditorState,
  EditorView,
  Compartment,
  Prec,
  keymap,
  basicSetup,
  python,
  oneDark,
} from "dojo/vendor/codemirror";

const lightTheme = EditorView.theme({
  "&": { backgroundColor: "var(--surface)", color: "var(--text)" },
  ".cm-gutters": { backgroundColor: "var(--surface-2)", color: "var(--faint)", borderRight: "1px solid var(--border)" },
  ".cm-activeLine": { backgroundColor: "color-mix(in srgb, var(--accent) 6%, transparent)" },
  ".cm-activeLineGutter": { backgroundColor: "color-mix(in srgb, var(--accent) 10%, transparent)" },
});

// One Dark's syntax colours on the page's darker surface: on One Dark's own background its red
// and purple tokens and its comments fall under 4.5:1; on this one each is 4.5:1 or more,
// on the active line too.
const darkSurface = EditorView.theme(
  {
    "&": { backgroundColor: "var(--surface)" },
    ".cm-gutters": { backgroundColor: "var(--surface-2)", color: "var(--faint)", borderRight: "1px solid var(--border)" },
    ".cm-activeLine": { backgroundColor: "#1b1f27" },
    ".cm-activeLineGutter": { backgroundColor: "var(--surface-3)", color: "var(--text)" },
  },
  { dark: true },
);

function themeFor(name) {
  return name === "dark" ? [oneDark, Prec.high(darkSurface)] : lightTheme;
}

// The editable element's name, and the help text under the editor (how to leave it by
// keyboard) as its description.
function contentAttributes(textarea) {
  const label = textarea.labels && textarea.labels.length ? textarea.labels[0].textContent.trim() : "";
  // tabindex: read-only code (not contenteditable) can still be focused and scrolled by keys.
  const attributes = { "aria-label": textarea.getAttribute("aria-label") || label || "Code editor", tabindex: "0" };
  const help = textarea.getAttribute("aria-describedby");
  if (help) attributes["aria-describedby"] = help;
  return attributes;
}

export function isMac() {
  return /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
}

/**
 * Replace `textarea` with an editor. Options: onRun, onSubmit (keyboard shortcuts),
 * onChange(code), readOnly. Returns { view, getCode, setCode, setReadOnly, setExtensions, focus }.
 */
export function mountEditor(textarea, options = {}) {
  const theme = new Compartment();
  const editable = new Compartment();
  const added = new Compartment(); // extensions attached later (the shared-editing binding)
  const shortcuts = [];
  if (options.onSubmit) {
    shortcuts.push({ key: "Shift-Mod-Enter", preventDefault: true, run: () => (options.onSubmit(), true) });
  }
  if (options.onRun) {
    shortcuts.push({ key: "Mod-Enter", preventDefault: true, run: () => (options.onRun(), true) });
  }
  const extensions = [
    Prec.highest(keymap.of(shortcuts)),
    basicSetup,
    python(),
    theme.of(themeFor(window.dojoTheme ? window.dojoTheme() : "light")),
    editable.of([EditorState.readOnly.of(!!options.readOnly), EditorView.editable.of(!options.readOnly)]),
    EditorView.contentAttributes.of(contentAttributes(textarea)),
    added.of([]),
    EditorView.updateListener.of((update) => {
      if (!update.docChanged) return;
      const code = update.state.doc.toString();
      textarea.value = code;
      if (options.onChange) options.onChange(code);
    }),
  ];
  // The editor builds its styles in a <style> element: the page's CSP admits it by nonce.
  const nonce = document.querySelector('meta[name="csp-nonce"]');
  if (nonce && nonce.content) extensions.push(EditorView.cspNonce.of(nonce.content));
  const view = new EditorView({
    state: EditorState.create({ doc: textarea.value, extensions }),
  });
  textarea.insertAdjacentElement("afterend", view.dom);
  textarea.hidden = true;
  textarea.setAttribute("data-enhanced", "");

  document.addEventListener("dojo:theme", (event) => {
    view.dispatch({ effects: theme.reconfigure(themeFor(event.detail)) });
  });

  return {
    view,
    getCode: () => view.state.doc.toString(),
    setCode(code) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: code } });
    },
    setReadOnly(readOnly) {
      view.dispatch({
        effects: editable.reconfigure([EditorState.readOnly.of(readOnly), EditorView.editable.of(!readOnly)]),
      });
    },
    setExtensions(extensions) {
      view.dispatch({ effects: added.reconfigure(extensions) });
    },
    focus: () => view.focus(),
  };
}

/** Ctrl/Cmd+Enter and Ctrl/Cmd+Shift+Enter anywhere on the page (outside the editor too). */
export function bindPageShortcuts({ onRun, onSubmit }) {
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey) || event.defaultPrevented) return;
    if (event.target && event.target.closest && event.target.closest(".cm-editor")) return;
    event.preventDefault();
    if (event.shiftKey) onSubmit && onSubmit();
    else onRun && onRun();
  });
}
