// Suggestions while typing in a search box (accounts, hashtags, sounds), from two characters.
import { api } from "./api.js";

const MIN_CHARS = 2;
const DELAY_MS = 150;

function attach(form) {
  const input = form.querySelector("input[type=search]");
  const list = form.querySelector(".suggestions");
  let timer = 0;
  let asked = "";

  const close = () => { list.hidden = true; input.setAttribute("aria-expanded", "false"); };
  const show = (items) => {
    list.replaceChildren(...items.map((item, index) => {
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.href = item.url;
      a.id = `${list.id}-${index}`;
      a.setAttribute("role", "option");
      a.textContent = item.text;
      const kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = item.type === "user" ? "account" : item.type;
      a.append(kind);
      li.append(a);
      return li;
    }));
    list.hidden = !items.length;
    input.setAttribute("aria-expanded", String(!!items.length));
  };

  input.addEventListener("input", () => {
    clearTimeout(timer);
    const q = input.value.trim();
    if (q.length < MIN_CHARS) { close(); return; }
    timer = setTimeout(async () => {
      asked = q;
      try {
        const found = await api(`search/suggestions?q=${encodeURIComponent(q)}`);
        if (asked === input.value.trim()) show(found.items);
      } catch {
        close();  // suggestions are a help; searching still works without them
      }
    }, DELAY_MS);
  });
  input.addEventListener("keydown", (event) => {
    const options = [...list.querySelectorAll("a")];
    if (list.hidden || !options.length) return;
    const current = options.findIndex((a) => a.getAttribute("aria-selected") === "true");
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const next = (current + (event.key === "ArrowDown" ? 1 : -1) + options.length) % options.length;
      options.forEach((a, i) => a.setAttribute("aria-selected", String(i === next)));
      input.setAttribute("aria-activedescendant", options[next].id);
    } else if (event.key === "Enter" && current >= 0) {
      event.preventDefault();
      location.href = options[current].href;
    } else if (event.key === "Escape") {
      close();
    }
  });
  document.addEventListener("click", (event) => { if (!form.contains(event.target)) close(); });
}

document.querySelectorAll("[data-search-box]").forEach(attach);
