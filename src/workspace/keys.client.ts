/**
 * Keyboard shortcuts of the workspace's list and case pages, served as /werkplek/keys.js
 * (a file of its own, so the strict Content-Security-Policy allows it by origin). Single keys,
 * never while typing in a field, and they can be switched off in the `?` overview (WCAG 2.1
 * success criterion 2.1.4): screen reader users who type letters to navigate keep them.
 * Plain ES2017 without a build step; test/workspace-keys-browser.test.ts runs it.
 */
export const KEYS_SCRIPT = String.raw`(function () {
  'use strict';
  var STORAGE = 'loket.shortcuts';
  // The page's language is the agent's: the overview speaks it too.
  var en = document.documentElement.lang === 'en';
  var SHORTCUTS = en
    ? [
        ['?', 'This overview of shortcuts'],
        ['j', 'Next case in the list'],
        ['k', 'Previous case in the list'],
        ['o', 'Open the chosen case (or Enter)'],
        ['/', "To the list's search field"],
        ['u', 'Back to the list of cases'],
        ['r', 'To the answer (on a case)'],
        ['n', 'To the internal note (on a case)'],
        ['Ctrl+Enter', "Send the text box's form (answer or note)"]
      ]
    : [
        ['?', 'Dit overzicht van sneltoetsen'],
        ['j', 'Volgende zaak in de lijst'],
        ['k', 'Vorige zaak in de lijst'],
        ['o', 'De gekozen zaak openen (of Enter)'],
        ['/', 'Naar het zoekveld van de lijst'],
        ['u', 'Terug naar de lijst met zaken'],
        ['r', 'Naar het antwoord (op een zaak)'],
        ['n', 'Naar de interne notitie (op een zaak)'],
        ['Ctrl+Enter', 'Het formulier van het tekstvak versturen (antwoord of notitie)']
      ];
  var t = en
    ? { title: 'Keyboard shortcuts', toggle: ' Use single-letter shortcuts (? always works)', close: 'Close' }
    : { title: 'Sneltoetsen', toggle: ' Sneltoetsen met één letter gebruiken (? werkt altijd)', close: 'Sluiten' };
  var enabled = function () {
    try { return localStorage.getItem(STORAGE) !== 'off'; } catch (err) { return true; }
  };
  var typingIn = function (target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  };
  var caseLinks = function () {
    return Array.prototype.slice.call(document.querySelectorAll('#case-results tr[data-reference] a[href^="/werkplek/zaken/"]'));
  };
  var moveInList = function (step) {
    var links = caseLinks();
    if (links.length === 0) return false;
    var at = links.indexOf(document.activeElement);
    var next = links[Math.max(0, Math.min(links.length - 1, at < 0 ? (step > 0 ? 0 : links.length - 1) : at + step))];
    next.focus();
    var row = next.closest('tr');
    links.forEach(function (link) { link.closest('tr').removeAttribute('aria-current'); });
    if (row) row.setAttribute('aria-current', 'true');
    return true;
  };
  var focus = function (selector) {
    var field = document.querySelector(selector);
    if (!field) return false;
    field.focus();
    if (field.scrollIntoView) field.scrollIntoView({ block: 'center' });
    return true;
  };

  var dialog = null;
  var overview = function () {
    if (!dialog) {
      dialog = document.createElement('dialog');
      dialog.setAttribute('aria-labelledby', 'shortcuts-title');
      dialog.className = 'shortcuts';
      var title = document.createElement('h2');
      title.id = 'shortcuts-title';
      title.textContent = t.title;
      var list = document.createElement('dl');
      SHORTCUTS.forEach(function (entry) {
        var key = document.createElement('dt');
        var kbd = document.createElement('kbd');
        kbd.textContent = entry[0];
        key.appendChild(kbd);
        var what = document.createElement('dd');
        what.textContent = entry[1];
        list.appendChild(key);
        list.appendChild(what);
      });
      var toggle = document.createElement('label');
      toggle.className = 'check';
      var box = document.createElement('input');
      box.type = 'checkbox';
      box.id = 'shortcuts-on';
      box.checked = enabled();
      box.addEventListener('change', function () {
        try { localStorage.setItem(STORAGE, box.checked ? 'on' : 'off'); } catch (err) { /* private mode: for this page only */ }
      });
      toggle.appendChild(box);
      toggle.appendChild(document.createTextNode(t.toggle));
      var close = document.createElement('button');
      close.type = 'button';
      close.textContent = t.close;
      close.addEventListener('click', function () { dialog.close(); });
      dialog.appendChild(title);
      dialog.appendChild(list);
      dialog.appendChild(toggle);
      dialog.appendChild(close);
      document.body.appendChild(dialog);
    }
    if (typeof dialog.showModal === 'function') dialog.showModal();
    else dialog.setAttribute('open', '');
  };

  document.addEventListener('keydown', function (event) {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && event.target && event.target.tagName === 'TEXTAREA') {
      var form = event.target.form;
      if (form) {
        event.preventDefault();
        if (typeof form.requestSubmit === 'function') form.requestSubmit();
        else form.submit();
      }
      return;
    }
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || typingIn(event.target)) return;
    if (dialog && dialog.open) return;
    if (event.key === '?') { event.preventDefault(); overview(); return; }
    if (!enabled()) return;
    var done = false;
    switch (event.key) {
      case 'j': done = moveInList(1); break;
      case 'k': done = moveInList(-1); break;
      case 'o':
        if (caseLinks().indexOf(document.activeElement) >= 0) { document.activeElement.click(); done = true; }
        break;
      case '/': done = focus('input[type="search"], input[name="q"]'); break;
      case 'u': if (location.pathname !== '/werkplek/zaken') { location.href = '/werkplek/zaken'; done = true; } break;
      case 'r': done = focus('#answer'); break;
      case 'n': done = focus('#note'); break;
    }
    if (done) event.preventDefault();
  });
})();
`;
