/* The survey answer page, improved when JavaScript runs (it works without).
 *
 * 1. Conditional questions: a question marked data-show-if="q-<key>" with
 *    data-show-values='["yes", ...]' is shown only while that question's answer
 *    is one of those values. Hidden questions' controls are disabled, so they
 *    send nothing (the server drops such answers anyway); what was typed in
 *    them comes back if the question shows again. Without JavaScript every
 *    question shows, each conditional one with a note saying when to answer it.
 * 2. The error summary takes the focus when the page comes back with errors,
 *    and its links move the focus to the question they name.
 */
(function () {
  "use strict";

  var form = document.querySelector("[data-survey-form]");
  if (!form) {
    return;
  }

  function isHidden(element) {
    return Boolean(element.closest("[hidden]"));
  }

  // The values given to the question whose controls are named `name` (none
  // when that question is itself hidden: hiding a question hides its dependents).
  function valuesOf(name) {
    var values = [];
    var controls = form.elements.namedItem(name);
    if (!controls) {
      return values;
    }
    var list = controls.length !== undefined && !controls.options ? controls : [controls];
    Array.prototype.forEach.call(list, function (control) {
      if (control.disabled || isHidden(control)) {
        return;
      }
      if (control.type === "radio" || control.type === "checkbox") {
        if (control.checked) {
          values.push(control.value);
        }
      } else if (control.value !== "") {
        values.push(control.value);
      }
    });
    return values;
  }

  var dependents = Array.prototype.slice.call(form.querySelectorAll("[data-show-if]"));

  function update() {
    // In page order: a question's own condition is settled before its dependents'.
    dependents.forEach(function (block) {
      var wanted;
      try {
        wanted = JSON.parse(block.getAttribute("data-show-values") || "[]");
      } catch (error) {
        wanted = [];
      }
      var given = valuesOf(block.getAttribute("data-show-if"));
      var shown = given.some(function (value) {
        return wanted.indexOf(value) !== -1;
      });
      block.hidden = !shown;
      Array.prototype.forEach.call(
        block.querySelectorAll("input, select, textarea"),
        function (control) {
          control.disabled = !shown;
        }
      );
    });
  }

  if (dependents.length) {
    form.addEventListener("change", update);
    update();
  }

  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) {
        return;
      }
      var target = document.getElementById(link.getAttribute("href").slice(1));
      if (!target) {
        return;
      }
      event.preventDefault();
      var block = target.closest(".rt-sv-question");
      if (block) {
        block.scrollIntoView();
      }
      target.focus({ preventScroll: true });
    });
  }
})();
