// Citation previews. Hover or focus shows the reference (WCAG 1.4.13); a click or tap
// opens it in a non-modal dialog with its links, for touch screens too. Without JS, or
// without the Popover API, the link jumps to the list.
{
const d = document;
let cur, t, from;
const el = (tag, props, role) => {
  const e = Object.assign(d.createElement(tag), props);
  role && e.setAttribute("role", role);
  return e;
};
const tip = el("div", { id: "cite-tip", className: "cite-tip", hidden: 1,
  onmouseenter: () => clearTimeout(t), onmouseleave: () => later() }, "tooltip");
d.body.append(tip);
const pop = el("div", { className: "cite-tip cite-pop", tabIndex: -1 }, "dialog");
// What both show of a reference: the list entry's .ref-text, whatever it holds.
const entry = a => d.getElementById(decodeURIComponent(a.hash.slice(1)));
const preview = a => entry(a)?.querySelector(".ref-text");
// Below the citation, or above it when there is no room; always inside the window.
const place = (e, a) => {
  const r = a.getBoundingClientRect(), h = e.offsetHeight;
  const y = r.bottom + h + 8 > innerHeight && r.top > h + 8 ? r.top - h - 4 : r.bottom + 4;
  const x = Math.max(8, Math.min(r.left, d.documentElement.clientWidth - e.offsetWidth - 8));
  Object.assign(e.style, { left: `${x + scrollX}px`,
    top: `${Math.max(8, Math.min(y, innerHeight - h - 8)) + scrollY}px` });
};
const off = () => cur?.removeAttribute("aria-describedby");
const hide = () => { clearTimeout(t); off(); cur = null; tip.hidden = true; };
const later = () => { clearTimeout(t); t = setTimeout(hide, 300); };
const show = a => {
  const ref = preview(a);
  if (!ref || from) return;
  clearTimeout(t);
  if (cur !== a) off();
  cur = a;
  tip.textContent = ref.textContent;
  tip.hidden = false;
  a.setAttribute("aria-describedby", tip.id);
  place(tip, a);
};
// Not a link inside the popover, which sits next to the citation (inside .citation for a
// style without superscripts).
const link = e => { const a = e.target.closest?.(".citation a"); return a && !pop.contains(a) ? a : null; };
const on = (k, f) => d.addEventListener(k, f);
for (const k of ["mouseover", "focusin"]) on(k, e => link(e) && show(link(e)));
on("mouseout", e => cur && link(e) === cur && later());
on("focusout", e => cur && link(e) === cur && hide());
on("keydown", e => e.key === "Escape" && hide());
// The popover: the reference, its PubMed/PMC links, the way to the list, and Close.
// Escape, a tap outside and Close give focus back to the citation; a link inside, or
// focus moving on, leave the reader where they went.
if (pop.showPopover) {
  pop.popover = "auto";
  on("click", e => {
    const a = link(e), ref = a && preview(a);
    if (!ref || e.button || e.ctrlKey || e.metaKey || e.shiftKey) return;
    e.preventDefault();
    hide();
    const row = el("p");
    row.append(...[...entry(a).querySelectorAll(":scope>a[href^=http]")].map(l => l.cloneNode(1)),
      el("a", { href: a.hash, textContent: "Go to reference list" }),
      el("button", { type: "button", textContent: "Close" }));
    pop.replaceChildren(ref.cloneNode(1), row);
    pop.setAttribute("aria-label", `Reference ${a.textContent}`);
    // After the citation, so that Tab goes on from the popover to the rest of the text.
    (a.closest(".citation") || a).after(pop);
    pop.showPopover();
    from = a;
    place(pop, a);
    pop.focus();
  });
  pop.onclick = e => {
    const c = e.target.closest("a, button");
    if (c?.href) from = null;
    c && pop.hidePopover();
  };
  pop.addEventListener("focusout", e => {
    const to = e.relatedTarget;
    if (to && to !== from && !pop.contains(to)) { from = null; pop.hidePopover(); }
  });
  // While "from" is set no preview shows: the reader has just read the reference.
  pop.ontoggle = e => {
    if (e.newState > "closed") return;
    from?.focus();
    from = null;
  };
}
}
