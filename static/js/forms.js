// Progressive enhancements only: every form works without this file.
(function () {
  "use strict";

  // File inputs say at once when a file is too large, of the wrong type or one too many, so a
  // phone on a slow connection does not upload 50 MB only to hear it back from the server (which
  // checks again, by content). The messages come translated in data- attributes.
  function fileProblem(input) {
    var files = input.files || [];
    var max = parseInt(input.dataset.maxFiles, 10);
    var bytes = parseInt(input.dataset.maxBytes, 10);
    var types = (input.dataset.types || "").split(" ");
    if (max && files.length > max) { return input.dataset.tooMany; }
    for (var i = 0; i < files.length; i++) {
      var f = files[i];
      if (bytes && f.size > bytes) { return input.dataset.tooLarge.replace("{name}", f.name); }
      if (f.type && types.indexOf(f.type) < 0) {
        return input.dataset.wrongType.replace("{name}", f.name);
      }
    }
    return "";
  }

  function showFileProblem(input) {
    var id = input.id + "-check";
    var note = document.getElementById(id);
    var problem = fileProblem(input);
    var described = (input.getAttribute("aria-describedby") || "").split(" ").filter(function (x) {
      return x && x !== id;
    });
    if (problem) {
      if (!note) {
        note = document.createElement("span");
        note.className = "error";
        note.id = id;
        note.setAttribute("role", "alert");
        input.parentNode.insertBefore(note, input);
      }
      note.textContent = problem;
      described.push(id);
      input.closest(".field").classList.add("has-error");
      input.setAttribute("aria-invalid", "true");
    } else if (note) {
      note.parentNode.removeChild(note);
      if (!input.parentNode.querySelector(".error")) {
        input.closest(".field").classList.remove("has-error");
        input.setAttribute("aria-invalid", "false");
      }
    }
    if (described.length) {
      input.setAttribute("aria-describedby", described.join(" "));
    } else {
      input.removeAttribute("aria-describedby");
    }
    return problem;
  }

  document.querySelectorAll("input[type=file][data-max-bytes]").forEach(function (input) {
    input.addEventListener("change", function () { showFileProblem(input); });
    if (input.form) {
      input.form.addEventListener("submit", function (event) {
        if (showFileProblem(input)) {
          event.preventDefault();
          input.focus();
        }
      });
    }
  });

  // Disable a form's submit button once it is sent, so a double click sends once.
  document.querySelectorAll("form[data-once]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (event.defaultPrevented) { return; }
      form.querySelectorAll("button[type=submit]").forEach(function (b) {
        window.setTimeout(function () { b.disabled = true; }, 0);
      });
    });
  });

  // "Use my current location" fills latitude and longitude (and moves the map's pin) when the
  // browser allows it, and says so beside the button when it does not.
  document.querySelectorAll("[data-locate]").forEach(function (button) {
    if (!navigator.geolocation) { button.hidden = true; return; }
    button.hidden = false;
    var status = document.getElementById(button.dataset.status);
    function say(text, problem) {
      if (!status) { return; }
      status.textContent = text || "";
      status.className = problem ? "error" : "hint";
    }
    button.addEventListener("click", function () {
      say(button.dataset.finding, false);
      navigator.geolocation.getCurrentPosition(function (pos) {
        ["lat", "lng"].forEach(function (id, i) {
          var input = document.getElementById(id);
          input.value = (i ? pos.coords.longitude : pos.coords.latitude).toFixed(6);
          input.dispatchEvent(new Event("change"));
        });
        say(button.dataset.found, false);
      }, function (error) {
        say(error.code === 1 ? button.dataset.denied : button.dataset.unavailable, true);
      }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
    });
  });

  // Print buttons.
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
