// The problem list's filters apply as soon as one changes (the Apply button stays for no-JS).
const form = document.querySelector("[data-filter-form]");
if (form) {
  form.querySelectorAll("select").forEach((select) => {
    select.addEventListener("change", () => form.requestSubmit());
  });
  // Empty fields stay out of the URL so links stay short and shareable.
  form.addEventListener("submit", () => {
    form.querySelectorAll("input, select").forEach((field) => {
      if (!field.value) field.disabled = true;
    });
  });
}
window.addEventListener("pageshow", () => {
  document.querySelectorAll("[data-filter-form] [disabled]").forEach((f) => (f.disabled = false));
});
