// Editorial pages: small enhancements only; every form works without it.
(function () {
  'use strict';
  // A slug typed by hand stays; otherwise leave it empty so the server
  // derives it from the title. Warn before leaving an edited entry.
  var form = document.getElementById('entry-form');
  if (!form) return;
  var dirty = false;
  form.addEventListener('input', function () { dirty = true; });
  form.addEventListener('submit', function () { dirty = false; });
  window.addEventListener('beforeunload', function (e) {
    if (dirty) { e.preventDefault(); e.returnValue = ''; }
  });
  // Scheduled needs a time: point at the field when it is empty.
  var status = form.querySelector('select[name=status]');
  var when = form.querySelector('input[name=publish_at]');
  if (status && when) {
    var sync = function () { when.required = status.value === 'scheduled'; };
    status.addEventListener('change', sync);
    sync();
  }
})();
