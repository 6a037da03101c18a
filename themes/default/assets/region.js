// Region fields: an <input data-region="/regions.json"> holding a path such
// as "山东省/青岛市/胶州市" becomes up to three selects (province → city →
// district) that load each level from the endpoint and write the path back
// into the input, which stays the submitted value (hidden). Names are the
// Chinese ones when data-region-lang (else the page's lang) starts with
// "zh", else the pinyin ones; a
// stored value in either is recognised. Without this script the input is a
// plain text field, checked by the server all the same.
(function () {
  'use strict';
  var cache = {};
  function load(src, parent) {
    var key = src + '|' + parent;
    if (!cache[key]) {
      cache[key] = fetch(src + (parent ? '?parent=' + encodeURIComponent(parent) : ''), {
        credentials: 'same-origin', headers: { Accept: 'application/json' }
      }).then(function (r) {
        if (!r.ok) throw new Error('regions: ' + r.status);
        return r.json();
      }).then(function (j) { return j.items || []; });
    }
    return cache[key];
  }
  function enhance(input) {
    var src = input.getAttribute('data-region');
    var pick = input.getAttribute('data-region-lang') || document.documentElement.lang || 'zh';
    var lang = pick.slice(0, 2) === 'zh' ? 'zh' : 'en';
    var labels = (input.getAttribute('data-region-labels') || '||').split('|');
    var wanted = input.value ? input.value.split('/') : [];
    var box = document.createElement('span');
    box.className = 'region-selects';
    var selects = [];
    var items = [];
    function write() {
      var names = [];
      for (var i = 0; i < selects.length; i++) {
        var s = selects[i];
        if (s.hidden || !s.value) break;
        names.push(s.value);
      }
      input.value = names.join('/');
      input.dispatchEvent(new Event('change', { bubbles: true }));
    }
    function fill(level, parent, want) {
      for (var i = level; i < 3; i++) {
        selects[i].hidden = true;
        selects[i].textContent = '';
      }
      if (level >= 3) return Promise.resolve();
      return load(src, parent).then(function (list) {
        var s = selects[level];
        items[level] = list;
        if (!list.length) return;
        var blank = document.createElement('option');
        blank.value = '';
        blank.textContent = '—';
        s.appendChild(blank);
        var chosen = null;
        list.forEach(function (it) {
          var o = document.createElement('option');
          o.value = it[lang];
          o.textContent = it[lang];
          if (want && (want === it.zh || want.toLowerCase() === it.en.toLowerCase())) {
            o.selected = true;
            chosen = it;
          }
          s.appendChild(o);
        });
        s.hidden = false;
        if (chosen && chosen.more) return fill(level + 1, chosen.code, wanted[level + 1]);
      });
    }
    for (var i = 0; i < 3; i++) {
      var s = document.createElement('select');
      s.hidden = true;
      s.setAttribute('aria-label', labels[i] || '');
      s.setAttribute('data-region-level', String(i));
      (function (level, sel) {
        sel.addEventListener('change', function () {
          var it = (items[level] || []).filter(function (x) { return x[lang] === sel.value; })[0];
          wanted = [];
          var next = it && it.more ? fill(level + 1, it.code, null) : fill(level + 1, null, null);
          write();
          next.then(write);
        });
      })(i, s);
      selects.push(s);
      box.appendChild(s);
    }
    fill(0, '', wanted[0]).then(function () {
      input.type = 'hidden';
      input.parentNode.insertBefore(box, input.nextSibling);
      var label = input.id && document.querySelector('label[for="' + input.id + '"]');
      if (label) label.setAttribute('for', selects[0].id = input.id + '-province');
      input.setAttribute('data-region-ready', '1');
    }, function () { /* the endpoint failed: keep the text input */ });
  }
  document.querySelectorAll('input[data-region]').forEach(enhance);
})();
