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

// Take-home window: shown when the box is ticked; on submit, each local date-time is sent again
// as a UTC instant worked out here, in the interviewer's own time zone (the server reads the
// plain fields as UTC when this did not run).
const takeHome = form && form.querySelector("[data-take-home-toggle]");
if (takeHome) {
  const windowRow = form.querySelector("[data-take-home-window]");
  const moments = windowRow.querySelectorAll("input[type=datetime-local]");
  const showWindow = () => {
    windowRow.hidden = !takeHome.checked;
    moments.forEach((input) => {
      input.required = takeHome.checked;
    });
  };
  takeHome.addEventListener("change", showWindow);
  showWindow();
  form.addEventListener("submit", () => {
    moments.forEach((input) => {
      const utc = form.querySelector(`input[name=${input.name}_utc]`);
      const moment = input.value ? new Date(input.value) : null;
      utc.value = moment && !Number.isNaN(moment.getTime()) ? moment.toISOString() : "";
    });
  });
}
