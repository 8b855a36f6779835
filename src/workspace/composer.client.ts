/**
 * The answer composer's script, served as /werkplek/composer.js (a file of its own, so the
 * strict Content-Security-Policy allows it by origin): what the agent types is saved on the
 * server a second after they stop (POST …/concept), so a reload or another device finds it;
 * a template goes in at the cursor without a reload (GET …/sjablonen/:key). Without it the
 * form still works: "Sjabloon invoegen" posts what was typed and the template is added after it.
 * Plain ES2017 without a build step; test/workspace-composer-browser.test.ts runs it.
 */
export const COMPOSER_SCRIPT = String.raw`(function () {
  'use strict';
  var form = document.getElementById('composer');
  var box = document.getElementById('answer');
  var status = document.getElementById('draft-status');
  if (!form || !box || !status || typeof fetch === 'undefined') return;
  var base = form.getAttribute('data-case-url');
  var csrfField = form.querySelector('input[name="_csrf"]');
  var csrf = csrfField ? csrfField.value : '';
  var timer = null, saving = false, again = false, lastSaved = box.value;

  // The page's language is the agent's: the script speaks it too.
  var en = document.documentElement.lang === 'en';
  var t = en
    ? {
        saved: 'Draft saved at ', notSaved: 'The draft was not saved; it is still in the text box. Loket will try again shortly.',
        chooseFirst: 'Choose a template first.', notLoaded: 'This template could not be loaded.', inserted: 'Template inserted.'
      }
    : {
        saved: 'Concept opgeslagen om ', notSaved: 'Het concept is niet opgeslagen; het staat nog in het tekstvak. Loket probeert het zo opnieuw.',
        chooseFirst: 'Kies eerst een sjabloon.', notLoaded: 'Dit sjabloon kon niet worden geladen.', inserted: 'Sjabloon ingevoegd.'
      };
  var say = function (text) { status.textContent = text; };
  var clock = function (at) { return at.toLocaleTimeString(en ? 'en-GB' : 'nl-NL', { hour: '2-digit', minute: '2-digit' }); };

  var save = function (keepalive) {
    timer = null;
    if (box.value === lastSaved) return;
    if (saving) { again = true; return; }
    saving = true;
    var text = box.value;
    fetch(base + '/concept', {
      method: 'POST',
      credentials: 'same-origin',
      keepalive: !!keepalive,
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
      body: JSON.stringify({ text: text })
    })
      .then(function (response) { if (!response.ok) throw new Error(String(response.status)); return response.json(); })
      .then(function (answer) {
        lastSaved = text;
        say(text.trim() ? t.saved + clock(new Date(answer.savedAt)) + '.' : '');
      })
      .catch(function () {
        say(t.notSaved);
        setTimeout(schedule, 5000);
      })
      .then(function () {
        saving = false;
        if (again) { again = false; schedule(); }
      });
  };
  var schedule = function () {
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(save, 1000);
  };
  box.addEventListener('input', schedule);
  window.addEventListener('pagehide', function () { if (box.value !== lastSaved) save(true); });
  // Sending: the draft is the answer now; the server removes it.
  form.addEventListener('submit', function () { if (timer !== null) clearTimeout(timer); lastSaved = box.value; });

  var insert = document.getElementById('insert-template');
  var pick = document.getElementById('template');
  if (insert && pick) {
    insert.addEventListener('click', function (event) {
      event.preventDefault();
      if (!pick.value) { say(t.chooseFirst); pick.focus(); return; }
      var start = box.selectionStart, end = box.selectionEnd;
      fetch(base + '/sjablonen/' + encodeURIComponent(pick.value), { credentials: 'same-origin', headers: { accept: 'application/json' } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (template) {
          if (!template) { say(t.notLoaded); return; }
          var value = box.value;
          box.value = value.slice(0, start) + template.body + value.slice(end);
          box.focus();
          var at = start + template.body.length;
          box.setSelectionRange(at, at);
          say(t.inserted);
          schedule();
        })
        .catch(function () { say(t.notLoaded); });
    });
  }
})();
`;
