/* The default theme's banner slider. Without this script the first banner
 * shows alone (site.css hides the others). With it, a carousel of two or
 * more banners gets:
 *  - previous / next buttons and a pause / play button (aria-pressed), the
 *    labels from the section's data-* attributes (the page's language);
 *  - a new slide every 6 seconds, paused while the pointer is over it or
 *    focus is inside it, stopped by the pause button, and never started
 *    when the visitor prefers reduced motion;
 *  - ArrowLeft / ArrowRight while focus is inside the carousel;
 *  - slides other than the current one are hidden from assistive
 *    technology and from Tab (the hidden attribute).
 * No inline styles or scripts (the CSP forbids them): state is classes,
 * the hidden attribute and ARIA attributes. */
(function () {
  'use strict';
  var DELAY = 6000;
  var reduce = window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;

  function setup(root) {
    var slides = Array.prototype.slice.call(root.querySelectorAll('.banner'));
    if (slides.length < 2) return;
    var current = 0, timer = null, stopped = reduce, hovering = false, focused = false;

    function button(cls, label) {
      var b = document.createElement('button');
      b.type = 'button';
      b.className = 'banner-btn ' + cls;
      b.setAttribute('aria-label', label);
      b.setAttribute('aria-controls', root.querySelector('.banner-track').id || '');
      return b;
    }
    var track = root.querySelector('.banner-track');
    if (!track.id) track.id = 'banner-track-' + Math.floor(Math.random() * 1e9);
    var controls = document.createElement('div');
    controls.className = 'banner-controls';
    var prev = button('banner-prev', root.getAttribute('data-prev') || 'Previous');
    var pause = button('banner-pause', root.getAttribute('data-pause') || 'Pause');
    var next = button('banner-next', root.getAttribute('data-next') || 'Next');
    prev.setAttribute('aria-controls', track.id);
    pause.setAttribute('aria-controls', track.id);
    next.setAttribute('aria-controls', track.id);
    controls.appendChild(prev);
    controls.appendChild(pause);
    controls.appendChild(next);
    root.appendChild(controls);

    function show(i) {
      current = (i + slides.length) % slides.length;
      slides.forEach(function (s, k) {
        var on = k === current;
        s.classList.toggle('is-current', on);
        if (on) s.removeAttribute('hidden'); else s.setAttribute('hidden', '');
      });
    }
    function schedule() {
      if (timer) window.clearTimeout(timer);
      timer = null;
      if (!stopped && !hovering && !focused)
        timer = window.setTimeout(function () { show(current + 1); schedule(); }, DELAY);
    }
    function setStopped(v) {
      stopped = v;
      pause.classList.toggle('is-paused', v);
      pause.setAttribute('aria-pressed', v ? 'true' : 'false');
      pause.setAttribute('aria-label', v ? (root.getAttribute('data-play') || 'Play')
                                         : (root.getAttribute('data-pause') || 'Pause'));
      track.setAttribute('aria-live', v ? 'polite' : 'off');
      schedule();
    }
    prev.addEventListener('click', function () { show(current - 1); schedule(); });
    next.addEventListener('click', function () { show(current + 1); schedule(); });
    pause.addEventListener('click', function () { setStopped(!stopped); });
    root.addEventListener('mouseenter', function () { hovering = true; schedule(); });
    root.addEventListener('mouseleave', function () { hovering = false; schedule(); });
    root.addEventListener('focusin', function () { focused = true; schedule(); });
    root.addEventListener('focusout', function (e) {
      if (!root.contains(e.relatedTarget)) { focused = false; schedule(); }
    });
    root.addEventListener('keydown', function (e) {
      if (e.key === 'ArrowLeft') { show(current - 1); e.preventDefault(); }
      else if (e.key === 'ArrowRight') { show(current + 1); e.preventDefault(); }
    });
    root.classList.add('has-js');
    show(0);
    setStopped(stopped);
  }

  Array.prototype.forEach.call(document.querySelectorAll('.banners.is-slider'), setup);
})();
