// Concept cards: math rendering, and keys 1-4 for the rating buttons.
import { renderMath } from "dojo/vendor/math";

renderMath(document);

const rateForm = document.querySelector("[data-rate-form]");
if (rateForm) {
  const buttons = rateForm.querySelectorAll("button[data-rating]");
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.target.closest("input, textarea, select")) return;
    const index = Number(event.key) - 1;
    if (index >= 0 && index < buttons.length) {
      event.preventDefault();
      buttons[index].click();
    }
  });
}

const answerForm = document.querySelector("[data-answer-form]");
if (answerForm) {
  // Ctrl/Cmd+Enter reveals from inside the answer box.
  answerForm.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      answerForm.requestSubmit();
    }
  });
}
