import { html, type SafeHtml } from '../ui/html.js';
import type { UiLocale } from './language.js';

/** What a page keeps up to date: the case list, one case, or the dashboard's figures. */
export type LiveTarget = { kind: 'list'; url: string } | { kind: 'case'; url: string; caseId: number } | { kind: 'dashboard'; url: string };

/**
 * The hook a page gives the live script: a polite live region that also says what to
 * refresh. Without JavaScript the page stays as it is: a reload shows the news.
 */
export function liveMarkup(target: LiveTarget, lang: UiLocale = 'nl'): SafeHtml {
  return html`<p id="live-announcer" class="visually-hidden" aria-live="polite" aria-atomic="true" data-live="${target.kind}" data-url="${target.url}"${
    target.kind === 'case' ? html` data-case-id="${target.caseId}"` : ''
  }></p>
<script src="/werkplek/live.js" defer></script>
<script src="/werkplek/keys.js" defer></script>
<p class="hint shortcuts-hint">${lang === 'en' ? html`Press <kbd>?</kbd> for keyboard shortcuts.` : html`Toets <kbd>?</kbd> voor sneltoetsen.`}</p>`;
}

/**
 * The browser side, served as /werkplek/live.js (a file of its own, so a strict
 * Content-Security-Policy can allow it by origin). It listens to /werkplek/live
 * (Server-Sent Events), fetches the page again when its cases changed, swaps the regions
 * that show them, keeps the focus where it was and tells screen readers what changed.
 * Plain ES2017 without a build step; test/workspace-live-browser.test.ts runs it.
 */
