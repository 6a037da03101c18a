/* The default theme's image viewer and product tabs. Without this script
 * a gallery is a grid of plain links to the full images and a product's
 * extra sections are headings with their text, one after the other. With
 * it:
 *  - a gallery link opens a modal viewer (<dialog>) on that image, with
 *    previous/next buttons, the caption and "n of m"; ArrowLeft and
 *    ArrowRight (also Home/End) move, Escape closes and gives focus back to
 *    the link that opened it; a horizontal swipe moves on touch screens;
 *  - [data-tabs] sections become tabs (role tablist/tab/tabpanel): the
 *    first is shown, a click or Enter shows another, ArrowLeft/ArrowRight
 *    move between tabs.
 * No inline styles or scripts (the site's CSP forbids them): state is the
 * hidden attribute, classes and ARIA attributes only. */
(function () {
  'use strict';
  if (!document.querySelectorAll) return;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }

  /* ---- the viewer ---- */
  function viewer(gallery) {
    var links = Array.prototype.slice.call(gallery.querySelectorAll('.gallery-link'));
    if (!links.length || typeof HTMLDialogElement !== 'function') return;
    var label = gallery.getAttribute('data-label') || 'Image viewer';
    var of = gallery.getAttribute('data-of') || 'of';
    var dlg = el('dialog', 'viewer');
    dlg.setAttribute('aria-label', label);
    var fig = el('figure', 'viewer-figure');
    var img = el('img', 'viewer-image');
    var cap = el('figcaption', 'viewer-caption');
    var count = el('p', 'viewer-count');
    count.setAttribute('aria-live', 'polite');
    var prev = el('button', 'viewer-prev', '\u2039');
    var next = el('button', 'viewer-next', '\u203A');
    var close = el('button', 'viewer-close', '\u00D7');
    [[prev, 'data-prev', 'Previous'], [next, 'data-next', 'Next'], [close, 'data-close', 'Close']]
      .forEach(function (b) {
        b[0].type = 'button';
        b[0].setAttribute('aria-label', gallery.getAttribute(b[1]) || b[2]);
      });
    fig.appendChild(img);
    fig.appendChild(cap);
    dlg.appendChild(close);
    dlg.appendChild(prev);
    dlg.appendChild(fig);
    dlg.appendChild(next);
    dlg.appendChild(count);
    document.body.appendChild(dlg);
    var index = 0, opener = null;

    function show(i) {
      index = (i + links.length) % links.length;
      var a = links[index], thumb = a.querySelector('img');
      img.src = a.getAttribute('href');
      img.alt = thumb ? thumb.getAttribute('alt') || '' : '';
      cap.textContent = a.getAttribute('data-caption') || '';
      cap.hidden = !cap.textContent;
      count.textContent = (index + 1) + ' ' + of + ' ' + links.length;
      prev.hidden = next.hidden = links.length < 2;
    }
    function open(i, from) {
      opener = from || links[i];
      show(i);
      dlg.showModal();
      close.focus();
    }
    links.forEach(function (a, i) {
      a.addEventListener('click', function (ev) {
        if (ev.button !== 0 || ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.altKey) return;
        ev.preventDefault();
        open(i, a);
      });
    });
    prev.addEventListener('click', function () { show(index - 1); });
    next.addEventListener('click', function () { show(index + 1); });
    close.addEventListener('click', function () { dlg.close(); });
    dlg.addEventListener('close', function () {
      img.removeAttribute('src');
      if (opener) opener.focus();
    });
    /* a click on the backdrop (the dialog box itself, not its contents) */
    dlg.addEventListener('click', function (ev) { if (ev.target === dlg) dlg.close(); });
    dlg.addEventListener('keydown', function (ev) {
      var k = ev.key;
      if (k === 'ArrowLeft' || k === 'Left') show(index - 1);
      else if (k === 'ArrowRight' || k === 'Right') show(index + 1);
      else if (k === 'Home') show(0);
      else if (k === 'End') show(links.length - 1);
      else return; /* Escape: the dialog's own cancel closes it */
      ev.preventDefault();
    });
    var x0 = null, y0 = null;
    dlg.addEventListener('touchstart', function (ev) {
      if (ev.touches.length !== 1) { x0 = null; return; }
      x0 = ev.touches[0].clientX;
      y0 = ev.touches[0].clientY;
    }, { passive: true });
    dlg.addEventListener('touchend', function (ev) {
      if (x0 === null || !ev.changedTouches.length) return;
      var dx = ev.changedTouches[0].clientX - x0, dy = ev.changedTouches[0].clientY - y0;
      x0 = null;
      if (Math.abs(dx) > 40 && Math.abs(dx) > 1.5 * Math.abs(dy)) show(index + (dx < 0 ? 1 : -1));
    });
  }

  /* ---- tabs ---- */
  var tabsSeen = 0;
  function tabs(box) {
    var panels = Array.prototype.filter.call(box.children, function (c) {
      return c.classList.contains('tab-panel');
    });
    if (panels.length < 2) return;
    var n = ++tabsSeen;
    var list = el('div', 'tab-list');
    list.setAttribute('role', 'tablist');
    list.setAttribute('aria-label', box.getAttribute('data-label') || '');
    var buttons = panels.map(function (panel, i) {
      var h = panel.querySelector('.tab-title');
      var b = el('button', 'tab', h ? h.textContent : String(i + 1));
      b.type = 'button';
      b.id = 'tabs' + n + '-' + i;
      b.setAttribute('role', 'tab');
      b.setAttribute('aria-controls', panel.id);
      panel.setAttribute('role', 'tabpanel');
      panel.setAttribute('aria-labelledby', b.id);
      panel.setAttribute('tabindex', '0');
      if (h) h.classList.add('visually-hidden');
      list.appendChild(b);
      return b;
    });
    function select(i, focus) {
      buttons.forEach(function (b, j) {
        b.setAttribute('aria-selected', String(i === j));
        b.tabIndex = i === j ? 0 : -1;
        panels[j].hidden = i !== j;
      });
      if (focus) buttons[i].focus();
    }
    buttons.forEach(function (b, i) {
      b.addEventListener('click', function () { select(i, false); });
      b.addEventListener('keydown', function (ev) {
        var k = ev.key, to = -1;
        if (k === 'ArrowRight' || k === 'Right') to = (i + 1) % buttons.length;
        else if (k === 'ArrowLeft' || k === 'Left') to = (i - 1 + buttons.length) % buttons.length;
        else if (k === 'Home') to = 0;
        else if (k === 'End') to = buttons.length - 1;
        if (to < 0) return;
        ev.preventDefault();
        select(to, true);
      });
    });
    box.insertBefore(list, box.firstChild);
    box.classList.add('is-tabbed');
    select(0, false);
  }

  Array.prototype.forEach.call(document.querySelectorAll('[data-gallery]'), viewer);
  Array.prototype.forEach.call(document.querySelectorAll('[data-tabs]'), tabs);
})();
