// Citation previews (WCAG 1.4.13); without JS, links jump to the list.
{
const d = document;
let cur, t;
const tip = Object.assign(d.createElement("div"), { id: "cite-tip", className: "cite-tip",
  hidden: true, onmouseenter: () => clearTimeout(t), onmouseleave: () => later() });
tip.setAttribute("role", "tooltip");
d.body.append(tip);
const off = () => cur?.removeAttribute("aria-describedby");
const hide = () => { clearTimeout(t); off(); cur = null; tip.hidden = true; };
const later = () => { clearTimeout(t); t = setTimeout(hide, 300); };
const show = a => {
  const ref = d.getElementById(decodeURIComponent(a.hash.slice(1)))?.querySelector(".ref-text");
  if (!ref) return;
  clearTimeout(t);
  if (cur !== a) off();
  cur = a;
  tip.textContent = ref.textContent;
  tip.hidden = false;
  a.setAttribute("aria-describedby", tip.id);
  const r = a.getBoundingClientRect(), h = tip.offsetHeight;
  const y = r.bottom + h + 8 > innerHeight && r.top > h + 8 ? r.top - h - 4 : r.bottom + 4;
  const x = Math.max(8, Math.min(r.left, d.documentElement.clientWidth - tip.offsetWidth - 8));
  Object.assign(tip.style, { left: `${x + scrollX}px`, top: `${y + scrollY}px` });
};
const link = e => e.target.closest?.("a.cite-link");
const on = (k, f) => d.addEventListener(k, f);
for (const k of ["mouseover", "focusin"]) on(k, e => link(e) && show(link(e)));
on("mouseout", e => cur && link(e) === cur && later());
on("focusout", e => cur && link(e) === cur && hide());
on("keydown", e => e.key === "Escape" && hide());
}
