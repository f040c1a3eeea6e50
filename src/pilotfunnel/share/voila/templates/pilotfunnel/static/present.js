// Present mode's behaviour in the page: names and test hooks the widgets cannot carry
// themselves, keyboard steps through the story, and a clear message if the kernel dies.
(function () {
  "use strict";

  // Widgets can carry classes but not attributes: a class pf-testid-NAME becomes
  // data-testid="NAME". ipywidgets draws a slider's handle as role="slider" with no
  // accessible name, so each handle is named after its widget's visible label.
  function decorate() {
    document.querySelectorAll("[class*='pf-testid-']").forEach(function (element) {
      element.classList.forEach(function (name) {
        if (name.indexOf("pf-testid-") === 0) {
          element.setAttribute("data-testid", name.slice("pf-testid-".length));
        }
      });
    });
    document.querySelectorAll('.noUi-handle[role="slider"]').forEach(function (handle) {
      var widget = handle.closest(".widget-slider, .jupyter-widget-slider, .widget-inline-hbox");
      var label = widget && widget.querySelector("label");
      var name = label && label.textContent.trim();
      if (name && handle.getAttribute("aria-label") !== name) {
        handle.setAttribute("aria-label", name);
      }
    });
    // The story scrolls when a step is long; with the step buttons on their own row it may
    // hold nothing focusable, so it takes the focus itself for the keyboard to scroll it.
    document.querySelectorAll(".pf-story").forEach(function (story) {
      if (story.getAttribute("tabindex") !== "0") {
        story.setAttribute("tabindex", "0");
        story.setAttribute("role", "region");
        story.setAttribute("aria-label", document.body.dataset.stepsLabel || "");
      }
    });
    document.querySelectorAll(".pf-step-nav").forEach(function (nav) {
      nav.setAttribute("role", "group");
      nav.setAttribute("aria-label", document.body.dataset.stepsLabel || "");
    });
  }
  new MutationObserver(decorate).observe(document.body, { childList: true, subtree: true });
  decorate();

  // Presenters step with Page Up/Down (what a clicker sends), or with the arrow keys when
  // the focus is not on a control that uses them itself.
  function inControl(element) {
    return !!(element && element.closest &&
      element.closest("input, textarea, select, [role='slider'], .widget-dropdown, .noUi-target"));
  }
  function step(by) {
    var buttons = Array.prototype.slice.call(
      document.querySelectorAll(".pf-step-nav button"));
    if (!buttons.length) { return; }
    var current = buttons.findIndex(function (b) { return b.classList.contains("mod-active"); });
    var next = Math.max(0, Math.min(buttons.length - 1, current + by));
    if (next !== current) {
      buttons[next].click();
      buttons[next].focus();
    }
  }
  // Escape closes the inputs drawer, wherever the focus is inside it, and gives the focus
  // back to the button that opened it.
  function drawerOpen() {
    var drawer = document.querySelector(".pf-drawer");
    return !!(drawer && drawer.offsetParent !== null);
  }
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !drawerOpen()) { return; }
    var toggle = document.querySelector("button.pf-inputs-toggle");
    if (!toggle) { return; }
    event.preventDefault();
    if (toggle.classList.contains("mod-active")) { toggle.click(); }
    toggle.focus();
  }, true);  // capturing: a text box's own handler stops its keys from bubbling
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    var forward = event.key === "PageDown" ||
      (event.key === "ArrowRight" && !inControl(event.target));
    var back = event.key === "PageUp" ||
      (event.key === "ArrowLeft" && !inControl(event.target));
    if (forward || back) {
      event.preventDefault();
      step(forward ? 1 : -1);
    }
  });

  // The heartbeat: every few seconds the page writes a number into a hidden widget and the
  // kernel echoes it back. No echo within the wait while the kernel is not busy (an export
  // keeps it busy for a while) means the kernel is gone, and the page says so in words
  // instead of showing numbers that no longer move.
  var beat = 0;
  var WAIT_MS = 8000;
  function kernelUrl() {
    var config = document.getElementById("jupyter-config-data");
    if (!config) { return null; }
    var data = JSON.parse(config.textContent);
    return data.kernelId ? (data.baseUrl || "/") + "api/kernels/" + data.kernelId : null;
  }
  function kernelLost() {
    var message = document.getElementById("pf-kernel-lost");
    var content = document.getElementById("rendered_cells");
    if (message && message.hidden) {
      message.hidden = false;
      if (content) { content.setAttribute("aria-hidden", "true"); content.classList.add("pf-stale"); }
      var button = message.querySelector("button");
      if (button) { button.focus(); }
    }
  }
  function busy() {
    var url = kernelUrl();
    if (!url) { return Promise.resolve(false); }
    return fetch(url, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (response.status === 404) { return false; }
        return response.json().then(function (model) { return model.execution_state === "busy"; });
      })
      .catch(function () { return false; });
  }
  function heartbeat() {
    var input = document.querySelector(".pf-heartbeat input");
    var echo = document.querySelector(".pf-heartbeat-echo .widget-html-content");
    if (!input || !echo) { setTimeout(heartbeat, 2000); return; }
    beat += 1;
    var sent = String(beat);
    input.value = sent;
    input.dispatchEvent(new Event("change", { bubbles: true }));
    input.dispatchEvent(new Event("blur"));
    setTimeout(function () {
      if (echo.textContent.trim() === sent) { setTimeout(heartbeat, 3000); return; }
      busy().then(function (isBusy) {
        if (isBusy) { setTimeout(heartbeat, 3000); } else { kernelLost(); }
      });
    }, WAIT_MS);
  }
  window.addEventListener("load", function () { setTimeout(heartbeat, 3000); });
})();
