/* masthead admin: suggestions for the editor's comma-separated Tags field.
 * A <datalist> completes the whole value, so while the editor types the
 * options are rewritten as "what is typed before the last comma" + each
 * known tag that starts with (or contains) the last part and is not in the
 * list yet. Without this script the field still works as plain text. */
(function () {
  'use strict';
  var input = document.getElementById('e-tags');
  var list = document.getElementById('e-tag-list');
  if (!input || !list) return;
  var known = Array.prototype.map.call(list.options, function (o) { return o.value; });
  var SEP = /[,;\uFF0C\u3001\uFF1B]/;
  function update() {
    var v = input.value;
    var i = -1;
    for (var k = v.length - 1; k >= 0; k--) if (SEP.test(v.charAt(k))) { i = k; break; }
    var head = i >= 0 ? v.slice(0, i + 1) + ' ' : '';
    var part = v.slice(i + 1).trim().toLowerCase();
    var have = v.split(SEP).map(function (s) { return s.trim(); });
    while (list.firstChild) list.removeChild(list.firstChild);
    known.filter(function (t) {
      return have.indexOf(t) < 0 && (!part || t.toLowerCase().indexOf(part) >= 0);
    }).slice(0, 30).forEach(function (t) {
      var o = document.createElement('option');
      o.value = head.replace(/\s+$/, ' ').replace(/^\s+/, '') + t;
      list.appendChild(o);
    });
  }
  input.addEventListener('input', update);
  input.addEventListener('focus', update);
})();
