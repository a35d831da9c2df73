// The editor's preview (invoke livereload only; never in a built site). Listens to the
// preview server: reloads this page, keeping its scroll position, when its HTML changed;
// shows a failed build's problems in a dialog over the last good page, and warnings in a
// strip that can be dismissed. All text goes in as text: diagnostics quote front-matter.
(function () {
  "use strict";
  var script = document.currentScript;
  var digest = script && script.getAttribute("data-digest");
  var path = location.pathname;
  var scrollKey = "preview-scroll:" + path;
  var dismissedKey = "preview-dismissed-warnings";
  var dialog = null;
  var strip = null;
  var lastErrors = "";

  var saved = sessionStorage.getItem(scrollKey);
  if (saved !== null) {
    sessionStorage.removeItem(scrollKey);
    var restore = function () { window.scrollTo(0, Number(saved)); };
    restore();
    window.addEventListener("load", restore);
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function plural(count, word) {
    return count + " " + word + (count === 1 ? "" : "s");
  }

  function list(lines) {
    var ol = element("ol", "preview-list");
    lines.forEach(function (line) {
      var li = element("li");
      li.appendChild(element("code", "", line));
      ol.appendChild(li);
    });
    return ol;
  }

  function removeStrip() {
    if (strip) { strip.remove(); strip = null; }
  }

  function showStrip(kind, lines, onOpen) {
    removeStrip();
    strip = element("section", "preview-strip preview-strip--" + kind);
    strip.setAttribute("aria-label", kind === "error" ? "Build errors" : "Build warnings");
    var details = element("details");
    var summary = element("summary", "", kind === "error"
      ? plural(lines.length, "error") + " in the last save: this page is the last good build"
      : plural(lines.length, "warning") + " in the last build");
    details.appendChild(summary);
    details.appendChild(list(lines));
    strip.appendChild(details);
    var button = element("button", "preview-button",
                         kind === "error" ? "Show problems" : "Dismiss");
    button.type = "button";
    button.addEventListener("click", onOpen);
    strip.appendChild(button);
    document.body.appendChild(strip);
  }

  function closeDialog() {
    var closing = dialog;
    dialog = null;  // first: its close event must not bring the strip back
    if (closing) {
      if (closing.open) { closing.close(); }
      closing.remove();
    }
  }

  function showErrors(state) {
    removeStrip();
    closeDialog();
    var own = dialog = element("dialog", "preview-dialog");
    dialog.setAttribute("role", "alertdialog");
    dialog.setAttribute("aria-labelledby", "preview-dialog-title");
    dialog.setAttribute("aria-describedby", "preview-dialog-help");
    var title = element("h2", "preview-title",
                        "The last save has " + plural(state.errors.length, "error"));
    title.id = "preview-dialog-title";
    var help = element("p", "preview-help",
      "The page below is the last good build. Fix each problem in the file and line named, " +
      "then save: this box closes by itself.");
    help.id = "preview-dialog-help";
    dialog.appendChild(title);
    dialog.appendChild(help);
    dialog.appendChild(list(state.errors));
    if (state.warnings.length) {
      dialog.appendChild(element("h3", "preview-subtitle",
                                 plural(state.warnings.length, "warning")));
      dialog.appendChild(list(state.warnings));
    }
    var close = element("button", "preview-button", "Hide until the next save");
    close.type = "button";
    close.addEventListener("click", function () { dialog.close(); });
    dialog.appendChild(close);
    dialog.addEventListener("close", function () {
      if (dialog !== own) { return; }  // replaced or taken away, not hidden by the editor
      closeDialog();
      showStrip("error", state.errors, function () { showErrors(state); });
    });
    document.body.appendChild(dialog);
    dialog.showModal();  // traps focus, makes the page inert, Esc closes
    close.focus();
  }

  function showWarnings(lines) {
    closeDialog();
    var key = lines.join("\n");
    if (!lines.length || sessionStorage.getItem(dismissedKey) === key) {
      removeStrip();
      return;
    }
    showStrip("warning", lines, function () {
      sessionStorage.setItem(dismissedKey, key);
      removeStrip();
    });
  }

  function update(state) {
    if (state.digest !== digest) {
      sessionStorage.setItem(scrollKey, String(window.scrollY));
      location.reload();
      return;
    }
    if (!state.ok && state.errors.length) {
      var errors = state.errors.join("\n");
      if (errors !== lastErrors || !dialog) {
        lastErrors = errors;
        showErrors(state);
      }
    } else {
      lastErrors = "";
      showWarnings(state.warnings);
    }
  }

  var events = new EventSource("/__preview__/events?path=" + encodeURIComponent(path));
  events.onmessage = function (event) {
    document.documentElement.setAttribute("data-preview", "live");
    update(JSON.parse(event.data));
  };
})();