export const LIVE_SCRIPT = String.raw`(function () {
  'use strict';
  var hook = document.getElementById('live-announcer');
  if (!hook || typeof EventSource === 'undefined' || typeof fetch === 'undefined' || typeof DOMParser === 'undefined') return;
  var kind = hook.getAttribute('data-live');
  var url = hook.getAttribute('data-url') || location.href;
  var caseId = Number(hook.getAttribute('data-case-id'));
  var regions = kind === 'case' ? ['case-facts', 'thread', 'answer-destination', 'case-state-action'] : kind === 'dashboard' ? ['dashboard-figures'] : ['case-results'];
  // A list is shared by many changes: refresh it at most every 2 s; one case sooner; the dashboard's figures every 10 s at most.
  var minGap = kind === 'case' ? 300 : kind === 'dashboard' ? 10000 : 2000;
  var timer = null, running = false, again = false, wanted = false, last = 0, opened = false, stopped = false;
  // The page's language is the agent's: what the script says is in it too.
  var en = document.documentElement.lang === 'en';
  var t = en
    ? {
        listUpdated: 'The list of cases was updated.', newCase: 'New case in the list: ', newCases: 'New cases in the list: ',
        message: ['new message', 'new messages'], note: ['new note', 'new notes'], and: ' and ', caseUpdated: 'This case was updated',
        waitSelection: 'There is news in the list; it will be updated once you have nothing selected any more.',
        updateList: 'Update list', oneFresh: '1 case in this view is new or changed.', manyFresh: ' cases in this view are new or changed.',
        left: 'No longer in this view: ', stopped: 'Automatic updating has stopped. Reload the page to see the latest state.',
        bell: 'Notifications', bellNew: ' new)', typesOne: ' is typing', typesMany: ' are typing', typing: ' an answer or note on this case now.',
        hasOne: ' has', hasMany: ' have', open: ' this case open too.'
      }
    : {
        listUpdated: 'De lijst met zaken is bijgewerkt.', newCase: 'Nieuwe zaak in de lijst: ', newCases: 'Nieuwe zaken in de lijst: ',
        message: ['nieuw bericht', 'nieuwe berichten'], note: ['nieuwe notitie', 'nieuwe notities'], and: ' en ', caseUpdated: 'Deze zaak is bijgewerkt',
        waitSelection: 'Er is nieuws in de lijst; die wordt bijgewerkt zodra u niets meer geselecteerd hebt.',
        updateList: 'Lijst bijwerken', oneFresh: '1 zaak in deze weergave is nieuw of gewijzigd.', manyFresh: ' zaken in deze weergave zijn nieuw of gewijzigd.',
        left: 'Niet meer in deze weergave: ', stopped: 'Automatisch bijwerken is gestopt. Laad de pagina opnieuw om de nieuwste stand te zien.',
        bell: 'Meldingen', bellNew: ' nieuw)', typesOne: ' typt', typesMany: ' typen', typing: ' nu een antwoord of notitie op deze zaak.',
        hasOne: ' heeft', hasMany: ' hebben', open: ' deze zaak ook open.'
      };

  function say(text) {
    hook.textContent = '';
    setTimeout(function () { hook.textContent = text; }, 100);
  }

  function references() {
    return Array.prototype.map.call(document.querySelectorAll('#case-results tr[data-reference]'), function (row) {
      return row.getAttribute('data-reference');
    });
  }

  function entries(selector) {
    return document.querySelectorAll('#thread ' + selector).length;
  }

  function focusKey(region) {
    var active = document.activeElement;
    if (!active || !region.contains(active)) return null;
    if (active.id) return '#' + CSS.escape(active.id);
    if (active.getAttribute('href')) return 'a[href="' + CSS.escape(active.getAttribute('href')) + '"]';
    return active.tagName.toLowerCase();
  }

  function plural(n, one, many) {
    return n === 1 ? '1 ' + one : n + ' ' + many;
  }

  function swap(doc) {
    var listBefore = kind === 'list' ? references() : [];
    var messagesBefore = entries('[data-kind="inbound"], [data-kind="outbound"]');
    var notesBefore = entries('[data-kind="note"]');
    var changed = false;
    regions.forEach(function (id) {
      var now = document.getElementById(id);
      var next = doc.getElementById(id);
      if (!now || !next || now.outerHTML === next.outerHTML) return;
      var key = focusKey(now);
      var fresh = document.importNode(next, true);
      now.replaceWith(fresh);
      changed = true;
      if (key) {
        var target = fresh.matches(key) ? fresh : fresh.querySelector(key);
        if (target) target.focus();
      }
    });
    if (kind === 'list') { fresh = {}; showNews(); }
    // The dashboard's figures change all day: shown, never read out.
    if (!changed || kind === 'dashboard') return;
    if (kind === 'list') {
      var added = references().filter(function (reference) { return listBefore.indexOf(reference) < 0; });
      if (added.length === 0) say(t.listUpdated);
      else say((added.length === 1 ? t.newCase : t.newCases) + added.join(', ') + '.');
      return;
    }
    var news = [];
    var messages = entries('[data-kind="inbound"], [data-kind="outbound"]') - messagesBefore;
    var notes = entries('[data-kind="note"]') - notesBefore;
    if (messages > 0) news.push(plural(messages, t.message[0], t.message[1]));
    if (notes > 0) news.push(plural(notes, t.note[0], t.note[1]));
    say(t.caseUpdated + (news.length ? ': ' + news.join(t.and) : '') + '.');
  }

  function refresh() {
    timer = null;
    if (stopped) return;
    // Cases selected for a bulk action: the list waits until the selection is used or cleared.
    if (kind === 'list' && document.querySelector('#case-results input[name="zaak"]:checked')) {
      wanted = true;
      say(t.waitSelection);
      return;
    }
    if (document.hidden) { wanted = true; return; }
    if (running) { again = true; return; }
    running = true;
    last = Date.now();
    fetch(url, { credentials: 'same-origin', cache: 'no-store', headers: { accept: 'text/html' } })
      .then(function (response) {
        if (response.status === 401 || response.status === 403) return stop();
        if (!response.ok) return;
        return response.text().then(function (text) { swap(new DOMParser().parseFromString(text, 'text/html')); });
      })
      // Offline for a moment: the next change, or the stream reconnecting, refreshes again.
      .catch(function () {})
      .then(function () {
        running = false;
        if (again) { again = false; schedule(); }
      });
  }

  function schedule() {
    if (timer !== null || stopped) return;
    // Every agent's list hears the same change at once: spread their fetches over a second.
    var jitter = kind === 'list' ? Math.random() * 1000 : 0;
    timer = setTimeout(refresh, Math.max(250, last + minGap - Date.now()) + jitter);
  }

  // The list: rows it shows are swapped or dropped as their cases change; cases new to its
  // view are counted in a notice whose button loads the list again.
  var heard = {}, fresh = {}, asking = false, askTimer = null;
  var news = null;
  if (kind === 'list') {
    news = document.createElement('div');
    news.id = 'live-news';
    news.className = 'notice';
    news.hidden = true;
    var newsText = document.createElement('span');
    var newsButton = document.createElement('button');
    newsButton.type = 'button';
    newsButton.className = 'secondary';
    newsButton.textContent = t.updateList;
    newsButton.addEventListener('click', function () { fresh = {}; showNews(); schedule(); });
    news.appendChild(newsText);
    news.appendChild(document.createTextNode(' '));
    news.appendChild(newsButton);
    var results = document.getElementById('case-results');
    if (results) results.parentNode.insertBefore(news, results);
  }

  function showNews() {
    var count = Object.keys(fresh).length;
    news.hidden = count === 0;
    newsText.textContent = count === 1 ? t.oneFresh : count + t.manyFresh;
  }

  function askSoon() {
    if (askTimer !== null || asking || stopped) return;
    askTimer = setTimeout(ask, 500 + Math.random() * 500);
  }

  function rowOf(reference) {
    return document.querySelector('#case-results tr[data-reference="' + CSS.escape(reference) + '"]');
  }

  function ask() {
    askTimer = null;
    var references = Object.keys(heard).slice(0, 50);
    if (references.length === 0) return;
    references.forEach(function (reference) { delete heard[reference]; });
    var target = new URL(url, location.href);
    target.pathname = '/werkplek/zaken/rijen';
    target.searchParams.delete('na');
    references.forEach(function (reference) { target.searchParams.append('zaak', reference); });
    asking = true;
    fetch(target.toString(), { credentials: 'same-origin', cache: 'no-store', headers: { accept: 'text/html' } })
      .then(function (response) {
        if (response.status === 401 || response.status === 403) return stop();
        if (!response.ok) return;
        return response.text().then(function (text) { applyRows(references, new DOMParser().parseFromString(text, 'text/html')); });
      })
      .catch(function () {})
      .then(function () {
        asking = false;
        if (Object.keys(heard).length > 0) askSoon();
      });
  }

  function applyRows(references, doc) {
    var left = [];
    references.forEach(function (reference) {
      var shown = rowOf(reference);
      var next = doc.querySelector('tr[data-reference="' + CSS.escape(reference) + '"]');
      if (shown && next) {
        var box = shown.querySelector('input[name="zaak"]');
        var key = focusKey(shown);
        var row = document.importNode(next, true);
        var newBox = row.querySelector('input[name="zaak"]');
        if (box && newBox) newBox.checked = box.checked;
        shown.replaceWith(row);
        if (key) { var target = row.querySelector(key); if (target) target.focus(); }
      } else if (shown) {
        if (!shown.contains(document.activeElement) && !(shown.querySelector('input[name="zaak"]:checked'))) { shown.remove(); left.push(reference); }
      } else if (next) {
        fresh[reference] = true;
      }
    });
    showNews();
    var count = Object.keys(fresh).length;
    if (left.length > 0) say(t.left + left.join(', ') + '.');
    else if (count > 0) say(news.firstChild.textContent);
  }

  var source = new EventSource('/werkplek/live');

  function stop() {
    if (stopped) return;
    stopped = true;
    source.close();
    hook.setAttribute('data-live-state', 'stopped');
    say(t.stopped);
  }

  source.addEventListener('case:changed', function (event) {
    var change;
    try { change = JSON.parse(event.data); } catch (err) { return; }
    if (kind === 'case') {
      if (change.caseId === caseId) schedule();
      return;
    }
    if (kind === 'dashboard') return schedule();
    // A list asks only about the cases it heard of (GET /werkplek/zaken/rijen), never reloads for them.
    if (typeof change.reference === 'string') { heard[change.reference] = true; askSoon(); }
  });
  // Redis was away for a moment: changes may have been missed.
  source.addEventListener('resync', schedule);
  // The dashboard's clock moves on without a change too (due today, waiting times): a look every minute.
  if (kind === 'dashboard') setInterval(schedule, 60000);
  source.addEventListener('open', function () {
    hook.setAttribute('data-live-state', 'open');
    // Reconnected: what changed in between was not heard.
    if (opened) schedule();
    opened = true;
  });
  source.addEventListener('error', function () {
    if (source.readyState === EventSource.CLOSED) stop();
    else hook.setAttribute('data-live-state', 'connecting');
  });
  document.addEventListener('visibilitychange', function () {
    if (!document.hidden && wanted) { wanted = false; schedule(); }
  });
  document.addEventListener('change', function (event) {
    if (wanted && event.target && event.target.name === 'zaak' && !document.querySelector('#case-results input[name="zaak"]:checked')) { wanted = false; schedule(); }
  });

  // Notifications: a link with the unread count in the page's header; each new one is read out.
  var bell = document.createElement('a');
  bell.href = '/werkplek/meldingen';
  bell.id = 'notification-link';
  var unread = 0;
  var showBell = function () { bell.textContent = unread === 0 ? t.bell : t.bell + ' (' + unread + t.bellNew; };
  var banner = document.querySelector('header');
  if (banner) { banner.appendChild(document.createTextNode(' · ')); banner.appendChild(bell); }
  showBell();
  fetch('/werkplek/meldingen/aantal', { credentials: 'same-origin', cache: 'no-store' })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (answer) { if (answer) { unread = answer.unread; showBell(); } })
    .catch(function () {});
  source.addEventListener('notification', function (event) {
    var notification;
    try { notification = JSON.parse(event.data); } catch (err) { return; }
    unread += 1;
    showBell();
    say(notification.text);
  });

  // On a case: who else has it open, and who is typing there (POST …/aanwezig, events case:presence).
  if (kind === 'case') {
    var csrfField = document.querySelector('input[name="_csrf"]');
    var csrf = csrfField ? csrfField.value : '';
    var me = null, typing = false, typingTimer = null, shown = '';
    var box = document.createElement('p');
    box.id = 'presence';
    box.className = 'notice';
    box.setAttribute('role', 'status');
    box.hidden = true;
    var heading = document.querySelector('h1');
    if (heading) heading.insertAdjacentElement('afterend', box);

    var showOthers = function (others) {
      var readers = others.filter(function (o) { return !o.typing; }).map(function (o) { return o.name; });
      var writers = others.filter(function (o) { return o.typing; }).map(function (o) { return o.name; });
      var parts = [];
      if (writers.length) parts.push(writers.join(t.and) + (writers.length === 1 ? t.typesOne : t.typesMany) + t.typing);
      if (readers.length) parts.push(readers.join(t.and) + (readers.length === 1 ? t.hasOne : t.hasMany) + t.open);
      var text = parts.join(' ');
      if (text === shown) return;
      shown = text;
      box.textContent = text;
      box.hidden = text === '';
    };
    var beat = function (leaving) {
      // Leaving goes out even when the stream has just stopped (a navigation cuts it first).
      if (stopped && !leaving) return;
      fetch(url + '/aanwezig', {
        method: 'POST',
        credentials: 'same-origin',
        keepalive: !!leaving,
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
        body: JSON.stringify({ typing: typing, leaving: !!leaving })
      })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (answer) {
          if (!answer) return;
          if (answer.me) me = answer.me;
          showOthers(answer.others);
        })
        .catch(function () {});
    };
    beat(false);
    setInterval(function () { if (!document.hidden) beat(false); }, 15000);
    document.addEventListener('input', function (event) {
      if (!event.target || event.target.tagName !== 'TEXTAREA') return;
      if (!typing) { typing = true; beat(false); }
      clearTimeout(typingTimer);
      typingTimer = setTimeout(function () { typing = false; beat(false); }, 5000);
    });
    window.addEventListener('pagehide', function () { beat(true); });
    source.addEventListener('case:presence', function (event) {
      var presence;
      try { presence = JSON.parse(event.data); } catch (err) { return; }
      if (presence.caseId !== caseId || me === null) return;
      showOthers(presence.viewers.filter(function (viewer) { return viewer.id !== me; }));
    });
  }
})();
`;
