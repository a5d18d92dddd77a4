/**
 * The approver page's script, served as `/assets/page.js` (the CSP allows scripts from this
 * server only, and no inline handlers). It signs decisions in the browser with WebCrypto Ed25519:
 * the private key is imported non-extractable from the file the approver picks, the statement is
 * built with the run's plan digest from the API, and only the statement and its signature are
 * sent. The server verifies them with the repository's public key, as for `drplan approve`.
 *
 * Plain ES2020 in a string: no build step, no framework. It avoids backquotes and dollar-brace
 * so that it can live in this template literal unchanged.
 */

/**
 * The exact bytes a decision signs, in the browser: the same fields in the same order as
 * `canonicalBytes` in engine/approvals/decision-statement.ts (a unit test holds the two together).
 */
export const CANONICAL_STATEMENT_JS = `
function canonicalStatement(s) {
  var o = { v: 1, runId: s.runId, stepId: s.stepId, decision: s.decision, principal: s.principal, planDigest: s.planDigest, time: s.time };
  if (s.comment !== undefined) o.comment = s.comment;
  return JSON.stringify(o);
}
`;

export const PAGE_JS = `'use strict';
${CANONICAL_STATEMENT_JS}
(function () {
  var runId = document.body.getAttribute('data-run-id');
  var state = { data: null, key: null, principal: null, lastSeq: 0, results: {}, refreshing: false, again: false, timer: 0, identity: null, skew: 0 };

  function $(sel, root) { return (root || document).querySelector(sel); }
  function $all(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }
  function api(path) { return '/api/runs/' + encodeURIComponent(runId) + path; }

  function localizeTimes(root) {
    $all('time[data-local]', root).forEach(function (t) {
      var d = new Date(t.getAttribute('datetime'));
      if (isNaN(d.getTime())) return;
      var opts = t.getAttribute('data-local') === 'time' ? { hour: '2-digit', minute: '2-digit' } : { dateStyle: 'medium', timeStyle: 'short' };
      t.textContent = d.toLocaleString(undefined, opts);
      t.title = t.getAttribute('datetime');
    });
    $all('.countdown[data-until]', root).forEach(function (c) {
      var left = Date.parse(c.getAttribute('data-until')) - (Date.now() + skewMs());
      c.textContent = left > 0 ? '(in ' + humanDuration(left) + ')' : '(passed)';
    });
  }
  function skewMs() { return state.data ? state.skew || 0 : 0; }
  function humanDuration(ms) {
    var s = Math.round(ms / 1000), h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
    if (h > 0) return h + 'h' + (m > 0 ? String(m).padStart(2, '0') + 'm' : '');
    if (m > 0) return m + 'm';
    return s + 's';
  }

  localizeTimes(document);
  if (!runId) return;

  function bytesToBase64(buf) {
    var b = new Uint8Array(buf), s = '';
    for (var i = 0; i < b.length; i++) s += String.fromCharCode(b[i]);
    return btoa(s);
  }
  function base64ToBytes(b64) {
    var s = atob(b64), out = new Uint8Array(s.length);
    for (var i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
    return out;
  }

  function UserError(message) { this.message = message; }

  function pemToPkcs8(text) {
    if (/BEGIN PUBLIC KEY/.test(text)) throw new UserError('This is a public key (.pub). Choose your private key: the .key file that drplan keys generate wrote in ~/.config/drplan/keys/.');
    if (/BEGIN ENCRYPTED PRIVATE KEY/.test(text)) throw new UserError('This private key is encrypted; the page needs the unencrypted PKCS#8 key that drplan keys generate writes.');
    var m = /-----BEGIN PRIVATE KEY-----([\\s\\S]*?)-----END PRIVATE KEY-----/.exec(text);
    if (!m) throw new UserError('This is not a private key file (it should start with -----BEGIN PRIVATE KEY-----).');
    try { return base64ToBytes(m[1].replace(/\\s+/g, '')); } catch (e) { throw new UserError('The key file is damaged (its base64 does not decode).'); }
  }

  /** Every principal who may act on something waiting here, with their public key. */
  function candidateKeys() {
    var keys = {};
    ((state.data && state.data.waiting) || []).forEach(function (w) { Object.keys(w.keys || {}).forEach(function (p) { keys[p] = w.keys[p]; }); });
    return keys;
  }

  async function loadKey(text) {
    setWho('Checking the key…', '');
    try {
      if (!window.isSecureContext || !window.crypto || !crypto.subtle) throw new UserError('This page is not a secure context, so the browser offers no signing: open it over https, or on localhost through an SSH tunnel.');
      var der = pemToPkcs8(text);
      var key;
      try {
        key = await crypto.subtle.importKey('pkcs8', der, { name: 'Ed25519' }, false, ['sign']);
      } catch (e) {
        if (e && e.name === 'NotSupportedError') throw new UserError('This browser cannot sign with Ed25519 keys. Use a current Chrome, Edge, Firefox or Safari, or the command line: drplan approve ' + runId + ' <gate-id>.');
        throw new UserError('This file is not an Ed25519 private key made by drplan keys generate.');
      }
      // Who holds this key: sign a probe and try it against the public keys of those who may act.
      var probe = new TextEncoder().encode('drplan key check ' + Date.now() + ' ' + Math.random());
      var sig = await crypto.subtle.sign({ name: 'Ed25519' }, key, probe);
      var keys = candidateKeys(), names = Object.keys(keys), found = null;
      for (var i = 0; i < names.length && !found; i++) {
        var pub = await crypto.subtle.importKey('spki', base64ToBytes(keys[names[i]]), { name: 'Ed25519' }, false, ['verify']);
        if (await crypto.subtle.verify({ name: 'Ed25519' }, pub, sig, probe)) found = names[i];
      }
      if (!found) throw new UserError(names.length === 0 ? 'Nothing here waits on a person with a key in the repository.' : 'This key belongs to none of the people who may act here (' + names.join(', ') + '). Their public keys are approvers/<name>.pub beside the plan.');
      state.key = key;
      state.principal = found;
      setWho('Signed in as ' + found + ' — your key stays in this page.', 'ok');
      updateForms();
    } catch (e) {
      state.key = null;
      state.principal = null;
      setWho(e instanceof UserError ? e.message : 'The key could not be loaded: ' + (e && e.message ? e.message : String(e)), 'bad');
      updateForms();
    }
  }

  function setWho(text, kind) {
    var who = $('#who');
    if (!who) return;
    who.textContent = text;
    who.className = 'who ' + (kind || '');
  }

  function waitOf(stepId) {
    return ((state.data && state.data.waiting) || []).filter(function (w) { return w.stepId === stepId; })[0] || null;
  }

  /** Enables the buttons a loaded key may press, and says why others stay disabled. */
  function updateForms() {
    $all('form.decide').forEach(function (form) {
      var w = waitOf(form.getAttribute('data-step'));
      var why = '';
      var p = state.principal;
      if (!state.key) why = 'Load your key above to decide.';
      else if (!w) why = 'This step no longer waits.';
      else if (!(p in (w.keys || {}))) why = p + ' may not act on this step.';
      $all('button', form).forEach(function (b) {
        var blocked = why !== '';
        if (!blocked && b.value === 'approve' && w && w.kind === 'gate') {
          if (p === state.data.initiator && !w.allowInitiator) { blocked = true; why = p + ' started this run and may not approve its own gate.'; }
          else if (w.approvals.some(function (a) { return a.by === p; })) { blocked = true; why = p + ' has already approved; each person counts once.'; }
        }
        b.disabled = blocked || form.getAttribute('data-busy') === '1';
      });
      var note = $('.why-disabled', form);
      if (note) { note.textContent = why; note.hidden = why === ''; }
    });
  }

  function showResult(stepId, text, kind) {
    state.results[stepId] = { text: text, kind: kind };
    var form = $('form.decide[data-step="' + CSS.escape(stepId) + '"]');
    var el = form && $('.result', form);
    if (el) { el.textContent = text; el.className = 'result ' + kind; }
  }

  function notice(text, bad) {
    var n = $('#notice');
    if (!n) return;
    n.textContent = text;
    n.className = 'notice' + (bad ? ' bad' : '');
    n.hidden = false;
  }

  var DONE_WORDS = { approve: 'Approved', reject: 'Rejected', done: 'Marked done' };

  async function decide(form, decision) {
    var stepId = form.getAttribute('data-step');
    var textarea = $('textarea', form);
    var comment = textarea.value.trim();
    if (decision === 'reject' && !comment) {
      showResult(stepId, 'A rejection needs a reason: write it in the comment, then press Reject again. It is recorded and shown as the reason the run stopped.', 'bad');
      textarea.focus();
      return;
    }
    if (!state.key) { showResult(stepId, 'Load your key first (above).', 'bad'); $('#key-file').focus(); return; }
    var statement = { v: 1, runId: runId, stepId: stepId, decision: decision, principal: state.principal, planDigest: state.data.planDigest, time: new Date().toISOString() };
    if (comment) statement.comment = comment;
    form.setAttribute('data-busy', '1');
    updateForms();
    showResult(stepId, 'Signing and sending…', 'busy');
    try {
      var sig = await crypto.subtle.sign({ name: 'Ed25519' }, state.key, new TextEncoder().encode(canonicalStatement(statement)));
      var res = await fetch(api('/decisions'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        credentials: 'same-origin',
        body: JSON.stringify({ statement: statement, signature: bytesToBase64(sig) }),
      });
      var body = await res.json().catch(function () { return {}; });
      if (res.ok) {
        var tail = body.outcome === 'recorded'
          ? ' Recorded. No engine is driving the run right now: it goes on when an operator runs drplan resume ' + runId + '.'
          : ' The engine driving the run has it.';
        var msg = DONE_WORDS[decision] + ' ' + stepId + ' as ' + state.principal + '.' + tail;
        showResult(stepId, msg, 'ok');
        textarea.value = '';
      } else if (res.status === 429) {
        // Not judged: someone is flooding decisions in this name on this run. Nothing was recorded.
        showResult(stepId, 'Not checked yet: ' + (body.error || 'too many decisions') + '. Nothing was recorded; try again in a moment' + (body.hint ? ' (' + body.hint + ').' : '.'), 'bad');
      } else {
        showResult(stepId, 'Refused: ' + (body.error || res.status + ' ' + res.statusText), 'bad');
      }
    } catch (e) {
      showResult(stepId, 'Not sent: ' + (e && e.message ? e.message : String(e)) + '. Nothing was recorded; try again.', 'bad');
    } finally {
      form.removeAttribute('data-busy');
      updateForms();
      scheduleRefresh(0);
    }
  }

  function bindForms() {
    $all('form.decide').forEach(function (form) {
      var pressed = null;
      $all('button', form).forEach(function (b) { b.addEventListener('click', function () { pressed = b.value; }); });
      form.addEventListener('submit', function (e) {
        e.preventDefault();
        var decision = (e.submitter && e.submitter.value) || pressed;
        if (decision) decide(form, decision);
      });
    });
    $all('form.decide').forEach(function (form) {
      var r = state.results[form.getAttribute('data-step')];
      if (r) showResult(form.getAttribute('data-step'), r.text, r.kind);
    });
  }

  async function loadData() {
    var res = await fetch(api(''), { credentials: 'same-origin', cache: 'no-store' });
    if (!res.ok) throw new Error('the run could not be read (' + res.status + ')');
    state.data = await res.json();
    state.skew = Date.parse(state.data.now) - Date.now();
    if (!state.data.simulated && Math.abs(state.skew) > 60000 && $('#who')) {
      notice('This device clock is ' + humanDuration(Math.abs(state.skew)) + (state.skew > 0 ? ' behind' : ' ahead of') + ' the server. Decisions dated more than 5 minutes from the engine clock are refused: fix the clock first.', true);
    }
  }

  /** Re-reads the run and swaps in the server-rendered view, keeping typed comments and results. */
  async function refresh() {
    if (state.refreshing) { state.again = true; return; }
    state.refreshing = true;
    try {
      var results = await Promise.all([loadData(), fetch('/runs/' + encodeURIComponent(runId), { credentials: 'same-origin', cache: 'no-store' }).then(function (r) { return r.text(); })]);
      var doc = new DOMParser().parseFromString(results[1], 'text/html');
      var fresh = doc.getElementById('run');
      var current = document.getElementById('run');
      if (fresh && current) {
        var typed = {};
        var focused = document.activeElement && document.activeElement.id;
        $all('form.decide', current).forEach(function (f) { typed[f.getAttribute('data-step')] = $('textarea', f).value; });
        var adopted = document.importNode(fresh, true);
        // The key section (with the file chosen or the text pasted) lives on across refreshes.
        var identity = state.identity || document.getElementById('identity');
        current.replaceWith(adopted);
        var slot = adopted.querySelector('#identity');
        if (identity) { state.identity = identity; if (slot) slot.replaceWith(identity); }
        $all('form.decide', adopted).forEach(function (f) { var t = typed[f.getAttribute('data-step')]; if (t) $('textarea', f).value = t; });
        if (focused && document.getElementById(focused)) document.getElementById(focused).focus();
        document.title = doc.title;
        state.lastSeq = Number(adopted.getAttribute('data-last-seq')) || state.lastSeq;
        // A decision whose card went away (the step moved on) is still worth saying at the top.
        Object.keys(state.results).forEach(function (stepId) {
          if (!$('form.decide[data-step="' + CSS.escape(stepId) + '"]') && state.results[stepId].kind === 'ok') notice(state.results[stepId].text, false);
          if (!$('form.decide[data-step="' + CSS.escape(stepId) + '"]')) delete state.results[stepId];
        });
      }
      bindForms();
      updateForms();
      localizeTimes(document);
    } catch (e) {
      setLive('could not refresh: ' + (e && e.message ? e.message : e));
    } finally {
      state.refreshing = false;
      if (state.again) { state.again = false; scheduleRefresh(0); }
    }
  }

  function scheduleRefresh(ms) {
    clearTimeout(state.timer);
    state.timer = setTimeout(refresh, ms === undefined ? 250 : ms);
  }

  function setLive(text) { var l = $('#live'); if (l) l.textContent = text; }

  /** Follows the run's journal: every record refreshes the view; the stream ends with the run. */
  function listen() {
    if (!window.EventSource) { setInterval(function () { scheduleRefresh(0); }, 5000); return; }
    var es = new EventSource(api('/events?after=' + state.lastSeq));
    es.addEventListener('open', function () { setLive('live'); });
    es.addEventListener('heartbeat', function () { setLive('live'); localizeTimes(document); });
    es.addEventListener('record', function () { setLive('live'); scheduleRefresh(); });
    es.addEventListener('end', function () { es.close(); setLive('run ended'); scheduleRefresh(0); });
    es.addEventListener('error', function () { if (es.readyState !== 2) setLive('reconnecting…'); });
  }

  var fileInput = $('#key-file');
  if (fileInput) fileInput.addEventListener('change', function () {
    var f = fileInput.files && fileInput.files[0];
    if (!f) return;
    if (f.size > 16384) { setWho('That file is too large to be a drplan key.', 'bad'); return; }
    f.text().then(loadKey);
  });
  var useButton = $('#key-use');
  if (useButton) useButton.addEventListener('click', function () { loadKey($('#key-paste').value); });

  state.lastSeq = Number(($('#run') || document.body).getAttribute('data-last-seq')) || 0;
  bindForms();
  loadData().then(function () { updateForms(); localizeTimes(document); listen(); }, function (e) { setLive(e.message); });
  setInterval(function () { localizeTimes(document); }, 15000);
})();
`;
