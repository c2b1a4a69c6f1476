// New session form: hide questions the chosen framework lacks, count the picked ones.
const form = document.querySelector("[data-new-form]");
if (form) {
  const count = form.querySelector("[data-picked-count]");
  const labels = form.querySelectorAll("[data-question-picker] label");
  const update = () => {
    const framework = form.querySelector("input[name=framework]:checked")?.value;
    let picked = 0;
    labels.forEach((label) => {
      const ok = !framework || label.dataset.frameworks.split(",").includes(framework);
      label.hidden = !ok;
      const box = label.querySelector("input");
      if (!ok) box.checked = false;
      if (box.checked) picked += 1;
    });
    count.textContent = picked ? `(${picked} picked)` : "";
  };
  form.addEventListener("change", update);
  update();
}
