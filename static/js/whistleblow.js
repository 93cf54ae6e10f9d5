// The tip pages' enhancements; every page works without this file.
(function () {
  "use strict";

  // "Leave this page quickly": replace this page (it leaves no entry for Back to return to) with
  // a neutral one. The Escape key pressed three times in a row does the same.
  function leave(url) {
    document.body.hidden = true;
    window.location.replace(url);
  }
  var exit = document.querySelector("[data-quick-exit]");
  if (exit) {
    exit.addEventListener("click", function (event) {
      event.preventDefault();
      leave(exit.href);
    });
    var presses = 0, last = 0;
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") { return; }
      var now = Date.now();
      presses = now - last < 1000 ? presses + 1 : 1;
      last = now;
      if (presses >= 3) { leave(exit.href); }
    });
  }

  // Show or hide what is typed in a receipt field.
  document.querySelectorAll("[data-reveal]").forEach(function (button) {
    var input = document.getElementById(button.dataset.reveal);
    if (!input) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var shown = input.type === "text";
      input.type = shown ? "password" : "text";
      button.textContent = shown ? button.dataset.show : button.dataset.hide;
      button.setAttribute("aria-pressed", shown ? "false" : "true");
    });
  });
})();
