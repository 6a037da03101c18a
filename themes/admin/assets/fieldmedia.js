// Media pickers for custom fields of kind image and file in the entry
// editor: next to the field's text input (which stays the submitted value,
// checked by the server as before) a preview (the image, or the file's
// name), a "Choose from the media library" button that opens the library
// page in a window of its own, and a "Clear" button. The library's Insert
// buttons post {type: 'mh:media-insert', file: {url, name, mime...}} back
// to this window (media.js); the file lands in the field that opened it.
// CSP-safe: no inline script or style; presentation in editorial.css.
(function () {
  'use strict';
  var active = null; // the field whose library window is open

  function basename(url) {
    var s = String(url || '').split(/[?#]/)[0];
    return s.slice(s.lastIndexOf('/') + 1);
  }

  function enhance(input) {
    var kind = input.getAttribute('data-field-media');
    var src = input.getAttribute('data-field-media-src');
    var labels = (input.getAttribute('data-field-media-labels') || 'Choose|Clear|').split('|');
    var box = document.createElement('div');
    box.className = 'field-media';
    var preview = document.createElement('span');
    preview.className = 'field-media-preview';
    var choose = document.createElement('button');
    choose.type = 'button';
    choose.className = 'btn field-media-choose';
    choose.textContent = labels[0];
    var clear = document.createElement('button');
    clear.type = 'button';
    clear.className = 'btn field-media-clear';
    clear.textContent = labels[1];
    box.appendChild(preview);
    box.appendChild(choose);
    box.appendChild(clear);
    input.insertAdjacentElement('afterend', box);

    function show(name) {
      preview.textContent = '';
      var v = input.value;
      clear.hidden = !v;
      if (!v) {
        preview.appendChild(document.createTextNode(labels[2] || ''));
        preview.classList.add('empty');
        return;
      }
      preview.classList.remove('empty');
      if (kind === 'image') {
        var img = document.createElement('img');
        img.src = v;
        img.alt = '';
        img.className = 'field-media-thumb';
        preview.appendChild(img);
      }
      var n = document.createElement('span');
      n.className = 'field-media-name';
      n.textContent = name || basename(v);
      preview.appendChild(n);
    }
    input.mhFieldMedia = show;
    input.addEventListener('change', function () { show(); });
    choose.addEventListener('click', function () {
      active = input;
      var w = window.open(src, 'mh-media-library', 'width=980,height=720');
      if (w) w.focus();
    });
    clear.addEventListener('click', function () {
      input.value = '';
      show();
      input.focus();
    });
    show();
  }

  window.addEventListener('message', function (e) {
    if (e.origin !== location.origin || !e.data || e.data.type !== 'mh:media-insert' || !active) return;
    var f = e.data.file || {};
    if (!f.url) return;
    active.value = f.url;
    active.mhFieldMedia(f.name);
    active.dispatchEvent(new Event('input', { bubbles: true }));
    active = null;
  });

  document.querySelectorAll('input[data-field-media]').forEach(enhance);
})();
