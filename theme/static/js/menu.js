// The phone menu is a <details>, so it opens without this script. Escape closes it and
// gives focus back to its button, as a disclosure menu should (WCAG 2.1.2, 2.4.3).
addEventListener("keydown", e => {
  const m = e.key == "Escape" && document.querySelector(".menu[open]"), a = document.activeElement;
  if (m && (m.contains(a) || a == document.body)) {
    m.open = false;
    m.firstChild.focus();
  }
});
