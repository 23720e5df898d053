// Moderation pages on a laptop keyboard: j/k move through the list, Enter opens,
// letters pick an action (shown in the legend), Ctrl+Enter decides, Esc goes back.
const rows = [...document.querySelectorAll("[data-row]")];
let current = -1;

function typing(target) {
  return target.closest("input, textarea, select") && !target.matches("[type=radio]");
}

function select(index) {
  if (!rows.length) return;
  current = Math.max(0, Math.min(rows.length - 1, index));
  rows.forEach((row, i) => row.classList.toggle("selected", i === current));
  rows.forEach((row, i) => row.setAttribute("aria-current", i === current ? "true" : "false"));
  rows[current].focus({ preventScroll: true });
  rows[current].scrollIntoView({ block: "nearest" });
}

function scope() {
  // The form the keys act on: the selected row's, else the page's only one.
  return (current >= 0 && rows[current].querySelector("form")) || document.querySelector("form[data-decide-form]");
}

function pick(key) {
  const form = scope();
  const radio = form && form.querySelector(`input[type=radio][data-key="${key}"]`);
  if (!radio) return false;
  radio.checked = true;
  radio.dispatchEvent(new Event("change", { bubbles: true }));
  const text = form.querySelector("textarea");
  if (text) text.focus();
  return true;
}

function showDuration() {
  const form = document.querySelector("form[data-decide-form]");
  const duration = form && form.querySelector("[data-duration]");
  if (!duration) return;
  const chosen = form.querySelector("input[name=action]:checked");
  duration.hidden = !chosen || chosen.value !== "suspend";
}

document.addEventListener("change", showDuration);
showDuration();

document.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
    const form = scope();
    if (form) { event.preventDefault(); form.requestSubmit(); }
    return;
  }
  if (event.key === "Escape") {
    if (typing(event.target)) { event.target.blur(); return; }
    if (location.pathname !== "/moderation") location.href = "/moderation";
    return;
  }
  if (typing(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.key === "j") { select(current + 1); event.preventDefault(); }
  else if (event.key === "k") { select(current - 1); event.preventDefault(); }
  else if (event.key === "Enter" && current >= 0) {
    const link = rows[current].querySelector("a[data-open]");
    if (link) { event.preventDefault(); link.click(); }
  }
  else if (event.key === "a" && location.pathname === "/moderation") location.href = "/moderation/appeals";
  else if (event.key === "q") location.href = "/moderation";
  else if (event.key.length === 1 && pick(event.key)) event.preventDefault();
});

// Marks the page as listening, so a keystroke sent right after load is not lost.
document.documentElement.dataset.keyboard = "ready";
