// Media library enhancements; the pages work without them.
//  - "Copy address" copies a file's URL.
//  - "Insert" hands a file to the editor: it dispatches the DOM event
//    "mh:media-insert" on document with detail {url, srcset, name, mime,
//    width, height} (the same values as the card's data-* attributes), and,
//    when the library was opened from an editor window, posts the same
//    object to that window (same origin only).
//  - Delete forms ask for confirmation (data-confirm).
(function () {
  'use strict';

  function fileOf(el) {
    var card = el.closest('[data-url]');
    if (!card) return null;
    return {
      url: card.dataset.url,
      srcset: card.dataset.srcset || '',
      name: card.dataset.name || '',
      mime: card.dataset.mime || '',
      width: Number(card.dataset.width) || 0,
      height: Number(card.dataset.height) || 0,
    };
  }

  function copy(text, button) {
    var done = function () {
      var label = button.textContent;
      button.textContent = button.dataset.copied || '✓';
      setTimeout(function () { button.textContent = label; }, 1500);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(new URL(text, location.href).href).then(done, function () {});
      return;
    }
    var input = button.parentNode.querySelector('.media-url');
    if (input) {
      input.select();
      try { document.execCommand('copy'); done(); } catch (e) { /* the address stays selected */ }
    }
  }

  document.querySelectorAll('.media-copy').forEach(function (b) {
    b.hidden = false;
    b.addEventListener('click', function () { copy(b.dataset.copy, b); });
  });

  var picker = window.opener && window.opener !== window;
  // Insert only where something receives the file: a window opened by an
  // editor or a field's picker
  document.querySelectorAll('.media-insert').forEach(function (b) {
    b.hidden = !picker;
    b.addEventListener('click', function () {
      var f = fileOf(b);
      if (!f) return;
      document.dispatchEvent(new CustomEvent('mh:media-insert', { detail: f }));
      if (picker) {
        try {
          window.opener.postMessage({ type: 'mh:media-insert', file: f }, location.origin);
          window.close();
        } catch (e) { /* opener gone or cross-origin */ }
      }
    });
  });

  document.querySelectorAll('.media-url').forEach(function (i) {
    i.addEventListener('focus', function () { i.select(); });
  });

  document.querySelectorAll('form[data-confirm]').forEach(function (form) {
    form.addEventListener('submit', function (ev) {
      if (!window.confirm(form.dataset.confirm)) ev.preventDefault();
    });
  });
})();
