/* The default theme's header menu. Without this script the menu still
 * works: top-level links are plain links, the panels of sub-columns open on
 * hover and :focus-within, and a bar too wide for the screen scrolls
 * sideways instead of wrapping (site.css). With it:
 *  - every top-level item with sub-columns gets a toggle button
 *    (aria-expanded) that opens its panel by click, tap, Enter or Space;
 *  - ArrowDown on a top-level item opens its panel and focuses the first
 *    link, ArrowUp/ArrowDown move through the panel's links (second and
 *    third level), ArrowLeft/ArrowRight move between top-level items,
 *    Escape closes the panel and returns focus to its toggle; leaving the
 *    item with Tab or clicking elsewhere closes it;
 *  - on wide screens the items that do not fit on one line move into a
 *    "More" item at the end, recomputed when the window is resized.
 * No inline styles or scripts (the site's CSP forbids them): state is
 * classes and ARIA attributes only. */
(function () {
  'use strict';
  var nav = document.getElementById('nav');
  if (!nav || !nav.querySelector) return;
  var list = nav.querySelector('.nav-list');
  if (!list) return;
  var wide = window.matchMedia('(min-width: 801px)');
  var subLabel = nav.getAttribute('data-submenu') || 'Submenu';
  var moreLabel = nav.getAttribute('data-more') || 'More';
  var count = 0;

  function kids(el, selector) {
    return Array.prototype.filter.call(el.children, function (c) { return c.matches(selector); });
  }
  function toggleOf(li) { return kids(li, '.sub-toggle')[0] || null; }
  function panelOf(li) { return kids(li, 'ul')[0] || null; }
  function topItems() { return kids(list, '.nav-item'); }
  function topItemOf(el) {
    while (el && el !== list) {
      if (el.parentNode === list) return el;
      el = el.parentNode;
    }
    return null;
  }

  function setOpen(li, open) {
    var b = toggleOf(li);
    if (!b) return;
    li.classList.toggle('is-open', open);
    b.setAttribute('aria-expanded', open ? 'true' : 'false');
  }
  function closeAll(except) {
    topItems().forEach(function (li) { if (li !== except) setOpen(li, false); });
  }

  function addToggle(li, name) {
    var panel = panelOf(li);
    if (!panel) return;
    panel.id = panel.id || 'nav-panel-' + (++count);
    var b = document.createElement('button');
    b.type = 'button';
    b.className = 'sub-toggle';
    b.setAttribute('aria-expanded', 'false');
    b.setAttribute('aria-controls', panel.id);
    var t = document.createElement('span');
    t.className = 'visually-hidden';
    t.textContent = subLabel + ': ' + name;
    b.appendChild(t);
    li.insertBefore(b, panel);
  }

  topItems().forEach(function (li) {
    var a = kids(li, 'a')[0];
    if (a && panelOf(li)) addToggle(li, a.textContent);
  });

  // The "More" item: a button (its name) and a panel the overflow moves to.
  var more = document.createElement('li');
  more.className = 'nav-item has-sub nav-more';
  more.hidden = true;
  var moreButton = document.createElement('button');
  moreButton.type = 'button';
  moreButton.className = 'sub-toggle nav-more-button';
  moreButton.textContent = moreLabel;
  moreButton.setAttribute('aria-expanded', 'false');
  var morePanel = document.createElement('ul');
  morePanel.className = 'sub';
  morePanel.id = 'nav-more-panel';
  moreButton.setAttribute('aria-controls', morePanel.id);
  more.appendChild(moreButton);
  more.appendChild(morePanel);
  list.appendChild(more);
  nav.classList.add('nav-js');

  function fits() { return list.scrollWidth <= list.clientWidth + 1; }
  function fit() {
    kids(morePanel, 'li').forEach(function (li) { list.insertBefore(li, more); });
    more.hidden = true;
    setOpen(more, false);
    if (!wide.matches || fits()) return;
    more.hidden = false;
    var items = topItems().filter(function (li) { return li !== more; });
    // keep the first item (home) and the current branch's place in order
    while (!fits() && items.length > 1) {
      var li = items.pop();
      setOpen(li, false);
      morePanel.insertBefore(li, morePanel.firstChild);
    }
  }

  // Links a keyboard reaches inside a top-level item's panel, in order.
  function panelLinks(li) {
    var panel = panelOf(li);
    if (!panel) return [];
    return Array.prototype.filter.call(panel.querySelectorAll('a'), function (a) {
      return a.offsetParent !== null || a.getClientRects().length > 0;
    });
  }
  function firstFocusable(li) { return kids(li, 'a')[0] || toggleOf(li); }

  list.addEventListener('click', function (e) {
    var b = e.target.closest('.sub-toggle');
    if (!b || !list.contains(b)) return;
    var li = b.parentNode;
    if (li.parentNode !== list) return;
    var open = !li.classList.contains('is-open');
    closeAll(li);
    setOpen(li, open);
  });

  nav.addEventListener('keydown', function (e) {
    var li = topItemOf(e.target);
    if (!li) return;
    var inPanel = panelOf(li) && panelOf(li).contains(e.target);
    var items, i;
    switch (e.key) {
      case 'Escape':
        if (li.classList.contains('is-open')) {
          setOpen(li, false);
          (toggleOf(li) || firstFocusable(li)).focus();
          e.preventDefault();
        }
        break;
      case 'ArrowDown':
      case 'ArrowUp':
        if (!toggleOf(li)) return;
        if (!inPanel) {
          if (e.key === 'ArrowUp') return;
          closeAll(li);
          setOpen(li, true);
          items = panelLinks(li);
          if (items.length) items[0].focus();
        } else {
          items = panelLinks(li);
          i = items.indexOf(e.target);
          i = e.key === 'ArrowDown' ? Math.min(i + 1, items.length - 1) : i - 1;
          if (i < 0) (toggleOf(li) || firstFocusable(li)).focus();
          else items[i].focus();
        }
        e.preventDefault();
        break;
      case 'ArrowLeft':
      case 'ArrowRight':
        if (inPanel || !wide.matches) return;
        items = topItems().filter(function (x) { return !x.hidden; });
        i = items.indexOf(li) + (e.key === 'ArrowRight' ? 1 : -1);
        if (i < 0 || i >= items.length) return;
        closeAll();
        firstFocusable(items[i]).focus();
        e.preventDefault();
        break;
      default:
        break;
    }
  });

  // Tab out of an item (or a click elsewhere) closes its panel.
  list.addEventListener('focusout', function (e) {
    var li = topItemOf(e.target);
    if (li && (!e.relatedTarget || !li.contains(e.relatedTarget))) setOpen(li, false);
  });
  document.addEventListener('click', function (e) {
    if (!nav.contains(e.target)) closeAll();
  });

  var pending = false;
  function refit() {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () { pending = false; fit(); });
  }
  window.addEventListener('resize', refit);
  if (wide.addEventListener) wide.addEventListener('change', refit);
  if (document.fonts && document.fonts.ready) document.fonts.ready.then(refit);
  fit();
}());
