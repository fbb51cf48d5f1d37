// Enhancements for Cadre's forms, loaded on every page. Each one only adds to a form that
// already works without JavaScript: the lists stay plain selects and checkboxes, the
// availability grid stays a table of checkboxes.
(function () {
  "use strict";

  // --- A filter box before a long list ---------------------------------------------------
  // A select with more than LONG options (time zones, people) or a group of more than LONG
  // checkboxes (skills) gets a search box; typing hides the entries that do not match every
  // word typed. Chosen entries always stay in sight.
  var LONG = 12;

  function plain(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  function labelOf(list) {
    var id = list.id, label = id && document.querySelector('label[for="' + id + '"]');
    if (list.dataset && list.dataset.filter) return list.dataset.filter;
    if (!label && list.tagName === "FIELDSET") label = list.querySelector("legend");
    if (!label) {
      var fieldset = list.closest("fieldset"), legend = fieldset && fieldset.querySelector("legend");
      label = legend;
    }
    return label ? label.textContent.replace(/\s*required\s*$/, "").replace(/:\s*$/, "").trim() : "";
  }

  // The box goes before `list` (the first entry, for a fieldset); `named` is what it filters.
  function addFilter(list, entries, chosen, named) {
    var name = labelOf(named || list);
    var box = document.createElement("input");
    box.type = "search";
    box.className = "list-filter";
    box.placeholder = "Type to filter";
    box.setAttribute("aria-label", name ? "Filter " + name : "Filter the list");
    var count = document.createElement("span");
    count.className = "list-filter-count muted small";
    count.setAttribute("aria-live", "polite");
    list.parentNode.insertBefore(box, list);
    list.parentNode.insertBefore(count, list);
    box.addEventListener("input", function () {
      var words = plain(box.value).split(/\s+/).filter(Boolean), shown = 0;
      entries.forEach(function (entry) {
        // A field's box is matched by its label, not by the choices of its select.
        var label = entry.matches("[data-filter-item]") && entry.querySelector("label");
        var text = plain((label || entry).textContent);
        var match = words.every(function (w) { return text.indexOf(w) !== -1; });
        entry.hidden = !(match || chosen(entry));
        if (!entry.hidden) shown += 1;
      });
      count.textContent = words.length ? shown + " of " + entries.length + " shown" : "";
    });
    // Enter in the filter box must not submit the form.
    box.addEventListener("keydown", function (event) {
      if (event.key === "Enter") event.preventDefault();
    });
  }

  document.querySelectorAll("form select").forEach(function (select) {
    var options = Array.prototype.slice.call(select.options).filter(function (o) { return o.value; });
    if (options.length > LONG) {
      addFilter(select, options, function (option) { return option.selected && select.multiple; });
    }
  });

  // A fieldset of many fields (the skills one rates on the profile): each field in its
  // `data-filter-item` box; a skill already rated stays in sight.
  document.querySelectorAll("fieldset[data-filter]").forEach(function (fieldset) {
    var items = Array.prototype.slice.call(fieldset.querySelectorAll(":scope > [data-filter-item]"));
    if (items.length > LONG) {
      addFilter(items[0], items, function (item) {
        var control = item.querySelector("select, input");
        return control && control.value !== "";
      }, fieldset);
    }
  });

  document.querySelectorAll("form div[id]").forEach(function (group) {
    var boxes = group.querySelectorAll(':scope > div > label > input[type="checkbox"]');
    if (boxes.length > LONG) {
      var entries = Array.prototype.map.call(boxes, function (b) { return b.closest("div"); });
      addFilter(group, entries, function (entry) { return entry.querySelector("input").checked; });
    }
  });

  // --- A preview under a Markdown field --------------------------------------------------
  // The textarea of a Markdown field names the preview's address (cadre/lib/forms.py). The
  // button sends the text there and shows the HTML Cadre's pages will show, sanitized by the
  // server; "Hide preview" folds it away.
  function csrfToken(form) {
    var field = form && form.querySelector('input[name="csrfmiddlewaretoken"]');
    if (field) return field.value;
    var found = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return found ? decodeURIComponent(found[1]) : "";
  }

  document.querySelectorAll("textarea[data-markdown-preview]").forEach(function (area) {
    var bar = document.createElement("div");
    bar.className = "markdown-preview-bar";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "secondary small";
    button.textContent = "Preview";
    var shown = document.createElement("div");
    shown.className = "markdown-preview prose";
    shown.hidden = true;
    shown.setAttribute("aria-live", "polite");
    shown.setAttribute("aria-label", "Preview");
    bar.appendChild(button);
    area.parentNode.insertBefore(bar, area.nextSibling);
    bar.parentNode.insertBefore(shown, bar.nextSibling);
    button.addEventListener("click", function () {
      if (!shown.hidden) {
        shown.hidden = true;
        button.textContent = "Preview";
        return;
      }
      var body = new FormData();
      body.append("text", area.value);
      fetch(area.dataset.markdownPreview, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(area.form) }
      }).then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      }).then(function (html) {
        shown.innerHTML = html;  // rendered and sanitized by the server's one Markdown path
        shown.hidden = false;
        button.textContent = "Hide preview";
      }).catch(function () {
        shown.textContent = "The preview could not be loaded; the text is kept as written.";
        shown.hidden = false;
      });
    });
  });

  // --- The agenda editor -----------------------------------------------------------------
  // A session's agenda is a formset of blocks (schedule/agenda_edit.html). Here each block
  // gets "Move up", "Move down" and "Remove"; "Add a block" copies the formset's empty form;
  // a running total says how the blocks' minutes compare with the session's length. Moving
  // writes the blocks' "Order" numbers and removing ticks "Delete", so the server reads the
  // same fields as without JavaScript.
  document.querySelectorAll("[data-agenda]").forEach(function (editor) {
    var prefix = editor.dataset.agenda, length = parseInt(editor.dataset.sessionMinutes, 10);
    var form = editor.closest("form");
    var totalForms = form.querySelector('input[name="' + prefix + '-TOTAL_FORMS"]');
    var empty = editor.querySelector("template[data-agenda-empty]");
    var total = document.createElement("p");
    total.className = "agenda-total";
    total.setAttribute("aria-live", "polite");
    var adder = document.createElement("button");
    adder.type = "button";
    adder.className = "secondary";
    adder.textContent = "Add a block";
    editor.appendChild(adder);
    editor.appendChild(total);

    function field(block, name) {
      return block.querySelector('[name$="-' + name + '"]');
    }
    function wrapper(input) {
      return input && (input.closest("div") || input.parentNode);
    }
    function blocks() {
      return Array.prototype.slice.call(editor.querySelectorAll("[data-agenda-block]"));
    }
    function kept() {
      return blocks().filter(function (b) {
        return !b.classList.contains("removed") && !b.classList.contains("spare");
      });
    }
    function refresh() {
      var sum = 0;
      kept().forEach(function (block, i) {
        block.querySelector("legend").textContent = "Block " + (i + 1);
        var order = field(block, "ORDER");
        if (order) order.value = i + 1;
        var minutes = parseInt((field(block, "minutes") || {}).value, 10);
        if (!isNaN(minutes)) sum += minutes;
        block.querySelector(".agenda-up").disabled = i === 0;
        block.querySelector(".agenda-down").disabled = i === kept().length - 1;
      });
      var gap = length - sum;
      total.textContent = sum + " of " + length + " minutes planned" + (
        gap > 0 ? ": " + gap + " to fill." : gap < 0 ? ": " + (-gap) + " too many." : ", exactly."
      );
      total.classList.toggle("agenda-total-off", gap !== 0);
    }
    function enhance(block) {
      var order = field(block, "ORDER"), remove = field(block, "DELETE");
      if (order) wrapper(order).hidden = true;
      if (remove) wrapper(remove).hidden = true;
      var tools = document.createElement("p");
      tools.className = "agenda-tools";
      [["agenda-up", "Move up"], ["agenda-down", "Move down"], ["agenda-remove", "Remove"]]
        .forEach(function (pair) {
          var button = document.createElement("button");
          button.type = "button";
          button.className = "secondary small " + pair[0];
          button.textContent = pair[1];
          tools.appendChild(button);
        });
      var restore = document.createElement("button");
      restore.type = "button";
      restore.className = "link agenda-restore";
      restore.textContent = "Put it back";
      restore.hidden = true;
      block.appendChild(tools);
      block.appendChild(restore);
      block.addEventListener("input", refresh);
      tools.addEventListener("click", function (event) {
        var button = event.target.closest("button");
        if (!button) return;
        var list = kept(), at = list.indexOf(block);
        if (button.classList.contains("agenda-up") && at > 0) {
          editor.insertBefore(block, list[at - 1]);
        } else if (button.classList.contains("agenda-down") && at < list.length - 1) {
          editor.insertBefore(block, list[at + 1].nextSibling);
        } else if (button.classList.contains("agenda-remove")) {
          if (remove) remove.checked = true;
          block.classList.add("removed");
          Array.prototype.forEach.call(block.children, function (child) {
            if (child !== restore && child.tagName !== "LEGEND") child.hidden = true;
          });
          restore.hidden = false;
          block.querySelector("legend").textContent = "Removed: " +
            ((field(block, "title") || {}).value || "an empty block");
          editor.appendChild(block);
          editor.appendChild(adder);
          editor.appendChild(total);
          restore.focus();
        }
        refresh();
        if (!block.classList.contains("removed")) button.focus();
      });
      restore.addEventListener("click", function () {
        if (remove) remove.checked = false;
        block.classList.remove("removed");
        Array.prototype.forEach.call(block.children, function (child) {
          child.hidden = child === restore || (child.contains(order) || child.contains(remove));
        });
        var last = kept().filter(function (b) { return b !== block; }).pop();
        editor.insertBefore(block, last ? last.nextSibling : editor.firstChild);
        refresh();
      });
    }
    // A new block nobody filled in (the page's spare one, or one added and left) must reach
    // the server untouched, which then leaves it out: the spare one is kept out of sight, and
    // on sending a blank block loses the order number it was given.
    function blank(block) {
      var id = field(block, "id"), title = field(block, "title"), minutes = field(block, "minutes");
      return !(id && id.value) && !(title && title.value.trim()) && !(minutes && minutes.value);
    }
    blocks().filter(blank).forEach(function (block) {
      block.classList.add("spare");
      block.hidden = true;
    });
    kept().forEach(enhance);
    form.addEventListener("submit", function () {
      blocks().filter(blank).forEach(function (block) {
        var order = field(block, "ORDER");
        if (order) order.value = "";
      });
    });
    adder.addEventListener("click", function () {
      var index = parseInt(totalForms.value, 10);
      var holder = document.createElement("div");
      holder.innerHTML = empty.innerHTML.replace(/__prefix__/g, String(index));
      var block = holder.firstElementChild;
      var last = kept().pop();
      editor.insertBefore(block, last ? last.nextSibling : editor.firstChild);
      totalForms.value = index + 1;
      enhance(block);
      refresh();
      var first = block.querySelector("select, input:not([type=hidden]), textarea");
      if (first) first.focus();
    });
    refresh();
  });

  // --- The availability grid: paint hours by dragging, move with the arrow keys ----------
  // Pressing on an hour ticks it (or clears it, if it was ticked) and every hour the pointer
  // then passes over gets the same; the arrow keys move between hours and Space ticks one.
  document.querySelectorAll("table.availability").forEach(function (table) {
    var painting = null;
    var boxes = Array.prototype.slice.call(table.querySelectorAll('input[type="checkbox"]'));
    var rows = Array.prototype.map.call(table.tBodies[0].rows, function (row) {
      return Array.prototype.slice.call(row.querySelectorAll('input[type="checkbox"]'));
    });
    table.classList.add("paintable");

    function boxAt(x, y) {
      var under = document.elementFromPoint(x, y), cell = under && under.closest("td");
      return cell && table.contains(cell) ? cell.querySelector('input[type="checkbox"]') : null;
    }
    function paint(box) {
      if (box && painting !== null && box.checked !== painting) {
        box.checked = painting;
        box.dispatchEvent(new Event("change", { bubbles: true }));
      }
    }
    table.addEventListener("pointerdown", function (event) {
      var box = boxAt(event.clientX, event.clientY);
      if (!box || event.button !== 0) return;
      event.preventDefault();
      painting = !box.checked;
      paint(box);
      box.focus({ preventScroll: true });
    });
    table.addEventListener("pointermove", function (event) {
      if (painting !== null) paint(boxAt(event.clientX, event.clientY));
    });
    document.addEventListener("pointerup", function () { painting = null; });
    document.addEventListener("pointercancel", function () { painting = null; });
    // The pointer did the ticking; the click the browser sends after it must not undo it.
    // A click from the keyboard (Space) has no pointer position (detail 0) and goes through.
    table.addEventListener("click", function (event) {
      if (event.detail > 0 && event.target.closest("td")) event.preventDefault();
    });
    table.addEventListener("keydown", function (event) {
      var at = boxes.indexOf(document.activeElement);
      if (at === -1) return;
      var moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
      var move = moves[event.key];
      if (!move) return;
      var r = 0, c = 0;
      rows.forEach(function (row, i) { var j = row.indexOf(boxes[at]); if (j !== -1) { r = i; c = j; } });
      var row = rows[r + move[0]], next = row && row[c + move[1]];
      if (next) {
        event.preventDefault();
        next.focus();
      }
    });
  });
})();
