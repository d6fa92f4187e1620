// duben reader behaviour: glossary term cards (hover, focus, touch), the
// translation toggle remembered across visits, and folding the sidebar on
// narrow screens. Everything here is an enhancement: without it terms are
// plain links to the glossary and translations are shown under each paragraph.
(function () {
  'use strict';
  var doc = document;
  var html = doc.documentElement;
  var KEY = 'duben.translations';

  function remembered() {
    try { return localStorage.getItem(KEY) === 'on'; } catch (e) { return false; }
  }
  function remember(on) {
    try { localStorage.setItem(KEY, on ? 'on' : 'off'); } catch (e) { /* private mode: the choice lasts for this page */ }
  }

  function translations() {
    // The button is in the page already (hidden without JavaScript, where
    // every translation is shown), so adding it moves nothing.
    var button = doc.querySelector('[data-toggle=translations]');
    if (!button) return;
    function apply(on) {
      html.classList.toggle('show-translations', on);
      button.setAttribute('aria-pressed', String(on));
    }
    button.addEventListener('click', function () {
      var on = button.getAttribute('aria-pressed') !== 'true';
      apply(on);
      remember(on);
    });
    var on = remembered();
    apply(on);
    // Showing translations moves paragraphs down: keep a linked one in view.
    var target = on && location.hash && doc.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (target) target.scrollIntoView();
  }

  // The sidebar (abstract, contents) is folded where it sits above the text;
  // the page folds it before its first paint, this follows later resizes.
  function folds() {
    var wide = window.matchMedia('(min-width: 64em)');
    var details = doc.querySelectorAll('.side details.fold');
    if (!details.length || !wide.addEventListener) return;
    wide.addEventListener('change', function () {
      for (var i = 0; i < details.length; i++) details[i].open = wide.matches;
    });
  }

  // Term cards: one card element, filled from the term's <template>.
  var card = null;
  var current = null;
  var showTimer = 0;
  var hideTimer = 0;
  var tapOpen = false;
  var quiet = false;
  var GRACE = 300;

  function cardElement() {
    if (card) return card;
    card = doc.createElement('div');
    card.id = 'term-card';
    card.className = 'term-card';
    card.setAttribute('role', 'tooltip');
    card.hidden = true;
    card.addEventListener('pointerenter', function (e) {
      if (e.pointerType !== 'touch') clearTimeout(hideTimer);
    });
    card.addEventListener('pointerleave', function (e) {
      if (e.pointerType !== 'touch') hideSoon();
    });
    card.addEventListener('focusout', function (e) {
      if (!e.relatedTarget || (e.relatedTarget !== current && !card.contains(e.relatedTarget))) hide();
    });
    doc.body.appendChild(card);
    return card;
  }

  function show(term) {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    var template = doc.getElementById('card-' + term.getAttribute('data-term'));
    if (!template || !template.content) return;
    var box = cardElement();
    if (current !== term || box.hidden) {
      if (current) current.removeAttribute('aria-describedby');
      box.textContent = '';
      box.appendChild(template.content.cloneNode(true));
      headForm(box, term);
    }
    current = term;
    box.hidden = false;
    term.setAttribute('aria-describedby', box.id);
    place(term, box);
  }

  // A term written in the text as one of its other forms (贸易摩擦 for
  // 贸易战) is headed by that form, the headword after it. The form is the
  // link's `data-form` or its own text (less any pinyin ruby).
  function headForm(box, term) {
    var head = box.querySelector('.card-head');
    var word = head && head.querySelector('b');
    if (!word) return;
    var form = term.getAttribute('data-form');
    if (!form) {
      var copy = term.cloneNode(true);
      var ruby = copy.querySelectorAll('rt, rp');
      for (var i = 0; i < ruby.length; i++) ruby[i].remove();
      form = copy.textContent;
    }
    form = form.replace(/\s+/g, '');
    if (!form || form === word.textContent.replace(/\s+/g, '')) return;
    var shown = doc.createElement('b');
    shown.className = 'card-form';
    shown.textContent = form;
    word.className = 'card-headword';
    head.insertBefore(doc.createTextNode(' → '), word);
    head.insertBefore(shown, head.firstChild);
  }

  function hide() {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    if (!card || card.hidden) return;
    card.hidden = true;
    if (current) current.removeAttribute('aria-describedby');
    current = null;
  }

  function hideSoon() {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, GRACE);
  }

  // Below the term, or above it when there is no room below; never over it,
  // and always inside the viewport's width.
  function place(term, box) {
    var r = term.getBoundingClientRect();
    var width = html.clientWidth;
    var height = window.innerHeight;
    var margin = 8;
    var gap = 4;
    box.style.left = '0px';
    box.style.top = '0px';
    var w = box.offsetWidth;
    var h = box.offsetHeight;
    var left = Math.max(margin, Math.min(r.left, width - w - margin));
    var top = r.bottom + gap;
    if (top + h > height - margin && r.top - gap - h >= margin) top = r.top - gap - h;
    box.style.left = left + window.scrollX + 'px';
    box.style.top = top + window.scrollY + 'px';
  }

  function wire(term) {
    if (term.textContent.length <= 10) term.classList.add('whole');
    term.addEventListener('pointerenter', function (e) {
      if (e.pointerType === 'touch') return;
      clearTimeout(hideTimer);
      if (current === term && !card.hidden) return;
      clearTimeout(showTimer);
      showTimer = setTimeout(function () { show(term); }, 100);
    });
    term.addEventListener('pointerleave', function (e) {
      if (e.pointerType !== 'touch') hideSoon();
    });
    term.addEventListener('focus', function () {
      if (!quiet) show(term);
    });
    term.addEventListener('blur', function (e) {
      if (!(card && e.relatedTarget && card.contains(e.relatedTarget))) hide();
    });
    // A first tap shows the card; a second tap on the same term follows the link.
    term.addEventListener('pointerdown', function (e) {
      tapOpen = e.pointerType === 'touch' && current === term && card && !card.hidden;
    });
    term.addEventListener('click', function (e) {
      var touch = e.pointerType === 'touch' || (!e.pointerType && window.matchMedia('(hover: none)').matches && e.detail > 0);
      if (touch && !tapOpen) {
        e.preventDefault();
        show(term);
      }
      tapOpen = false;
    });
  }

  function cards() {
    var terms = doc.querySelectorAll('a.term[data-term]');
    if (!terms.length) return;
    for (var i = 0; i < terms.length; i++) wire(terms[i]);
    doc.addEventListener('pointerdown', function (e) {
      if (!card || card.hidden) return;
      if (card.contains(e.target) || (current && current.contains(e.target))) return;
      hide();
    });
    doc.addEventListener('keydown', function (e) {
      if (e.key !== 'Escape' || !card || card.hidden) return;
      var term = current;
      var inside = card.contains(doc.activeElement);
      hide();
      if (inside && term) {
        quiet = true;
        term.focus({ preventScroll: true });
        quiet = false;
      }
    });
    window.addEventListener('resize', hide);
  }

  // Glossary: narrow the entries to those whose text contains the query.
  function filter() {
    var slot = doc.querySelector('[data-filter]');
    if (!slot) return;
    var entries = doc.querySelectorAll('.entry');
    var sections = doc.querySelectorAll('.category');
    slot.innerHTML = '<label>筛选 <span lang="en">Filter</span> <input type="search" autocomplete="off"></label> <span class="count" role="status"></span>';
    var input = slot.querySelector('input');
    var status = slot.querySelector('[role=status]');
    // Tone marks are optional in the query: "taiwan" finds "Táiwān".
    function plain(text) {
      return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
    }
    var texts = null;
    input.addEventListener('input', function () {
      if (!texts) {
        texts = [];
        for (var k = 0; k < entries.length; k++) texts.push(plain(entries[k].textContent));
      }
      var query = plain(input.value.trim());
      var shown = 0;
      for (var i = 0; i < entries.length; i++) {
        var match = !query || texts[i].indexOf(query) >= 0;
        entries[i].hidden = !match;
        if (match) shown++;
      }
      for (var j = 0; j < sections.length; j++) {
        sections[j].hidden = !sections[j].querySelector('.entry:not([hidden])');
      }
      status.textContent = !query ? '' : shown ? shown + ' / ' + entries.length
        : '没有匹配的术语 · No terms match “' + input.value.trim() + '”';
    });
    slot.hidden = false;
  }

  translations();
  folds();
  cards();
  filter();
})();
