// "Aan" in Berichten > Opstellen: a WAI-ARIA combobox (editable, list autocomplete) over
// the plain <select multiple> the page works with without JavaScript. The select stays
// the form's field: choosing here selects its option, removing deselects it. Suggestions
// come from the server (the parent's own schools' staff, label and value only); when it
// cannot answer, the select's own options are searched. Texts come from data-text-*
// attributes, translated by the template; no inline script (strict CSP).
(function () {
  "use strict";

  function setup(select) {
    const form = select.form;
    const texts = form.dataset;
    const url = form.dataset.suggestions;
    const field = select.closest(".field") || select.parentNode;
    const label = field.querySelector('label[for="' + select.id + '"]');
    const base = select.id + "-combobox";

    const chosen = document.createElement("ul");
    chosen.className = "combobox__chosen";
    chosen.setAttribute("aria-label", texts.textChosen);

    const wrapper = document.createElement("div");
    wrapper.className = "combobox";
    const input = document.createElement("input");
    input.type = "text";
    input.id = base;
    input.autocomplete = "off";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", base + "-listbox");
    const help = document.getElementById(select.id + "_helptext");
    if (help && texts.textHelp) help.textContent = texts.textHelp;
    const described = select.getAttribute("aria-describedby");
    const error = document.getElementById(select.id + "_error");
    const describedBy = [described, error && error.id].filter(Boolean).join(" ");
    if (describedBy) input.setAttribute("aria-describedby", describedBy);
    if (select.getAttribute("aria-invalid")) input.setAttribute("aria-invalid", "true");

    const listbox = document.createElement("ul");
    listbox.id = base + "-listbox";
    listbox.className = "combobox__listbox";
    listbox.setAttribute("role", "listbox");
    listbox.hidden = true;

    const status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");

    wrapper.append(input, listbox);
    select.hidden = true;
    select.setAttribute("aria-hidden", "true");
    select.tabIndex = -1;
    select.after(chosen, wrapper, status);
    if (label) {
      label.htmlFor = input.id;
      listbox.setAttribute("aria-label", label.textContent.trim());
    }

    let results = [];
    let active = -1;
    let timer = null;
    let request = 0;

    function format(text, value) {
      return text.replace("%s", value);
    }

    function announce(message) {
      status.textContent = "";
      // A change a moment later is announced even when the text repeats.
      window.setTimeout(function () { status.textContent = message; }, 50);
    }

    function optionFor(value) {
      return Array.from(select.options).find(function (option) { return option.value === value; });
    }

    function renderChosen() {
      chosen.replaceChildren();
      Array.from(select.selectedOptions).forEach(function (option) {
        const item = document.createElement("li");
        item.className = "combobox__chip";
        const name = document.createElement("span");
        name.textContent = option.textContent;
        const remove = document.createElement("button");
        remove.type = "button";
        remove.className = "combobox__remove";
        remove.setAttribute("aria-label", format(texts.textRemove, option.textContent));
        remove.textContent = "×";
        remove.addEventListener("click", function () {
          option.selected = false;
          renderChosen();
          announce(format(texts.textRemoved, option.textContent));
          input.focus();
        });
        item.append(name, remove);
        chosen.append(item);
      });
      chosen.hidden = select.selectedOptions.length === 0;
    }

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      const options = listbox.querySelectorAll('[role="option"]');
      options.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (index >= 0 && options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function show(found) {
      const taken = new Set(Array.from(select.selectedOptions).map(function (o) { return o.value; }));
      results = found.filter(function (person) {
        return !taken.has(person.value) && optionFor(person.value);
      });
      listbox.replaceChildren();
      results.forEach(function (person, index) {
        const option = document.createElement("li");
        option.id = base + "-option-" + index;
        option.className = "combobox__option";
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.textContent = person.label;
        // mousedown, not click: the input keeps its focus.
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
          choose(index);
        });
        listbox.append(option);
      });
      const open = input.value.trim() !== "";
      listbox.hidden = !open || results.length === 0;
      input.setAttribute("aria-expanded", listbox.hidden ? "false" : "true");
      active = -1;
      input.removeAttribute("aria-activedescendant");
      if (open) {
        announce(results.length ? format(texts.textResults, results.length) : texts.textNone);
      }
    }

    function choose(index) {
      const person = results[index];
      if (!person) return;
      const option = optionFor(person.value);
      if (!option) return;
      option.selected = true;
      input.value = "";
      close();
      renderChosen();
      announce(format(texts.textAdded, option.textContent));
    }

    function searchLocally(query) {
      const words = query.toLowerCase().split(/\s+/).filter(Boolean);
      return Array.from(select.options)
        .filter(function (option) {
          const text = option.textContent.toLowerCase();
          return words.every(function (word) { return text.includes(word); });
        })
        .map(function (option) { return { value: option.value, label: option.textContent }; });
    }

    function search() {
      const query = input.value.trim();
      if (!query) {
        show([]);
        return;
      }
      const mine = ++request;
      fetch(url + "?q=" + encodeURIComponent(query), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        })
        .then(function (data) { return data.results; })
        .catch(function () { return searchLocally(query); })
        .then(function (found) {
          if (mine === request) show(found);
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(search, 200);
    });

    input.addEventListener("keydown", function (event) {
      const open = !listbox.hidden;
      switch (event.key) {
        case "ArrowDown":
          event.preventDefault();
          if (!open) {
            if (input.value.trim()) search();
            return;
          }
          highlight(active + 1 >= results.length ? 0 : active + 1);
          break;
        case "ArrowUp":
          event.preventDefault();
          if (open) highlight(active <= 0 ? results.length - 1 : active - 1);
          break;
        case "Enter":
          if (open) {
            // Enter chooses a suggestion; it never sends the half-written message.
            event.preventDefault();
            choose(active >= 0 ? active : 0);
          }
          break;
        case "Escape":
          if (open) {
            event.preventDefault();
            close();
          } else if (input.value) {
            event.preventDefault();
            input.value = "";
          }
          break;
        case "Tab":
          close();
          break;
        default:
          break;
      }
    });

    input.addEventListener("blur", function () {
      window.setTimeout(close, 150);
    });

    renderChosen();
  }

  document.querySelectorAll("select[data-recipient-combobox]").forEach(setup);
})();
