// Keyboard shortcuts for the coding screen (no inline script: the CSP forbids it).
// 1-9 confirm the numbered suggestion, Shift+1-9 reject it, x rejects the first open suggestion,
// c marks the coding complete, n goes to the next uncoded point.
(function () {
  "use strict";
  var root = document.querySelector("[data-coding-screen]");
  if (!root) {
    return;
  }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) {
      return;
    }
    var target = event.target;
    if (target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" ||
        target.tagName === "SELECT" || target.isContentEditable)) {
      return;
    }
    var element = null;
    var digit = /^Digit([1-9])$/.exec(event.code || "");
    if (digit && event.shiftKey) {
      element = root.querySelector('[data-shortcut-reject="' + digit[1] + '"]');
    } else if (digit) {
      element = root.querySelector('[data-shortcut-confirm="' + digit[1] + '"]');
    } else if (event.key === "x") {
      element = root.querySelector("[data-shortcut-reject]");
    } else if (event.key === "c") {
      element = root.querySelector("[data-shortcut-complete]");
    } else if (event.key === "n") {
      element = root.querySelector("[data-shortcut-next]");
    }
    if (element) {
      event.preventDefault();
      element.click();
    }
  });
})();
