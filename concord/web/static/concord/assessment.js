// The assessment screen: one key per answer inside a question (Y, N, D, X), and a count of the
// questions answered. The form works without it; this only saves keystrokes and shows progress.
(function () {
  "use strict";
  var form = document.querySelector("[data-assessment]");
  if (!form) { return; }
  var keys = { y: "yes", n: "no", d: "dont_know", x: "not_answered" };
  var progress = form.querySelector("[data-progress]");
  var groups = Array.prototype.slice.call(form.querySelectorAll("fieldset")).filter(function (set) {
    return set.querySelector("input.answers[type=radio]") !== null;
  });
  function count() {
    var answered = groups.filter(function (set) {
      var checked = set.querySelector("input[type=radio]:checked");
      return checked && checked.value !== "not_answered";
    }).length;
    if (progress) {
      progress.textContent = progress.textContent.replace(/^\d+/, String(answered));
    }
  }
  groups.forEach(function (set) {
    set.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey) { return; }
      var value = keys[event.key.toLowerCase()];
      if (!value) { return; }
      var input = set.querySelector("input[type=radio][value=" + value + "]");
      if (!input) { return; }
      event.preventDefault();
      input.checked = true;
      input.focus();
      input.dispatchEvent(new Event("change", { bubbles: true }));
    });
    set.addEventListener("change", count);
  });
}());
