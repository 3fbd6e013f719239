// SPDX-License-Identifier: GPL-3.0-or-later
// The login page (login.html), inline in its head. Applies the dashboard's
// remembered theme before the first paint, then exchanges a token for the
// session cookie: POST /login with `Authorization: Bearer <token>` answers
// 204 and sets the cookie, 401 for a wrong token, 429 with Retry-After
// after too many failures (docs/protocol.md, Authentication). The token
// goes in a header, never in a URL, so it stays out of logs and history.
'use strict';
(function () {
  // The catalogues live in i18n.js, inline in login.html just before this file.
  const I18N = self.TidewatchI18n;
  const LANG = I18N.lang;
  const t = I18N.translator(I18N.login);

  // Before the first paint, like boot.js: no flash of the other theme.
  try {
    const theme = localStorage.getItem('tidewatch.theme');
    if (theme === 'dark' || theme === 'light') document.documentElement.dataset.theme = theme;
  } catch (e) { /* private mode */ }

  // What the page was sent here for, by the fragment of its address:
  // FeedServer sends a used or expired login link to /login#expired; the
  // dashboard sends #session-ended (its session was refused) and
  // #signed-out (after a logout).
  const NOTICES = { '#expired': ['expired', 'warn'], '#session-ended': ['ended', 'warn'], '#signed-out': ['signedOut', 'info'] };
  const REQUEST_TIMEOUT_MS = 15000;
  let waitTimer = 0;

  function start() {
    const $ = (id) => document.getElementById(id);
    const form = $('login-form');
    const token = $('token');
    const show = $('show');
    const submit = $('submit');
    const error = $('error');
    const notice = $('notice');

    document.documentElement.lang = LANG;
    document.title = t('pageTitle');
    for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
    $('server').textContent = location.host;
    show.title = t('showTitle');

    const kind = NOTICES[location.hash];
    if (kind) {
      notice.textContent = t(kind[0]);
      notice.dataset.kind = kind[1];
      notice.hidden = false;
      // A reload shows a plain login page; the fragment never reached the server.
      history.replaceState(null, '', location.pathname);
    }

    const setError = (text) => {
      error.textContent = text;
      token.setAttribute('aria-invalid', text ? 'true' : 'false');
    };
    const setBusy = (busy) => {
      submit.disabled = busy;
      submit.textContent = t(busy ? 'signingIn' : 'signIn');
    };
    // After a 429: the button waits out Retry-After, the message counts down.
    const waitOut = (seconds) => {
      clearInterval(waitTimer);
      let left = Math.max(1, Math.min(3600, Math.ceil(seconds)));
      submit.disabled = true;
      setError(t('tooMany', left));
      waitTimer = setInterval(() => {
        left--;
        if (left > 0) { setError(t('tooMany', left)); return; }
        clearInterval(waitTimer);
        waitTimer = 0;
        submit.disabled = false;
        setError('');
      }, 1000);
    };

    show.addEventListener('click', () => {
      const visible = token.type === 'password';
      token.type = visible ? 'text' : 'password';
      show.setAttribute('aria-pressed', String(visible));
      show.textContent = t(visible ? 'hide' : 'show');
      show.title = t(visible ? 'hideTitle' : 'showTitle');
      token.focus();
    });
    token.addEventListener('input', () => { if (!waitTimer) setError(''); });

    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (submit.disabled) return;
      const value = token.value.trim();
      if (!value) { setError(t('empty')); token.focus(); return; }
      // A header holds printable ASCII only; no token has anything else.
      if (!/^[\x21-\x7e]+$/.test(value)) { setError(t('rejected')); token.select(); return; }
      notice.hidden = true;
      setError('');
      setBusy(true);
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(), REQUEST_TIMEOUT_MS);
      let res = null;
      try {
        res = await fetch('/login', {
          method: 'POST', headers: { Authorization: 'Bearer ' + value },
          cache: 'no-store', credentials: 'same-origin', signal: abort.signal,
        });
      } catch (e) {
        res = null;
      } finally {
        clearTimeout(timer);
      }
      if (res && res.ok) {
        // The cookie is set; the dashboard replaces this page in the history.
        location.replace('/');
        return;
      }
      setBusy(false);
      if (!res) {
        setError(t('network'));
      } else if (res.status === 401) {
        setError(t('rejected'));
        token.select();
      } else if (res.status === 429) {
        waitOut(Number(res.headers.get('Retry-After')) || 60);
        return;
      } else if (res.status === 403) {
        setError(t('origin'));
      } else {
        setError(t('status', res.status));
      }
      token.focus();
    });

    token.focus();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
