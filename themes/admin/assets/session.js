/* masthead admin: the end of a sign-in made in a second window (the
 * editor opens <base>/login?next=<base>/session/signed-in after its save
 * answered 403). Tells the editor's tab (same origin only) and closes this
 * window; browsers that refuse to close it leave the page's message
 * "return to your tab". No inline script: the admin's CSP forbids it. */
(function () {
  'use strict';
  if (!document.querySelector('[data-mh-signed-in]')) return;
  try {
    if (window.opener && !window.opener.closed)
      window.opener.postMessage({ type: 'mh:signed-in' }, window.location.origin);
  } catch (e) {
    /* opener gone or elsewhere: the message on the page is enough */
  }
  setTimeout(function () {
    window.close();
  }, 300);
})();
