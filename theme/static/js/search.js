/* Site search on /search/, on Pagefind's index (built by `invoke build` into /pagefind/).
 *
 * Progressive enhancement: the form is a plain GET form, and without this script (or
 * without an index) /search/ lists every article and condition. With it, the page runs
 * ?q= (and ?condition=, ?audience=, ?type=) on load, on submit, as the visitor types and
 * when a filter changes; the address follows, so bookmarks and the back button work.
 *
 * Results are built as DOM nodes. Titles and URLs go in as text and attributes; an
 * excerpt is Pagefind's escaped text with <mark> around the matches, and is rebuilt from
 * its text and its <mark> elements only. The count is announced in a live region (role
 * status); focus stays where the visitor put it, and "More results" moves it to the
 * first new result.
 */
(function () {
  "use strict";

  var form = document.getElementById("search-form");
  if (!form || !window.fetch || !window.URLSearchParams) return;
  var input = document.getElementById("search-input");
  var status = document.getElementById("search-status");
  var results = document.getElementById("search-results");
  var fallback = document.getElementById("search-fallback");
  var filterBox = document.getElementById("search-filters");
  var selects = Array.prototype.slice.call(filterBox.querySelectorAll("select[data-filter]"));
  var noResults = document.getElementById("search-no-results");
  var bundle = new URL(form.getAttribute("data-bundle") || "/pagefind/", document.baseURI).href;
  var baseTitle = document.title;
  var PAGE = 10;
  var TYPING_DELAY = 300;
  var EXCERPT_WORDS = 24; // as pagefind.options({ excerptLength }) below
  // Words too common to be worth a highlight ("is", "it", "how", "to"): Pagefind marks
  // every word of the query it finds; these keep their mark only when the query has no
  // other word.
  var STOP_WORDS = (" a an and are as at be but by can do does for from has have how i if " +
    "in into is it its may me my not of on or so than that the their them then there these " +
    "they this to too up us was we what when where which who why will with you your ");

  var loading = null; // the Pagefind module, once it has loaded
  var unavailable = false; // the index could not be loaded: said once, by load()
  var latest = 0; // the newest search started; older answers are dropped
  var timer = 0;
  var current = null; // { query, filters, results, shown }

  function load() {
    if (!loading) {
      loading = import(bundle + "pagefind.js").then(function (pagefind) {
        // On the main thread, under this page's Content-Security-Policy, and without
        // downloading a worker script first; a search takes milliseconds here.
        return pagefind.options({ noWorker: true, excerptLength: EXCERPT_WORDS }).then(function () {
          return pagefind.filters();
        }).then(function (available) {
          fillFilters(available || {});
          return pagefind;
        });
      });
      loading.catch(function () {
        unavailable = true;
        say("Search is not available on this copy of the site. Every article and " +
            "condition is listed below.");
        fallback.hidden = false;
      });
    }
    return loading;
  }

  /* ---- The address and the form ------------------------------------------------ */

  function stateFromAddress() {
    var params = new URLSearchParams(window.location.search);
    var filters = {};
    selects.forEach(function (select) {
      var value = params.get(select.name);
      if (value) filters[select.getAttribute("data-filter")] = value;
    });
    return { query: (params.get("q") || "").trim(), filters: filters };
  }

  function stateFromForm() {
    var filters = {};
    selects.forEach(function (select) {
      if (select.value) filters[select.getAttribute("data-filter")] = select.value;
    });
    return { query: input.value.trim(), filters: filters };
  }

  function showInForm(state) {
    if (input.value.trim() !== state.query) input.value = state.query;
    selects.forEach(function (select) {
      var wanted = state.filters[select.getAttribute("data-filter")] || "";
      if (wanted && !hasOption(select, wanted)) addOption(select, wanted);
      select.value = wanted;
    });
  }

  function address(state) {
    var params = new URLSearchParams();
    if (state.query) params.set("q", state.query);
    selects.forEach(function (select) {
      var value = state.filters[select.getAttribute("data-filter")];
      if (value) params.set(select.name, value);
    });
    var search = params.toString();
    return window.location.pathname + (search ? "?" + search : "");
  }

  function remember(state, push) {
    var url = address(state);
    if (url === window.location.pathname + window.location.search) return;
    if (push) window.history.pushState(null, "", url);
    else window.history.replaceState(null, "", url);
  }

  /* ---- Filters -------------------------------------------------------------------- */

  function hasOption(select, value) {
    return Array.prototype.some.call(select.options, function (o) { return o.value === value; });
  }

  function addOption(select, value) {
    var option = document.createElement("option");
    option.value = value;
    option.textContent = value;
    select.appendChild(option);
  }

  function fillFilters(available) {
    // Every value the index knows, in alphabetical order after "Any ..."; a value the
    // address asked for stays chosen (and listed, even if the index does not know it).
    selects.forEach(function (select) {
      var chosen = select.value;
      var values = Object.keys(available[select.getAttribute("data-filter")] || {});
      if (chosen && values.indexOf(chosen) < 0) values.push(chosen);
      values.sort(function (a, b) { return a.localeCompare(b); });
      while (select.options.length > 1) select.remove(1);
      values.forEach(function (value) { addOption(select, value); });
      select.value = chosen;
    });
    filterBox.hidden = false;
  }

  /* ---- Searching ------------------------------------------------------------------ */

  function hasFilters(state) {
    return Object.keys(state.filters).length > 0;
  }

  function run(state) {
    var ticket = ++latest;
    window.clearTimeout(timer);
    // The results are about to be replaced: focus on one of them would be lost with it.
    if (results.contains(document.activeElement)) input.focus();
    document.title = state.query ? "\u201c" + state.query + "\u201d: " + baseTitle : baseTitle;
    if (!state.query && !hasFilters(state)) {
      clear();
      return Promise.resolve();
    }
    return load().then(function (pagefind) {
      // No words but a filter: every page the filter keeps.
      return Promise.all([pagefind.search(state.query || null, { filters: state.filters }),
                          rarest(pagefind, state.query)]);
    }).then(function (answers) {
      var found = answers && answers[0];
      if (ticket !== latest || !found) return null;
      current = { query: state.query, filters: state.filters, results: found.results, shown: 0,
                  rare: answers[1], plain: plainWords(state.query) };
      results.textContent = "";
      return more(ticket, false);
    }).catch(function () {
      if (unavailable || ticket !== latest) return; // said by load(), or outdated
      say("This search did not work. Try again, or pick a page from the list below.");
      fallback.hidden = false;
    });
  }

  function clear() {
    current = null;
    results.textContent = "";
    say("");
    fallback.hidden = false;
  }

  function more(ticket, moveFocus) {
    var batch = current.results.slice(current.shown, current.shown + PAGE);
    var rare = current.rare;
    return Promise.all(batch.map(function (r) {
      // With the same page as found by the rarest word alone: where that word is.
      // One after the other: Pagefind hands both searches the same object for a page, and
      // each data() call writes its own locations (and excerpt) into it.
      var alone = rare && rare[r.id];
      return r.data().then(function (data) {
        var page = { url: data.url, meta: data.meta, excerpt: data.excerpt,
                     content: data.content, locations: data.locations.slice() };
        if (!alone) return page;
        return alone.data().then(function (only) {
          page.rareLocations = only.locations.slice();
          return page;
        });
      });
    })).then(function (pages) {
      if (ticket !== latest) return;
      var total = current.results.length;
      var list = results.querySelector("ol");
      var oldButton = results.querySelector(".search-more");
      if (oldButton) oldButton.remove();
      if (!total) {
        results.appendChild(noResults.content.cloneNode(true));
        fallback.hidden = false;
        say(describe(0));
        return;
      }
      if (!list) {
        list = document.createElement("ol");
        list.className = "search-result-list";
        results.appendChild(list);
      }
      var first = null;
      pages.forEach(function (page) {
        var item = resultItem(page);
        if (!item) return;
        list.appendChild(item);
        first = first || item.querySelector("a");
      });
      current.shown += batch.length;
      fallback.hidden = true;
      if (current.shown < total) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "search-more";
        button.textContent = "More results";
        button.addEventListener("click", function () { more(latest, true); });
        results.appendChild(button);
      }
      if (moveFocus) (first || input).focus(); // the button that had focus is gone
      say(describe(total) + (current.shown < total ? " Showing the first " + current.shown + "." : ""));
    });
  }

  function describe(total) {
    var what = current.query ? " for \u201c" + current.query + "\u201d" : "";
    var names = Object.keys(current.filters).map(function (key) { return current.filters[key]; });
    var narrowed = names.length ? " (" + names.join(", ") + ")" : "";
    if (!total) return "No results" + what + narrowed + ".";
    return total + (total === 1 ? " result" : " results") + what + narrowed + ".";
  }

  /* ---- The excerpt: at the rarest word of the query ----------------------------------- */

  function plainWords(query) {
    return (query || "").toLowerCase().split(/\s+/).filter(function (word, i, all) {
      return word.length > 1 && !isStopWord(word) && all.indexOf(word) === i;
    });
  }

  function isStopWord(word) {
    var bare = word.toLowerCase().replace(/^[^\w]+|[^\w]+$/g, "");
    return STOP_WORDS.indexOf(" " + bare + " ") >= 0;
  }

  // Pagefind chooses an excerpt where most words of the query are; a query whose words
  // are common but one (“naltrexone pregnancy”) wants the passage with the rare one. Each
  // word is searched alone (the index is in memory: milliseconds); the one on fewest
  // pages is the rarest, and its results, by page, say where it is on each page.
  function rarest(pagefind, query) {
    var words = plainWords(query);
    if (words.length < 2) return Promise.resolve(null);
    return Promise.all(words.map(function (word) { return pagefind.search(word); }))
      .then(function (answers) {
        var best = null;
        answers.forEach(function (answer) {
          var n = answer && answer.results.length;
          if (n && (!best || n < best.results.length)) best = answer;
        });
        if (!best) return null;
        var byPage = {};
        best.results.forEach(function (r) { byPage[r.id] = r; });
        return byPage;
      }).catch(function () { return null; });
  }

  // The words of the page around the rare word's place with the most other matches in
  // reach, each match marked: Pagefind's locations count the page's words, as its
  // content splits on white space.
  function appendExcerptAt(target, page) {
    var words = page.content.split(/\s+/);
    var marked = {};
    page.locations.concat(page.rareLocations).forEach(function (at) { marked[at] = true; });
    var half = Math.floor(EXCERPT_WORDS / 2);
    var best = page.rareLocations[0], bestCount = -1;
    page.rareLocations.forEach(function (at) {
      var count = page.locations.filter(function (l) { return Math.abs(l - at) <= half; }).length;
      if (count > bestCount) { best = at; bestCount = count; }
    });
    var start = Math.max(0, Math.min(best - half, words.length - EXCERPT_WORDS));
    var end = Math.min(words.length, start + EXCERPT_WORDS);
    for (var i = start; i < end; i++) {
      if (i > start) target.appendChild(document.createTextNode(" "));
      appendWord(target, words[i], marked[i]);
    }
  }

  // A match worth a mark: when the query has words other than stop words, a word that
  // begins as one of them does ("trial" for "trials"); Pagefind also matches a stop word
  // as the start of a word, "to" in "today".
  function worthMarking(text) {
    if (!current || !current.plain.length) return true;
    var bare = text.toLowerCase().replace(/^[^\w]+/, "");
    return current.plain.some(function (word) {
      return bare.indexOf(word.slice(0, Math.min(4, word.length))) === 0;
    });
  }

  function appendWord(target, text, isMatch) {
    if (isMatch && worthMarking(text)) {
      var mark = document.createElement("mark");
      mark.textContent = text;
      target.appendChild(mark);
    } else {
      target.appendChild(document.createTextNode(text));
    }
  }

  function say(text) {
    // A live region announces a change of its text; the same text again is said again.
    if (status.textContent === text) status.textContent = "";
    status.textContent = text;
  }

  /* ---- One result, built from text --------------------------------------------------- */

  function safeUrl(url) {
    // Pagefind's URLs are the site's own paths; anything else is not linked.
    return typeof url === "string" && url.charAt(0) === "/" && url.charAt(1) !== "/" &&
      url.charAt(1) !== "\\" ? url : null;
  }

  function resultItem(page) {
    var url = safeUrl(page.url);
    if (!url) return null;
    var meta = page.meta || {};
    var item = document.createElement("li");
    item.className = "search-result";
    var heading = document.createElement("h2");
    var link = document.createElement("a");
    link.href = url;
    link.textContent = meta.title || url;
    heading.appendChild(link);
    item.appendChild(heading);
    if (meta.type) {
      var type = document.createElement("p");
      type.className = "search-result-type";
      type.textContent = meta.type;
      item.appendChild(type);
    }
    var excerpt = document.createElement("p");
    excerpt.className = "search-result-excerpt";
    if (page.rareLocations && page.rareLocations.length && typeof page.content === "string") {
      appendExcerptAt(excerpt, page);
    } else {
      appendExcerpt(excerpt, page.excerpt || "");
    }
    item.appendChild(excerpt);
    return item;
  }

  function appendExcerpt(target, html) {
    // Parsed in an inert document (nothing runs, nothing loads), then rebuilt: text stays
    // text, a <mark> becomes a new <mark> holding its text (unless it holds a stop word),
    // and nothing else is kept.
    var parsed = new DOMParser().parseFromString("<body>" + html, "text/html").body;
    Array.prototype.forEach.call(parsed.childNodes, function (node) {
      appendWord(target, node.textContent, node.nodeType === 1 && node.nodeName === "MARK");
    });
  }

  /* ---- Wiring ----------------------------------------------------------------------- */

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var state = stateFromForm();
    remember(state, true);
    run(state);
  });

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      var state = stateFromForm();
      remember(state, false);
      run(state);
    }, TYPING_DELAY);
  });

  // Start loading while the visitor types their first word.
  input.addEventListener("focus", function () { load(); }, { once: true });

  selects.forEach(function (select) {
    select.addEventListener("change", function () {
      var state = stateFromForm();
      remember(state, true);
      run(state);
    });
  });

  window.addEventListener("popstate", function () {
    var state = stateFromAddress();
    showInForm(state);
    run(state);
  });

  var initial = stateFromAddress();
  showInForm(initial);
  if (initial.query || hasFilters(initial)) run(initial);
})();
