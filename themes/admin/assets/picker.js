/* "Choose from the media library" for plain inputs that hold a media
 * reference (input[data-media-picker]: banner images, link logos, the
 * file and image fields of the entry editor). The button opens the media
 * library in a window (data-media-kind: "image" or "document" filters it);
 * its "Insert" button posts {type: 'mh:media-insert', file} back
 * (media.js) and the input receives the file's address. Without script
 * the address is typed or pasted. No inline script or style (the CSP). */
(function () {
  'use strict';
  var self = document.currentScript;
  var src = self && self.src ? self.src.replace(/[?#].*$/, '') : '';
  var adminBase = /\/assets\/[^/]*$/.test(src) ? src.replace(/assets\/[^/]*$/, '') : '';
  if (!adminBase) return;
  var zh = /^zh/i.test(document.documentElement.lang || '');
  Array.prototype.forEach.call(document.querySelectorAll('input[data-media-picker]'), function (input) {
    var b = document.createElement('button');
    b.type = 'button';
    b.className = 'btn-small media-pick';
    b.textContent = input.getAttribute('data-pick-label') ||
      (zh ? '\u4ece\u5a92\u4f53\u5e93\u9009\u62e9' : 'Choose from the media library');
    input.insertAdjacentElement('afterend', b);
    b.addEventListener('click', function () {
      var kind = input.getAttribute('data-media-kind') || '';
      var url = adminBase + 'media' + (kind ? '?kind=' + encodeURIComponent(kind) : '');
      var popup = window.open(url, 'mh-media-pick', 'width=980,height=720');
      if (!popup) return;
      function onMessage(e) {
        if (e.origin !== location.origin || !e.data || e.data.type !== 'mh:media-insert' || !e.data.file) return;
        window.removeEventListener('message', onMessage);
        input.value = e.data.file.url || '';
        input.dispatchEvent(new Event('change', { bubbles: true }));
        input.focus();
      }
      window.addEventListener('message', onMessage);
    });
  });
})();
