// The glossary's filter: narrows the entries to those whose text contains
// the query. Without JavaScript every entry is shown.
(function () {
  'use strict';
  var doc = document;
  function filter() {
    var slot = doc.querySelector('[data-filter]');
    if (!slot) return;
    var entries = doc.querySelectorAll('.entry');
    var sections = doc.querySelectorAll('.category');
    slot.innerHTML = '<label>筛选 <span lang="en">Filter</span> <input type="search" autocomplete="off"></label> <span class="count" role="status"></span>';
    var input = slot.querySelector('input');
    var status = slot.querySelector('[role=status]');
    // Tone marks are optional in the query ("taiwan" finds "Táiwān", v is
    // ü), and so are the spaces and apostrophes of pinyin: "diyuan",
    // "di yuan" and "dìyuán" all find "dìyuán zhànlüè".
    function plain(text) {
      return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
    }
    function squashed(text) {
      return text.replace(/[\s'’·-]+/g, '');
    }
    var texts = null;
    var joined = null;
    input.addEventListener('input', function () {
      if (!texts) {
        texts = [];
        joined = [];
        for (var k = 0; k < entries.length; k++) {
          texts.push(plain(entries[k].textContent));
          joined.push(squashed(texts[k]));
        }
      }
      var query = plain(input.value.trim());
      var together = squashed(query).replace(/v/g, 'u');
      var shown = 0;
      for (var i = 0; i < entries.length; i++) {
        var match = !query || texts[i].indexOf(query) >= 0 || (together && joined[i].indexOf(together) >= 0);
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


  filter();
})();
