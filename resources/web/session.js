// SPDX-License-Identifier: GPL-3.0-or-later
// The dashboard's side of the login (docs/protocol.md, Authentication).
// Loaded by boot.js before app.js.
//  - The logout control (#logout) shows only when the server needs a login:
//    /healthz is public and says so ("auth": "required" or "off").
//  - When the feed's socket closes, app.js calls sessionLost(): a session
//    lives in the server's memory, so after a restart the cookie is
//    refused and reconnecting would fail forever. One small request tells
//    that apart from a server that is merely away (no answer: app.js's
//    backoff goes on) and sends the page to the login instead.
'use strict';
(function () {
  let probing = false;
  let leaving = false;

  function toLogin(reason) {
    if (leaving) return;
    leaving = true;
    location.replace('/login#' + reason);
  }

  function sessionLost() {
    if (probing || leaving) return;
    probing = true;
    // HEAD: only the status matters, not the snapshot. The credential is
    // checked before the route, so HEAD gets the same 401 that GET would.
    fetch('/api/v1/snapshot', { method: 'HEAD', cache: 'no-store', credentials: 'same-origin' })
      .then((res) => { if (res.status === 401) toLogin('session-ended'); })
      .catch(() => { /* the server is away: app.js keeps trying */ })
      .finally(() => { probing = false; });
  }

  async function logout(button) {
    button.disabled = true;
    try {
      await fetch('/logout', { method: 'POST', cache: 'no-store', credentials: 'same-origin' });
    } catch (e) {
      // Unreachable: the login page says so if the cookie still works.
    }
    toLogin('signed-out');
  }

  function showLogout() {
    const button = document.getElementById('logout');
    if (!button || !button.hidden) return;
    button.hidden = false;
    button.addEventListener('click', () => logout(button));
  }

  const auth = fetch('/healthz', { cache: 'no-store' })
    .then((res) => (res.ok ? res.json() : null))
    .then((health) => Boolean(health && health.auth === 'required'))
    .catch(() => false);
  const ready = document.readyState === 'loading'
    ? new Promise((resolve) => document.addEventListener('DOMContentLoaded', resolve))
    : Promise.resolve();
  Promise.all([auth, ready]).then(([required]) => { if (required) showLogout(); });

  window.tidewatchSession = { sessionLost };
})();
