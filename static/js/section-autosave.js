// A report section's text is saved while it is written (yearreports/views/sections.py
// _autosave): 2 s after the last keystroke, through the same rule and version guard as the
// "Spara texten" button, which keeps working without this script. A refused save (someone else
// saved first, the section was marked ready) is said in words and the text stays in the field.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch) return;
  var field = form.querySelector("textarea[name=text]");
  var status = form.querySelector("[data-autosave-status]");
  if (!field || !status) return;
  var timer = null;
  var saved = field.value;
  var stopped = false;

  function setVersions(version) {
    // Every form on the page (mark ready, quote) carries the version it acts on.
    document.querySelectorAll("input[name=version]").forEach(function (input) {
      input.value = version;
    });
  }

  function save() {
    if (stopped || field.value === saved) return;
    var text = field.value;
    fetch(form.action || window.location.href, {
      method: "POST",
      body: new FormData(form),
      headers: { "X-Autosave": "1" },
      credentials: "same-origin",
    })
      .then(function (response) {
        return response.json().then(function (data) {
          return { ok: response.ok, data: data };
        });
      })
      .then(function (result) {
        if (result.ok) {
          saved = text;
          setVersions(result.data.version);
          status.textContent = result.data.message;
        } else {
          stopped = result.data && result.data.error ? true : stopped;
          status.textContent = (result.data && result.data.error) || "";
        }
      })
      .catch(function () {
        status.textContent = form.dataset.offline || "";
      });
  }

  field.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(save, 2000);
  });
  form.addEventListener("submit", function () {
    clearTimeout(timer);
  });
})();
