/* After an HTMX save the keyboard stays where it was. htmx itself puts focus back on an element
 * with the same id after the swap, but a button it disables while the request runs
 * (hx-disabled-elt) has already lost its focus to <body> by then: pressing Space on
 * "Spara alla värden" left the keyboard at the top of the page. Remember the focused element's
 * id when the request starts, and if focus ended on <body>, put it back on the new element. */
(function () {
  "use strict";
  var lastId = null;
  document.addEventListener("htmx:configRequest", function () {
    var el = document.activeElement;
    lastId = el && el.id ? el.id : null;
  });
  document.addEventListener("htmx:afterSettle", function () {
    var id = lastId, active = document.activeElement;
    lastId = null;
    if (!id || (active && active !== document.body)) return;  // htmx or autofocus placed it
    var again = document.getElementById(id);
    if (again) again.focus();
  });
})();
