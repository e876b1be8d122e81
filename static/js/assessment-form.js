/* The follow-up page's one form for every goal (followup/_save_all_open.html), made nicer when
 * JavaScript runs; without it the form works as it is (every field shown, one save).
 *
 * - A draft in this browser's localStorage while writing: only the fields changed from what the
 *   server sent, each with the value it was changed from, so a draft never overwrites an
 *   assessment someone saved since. Restored on the next visit, with a notice and a button to
 *   discard it; removed when the form is submitted or a goal is saved in place.
 * - A warning before leaving the page with text that is not saved (beforeunload).
 * - "Motivering av avvikelse" shown only when the chosen assessment departs from the suggestion
 *   (or already holds text or an error); the server still requires it then.
 */
(function () {
  "use strict";
  var form = document.getElementById("bedomningar");
  if (!form) return;
  var key = "styrkort-utkast:" + form.dataset.draftKey;
  var WEEK = 7 * 24 * 3600 * 1000;

  function fields() {
    return form.querySelectorAll(".goal-form textarea, .goal-form input[type=radio]");
  }
  function changed(el) {
    return el.type === "radio" ? el.checked !== el.defaultChecked : el.value !== el.defaultValue;
  }
  function isDirty() {
    return Array.prototype.some.call(fields(), changed);
  }
  function base(el) {  // what the server sent for this field
    if (el.type !== "radio") return el.defaultValue;
    var group = form.querySelectorAll('input[type=radio][name="' + el.name + '"]');
    for (var i = 0; i < group.length; i++) if (group[i].defaultChecked) return group[i].value;
    return "";
  }
  function saveDraft() {
    var values = {};
    Array.prototype.forEach.call(fields(), function (el) {
      if (changed(el) && (el.type !== "radio" || el.checked)) values[el.name] = [base(el), el.value];
    });
    try {
      if (Object.keys(values).length) localStorage.setItem(key, JSON.stringify({ at: Date.now(), values: values }));
      else localStorage.removeItem(key);
    } catch (e) { /* storage full or refused: the form still works */ }
  }
  function restoreDraft() {
    var draft = null;
    try { draft = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { return; }
    if (!draft || !draft.values || Date.now() - draft.at > WEEK) return;
    var restored = 0;
    Object.keys(draft.values).forEach(function (name) {
      var from = draft.values[name][0], value = draft.values[name][1];
      var els = form.querySelectorAll('[name="' + name.replace(/"/g, "") + '"]');
      Array.prototype.forEach.call(els, function (el) {
        if (base(el) !== from) return;  // saved again since: the saved text wins
        if (el.type === "radio") { if (el.value === value && !el.checked) { el.checked = true; restored++; } }
        else if (el.tagName === "TEXTAREA" && el.value !== value) { el.value = value; restored++; }
      });
    });
    if (restored) notice();
  }
  function notice() {
    var p = document.createElement("p");
    p.className = "message draft-notice";
    p.setAttribute("role", "status");
    p.textContent = form.dataset.draftRestored + " ";
    var discard = document.createElement("button");
    discard.type = "button";
    discard.className = "button secondary";
    discard.textContent = form.dataset.draftDiscard;
    discard.addEventListener("click", function () {
      try { localStorage.removeItem(key); } catch (e) { /* nothing kept */ }
      Array.prototype.forEach.call(fields(), function (el) {
        if (el.type === "radio") el.checked = el.defaultChecked; else el.value = el.defaultValue;
      });
      updateDeviations();
      p.remove();
    });
    p.appendChild(discard);
    form.insertBefore(p, form.querySelector(".perspectives"));
  }
  function updateDeviations() {
    Array.prototype.forEach.call(form.querySelectorAll(".goal-form[data-suggested]"), function (goal) {
      var field = goal.querySelector(".deviation-field");
      if (!field) return;
      var suggested = goal.dataset.suggested;
      var chosen = goal.querySelector("input[type=radio]:checked");
      var text = field.querySelector("textarea");
      var needed = suggested !== "not_assessed" && chosen && chosen.value !== suggested;
      field.hidden = !(needed || (text && text.value.trim()) || field.classList.contains("field-error"));
    });
  }

  restoreDraft();
  updateDeviations();
  form.addEventListener("input", saveDraft);
  form.addEventListener("change", function () { updateDeviations(); saveDraft(); });
  form.addEventListener("submit", function () {
    try { localStorage.removeItem(key); } catch (e) { /* nothing kept */ }
    window.removeEventListener("beforeunload", warn);
  });
  // A goal saved in place (htmx): its fields are the server's again; keep the rest of the draft.
  document.body.addEventListener("htmx:afterSettle", function () { updateDeviations(); saveDraft(); });
  function warn(event) {
    if (!isDirty()) return;
    event.preventDefault();
    event.returnValue = "";  // older browsers need a value to show their own warning
  }
  window.addEventListener("beforeunload", warn);
})();
