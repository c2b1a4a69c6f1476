// The question page: the shared workspace with drafts kept in this browser.
import { setupWorkspace } from "dojo/workspace.js";

setupWorkspace();

// An accepted submit unlocks the reference solutions: drop the lock from the tab at once.
document.addEventListener("dojo:verdict", (event) => {
  if (!event.detail.solved) return;
  const tab = document.querySelector("[data-solutions-tab]");
  if (tab) tab.textContent = "Solutions";
});
