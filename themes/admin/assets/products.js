// The entry editor's image list (products and galleries). Without this
// script the rows are plain inputs: an address (a /media/ path from the
// media library, or an http(s) URL) and a caption per image, saved in
// document order; clearing an address removes its image. With it each row
// gets "Choose from the media library" (the library opens in its own
// window; its Insert button sends the file back), up, down and remove
// buttons, and "Add an image" appends a row.
(function () {
  'use strict';
  var box = document.querySelector('[data-pr-images]');
  if (!box) return;
  var list = box.querySelector('.pr-image-list');
  var target = null;

  function button(label, cls, fn) {
    var b = document.createElement('button');
    b.type = 'button';
    b.className = 'btn-small ' + cls;
    b.textContent = label;
    b.addEventListener('click', fn);
    return b;
  }
  function renumber() {
    Array.prototype.forEach.call(list.children, function (li, i) {
      li.querySelectorAll('label').forEach(function (l) {
        l.textContent = l.textContent.replace(/\s*\d+$/, ' ' + (i + 1));
      });
    });
  }
  function thumbOf(li) {
    var img = li.querySelector('.pr-thumb');
    if (!img) {
      img = document.createElement('img');
      img.className = 'pr-thumb';
      img.alt = '';
      li.insertBefore(img, li.firstChild);
    }
    return img;
  }
  function setRef(li, url) {
    li.querySelector('.pr-image-ref').value = url;
    thumbOf(li).src = url;
    box.closest('form').dispatchEvent(new Event('input', { bubbles: true }));
  }
  function onMessage(e) {
    if (e.origin !== location.origin || !e.data || e.data.type !== 'mh:media-insert') return;
    var f = e.data.file || {};
    var url = f.url || f.src || f.href;
    if (target && typeof url === 'string' && url.charAt(0) === '/') setRef(target, url);
  }
  function enhance(li) {
    var tools = document.createElement('div');
    tools.className = 'pr-tools';
    tools.appendChild(button(box.dataset.choose || 'Choose', 'pr-choose', function () {
      target = li;
      window.open(box.dataset.mediaList, 'mh-media-library', 'width=980,height=720');
    }));
    tools.appendChild(button(box.dataset.up || 'Up', 'pr-up', function () {
      if (li.previousElementSibling) list.insertBefore(li, li.previousElementSibling);
      renumber();
    }));
    tools.appendChild(button(box.dataset.down || 'Down', 'pr-down', function () {
      if (li.nextElementSibling) list.insertBefore(li.nextElementSibling, li);
      renumber();
    }));
    tools.appendChild(button(box.dataset.remove || 'Remove', 'pr-remove', function () {
      li.remove();
      renumber();
      box.closest('form').dispatchEvent(new Event('input', { bubbles: true }));
    }));
    li.appendChild(tools);
  }
  var rows = Array.prototype.slice.call(list.children);
  var blank = rows[rows.length - 1].cloneNode(true);
  rows.forEach(enhance);
  window.addEventListener('message', onMessage);
  var add = button(box.dataset.add || 'Add', 'pr-add', function () {
    var li = blank.cloneNode(true);
    var n = list.children.length + 1;
    li.querySelectorAll('input').forEach(function (i) {
      i.value = '';
      i.id = i.id.replace(/\d+$/, String(n));
    });
    li.querySelectorAll('label').forEach(function (l) {
      l.htmlFor = l.htmlFor.replace(/\d+$/, String(n));
    });
    var img = li.querySelector('.pr-thumb');
    if (img) img.remove();
    list.appendChild(li);
    enhance(li);
    renumber();
    li.querySelector('input').focus();
  });
  box.appendChild(add);
})();
