// A submission's own page: follows it live while it grades, then draws the chart.
import { resumePending } from "dojo/grading.js";
import { initCharts } from "dojo/charts.js";

const box = document.querySelector("[data-submission-page]");
if (box) {
  initCharts(box);
  resumePending(box, box.dataset.eventsUrl, box.dataset.panelUrl);
}
