// The editor's tools: a rail of buttons over the preview's right edge and one
// sheet showing the chosen tool. On a phone the sheet rises from the bottom and
// the preview shrinks above it (it never scrolls away); on a laptop the sheet is
// the side panel.

const LAPTOP = window.matchMedia("(min-width: 860px)");

/** Wire the rail and the sheet; returns {open(name), close(), current}. */
export function editorTools(editor) {
  const sheet = editor.querySelector("[data-tool-sheet]");
  const buttons = [...editor.querySelectorAll("[data-tool-button]")];
  const state = { current: null };

  function open(name) {
    state.current = name;
    for (const section of sheet.querySelectorAll("[data-tool]")) section.hidden = section.dataset.tool !== name;
    for (const button of buttons) button.setAttribute("aria-expanded", String(button.dataset.toolButton === name));
    sheet.hidden = !name;
    editor.dataset.openTool = name || "";
    if (name) sheet.querySelector(`[data-tool="${name}"] h3`)?.setAttribute("tabindex", "-1");
    editor.dispatchEvent(new CustomEvent("toolchange", { detail: name }));
  }

  for (const button of buttons) {
    button.addEventListener("click", () => {
      const name = button.dataset.toolButton;
      // On a phone a second tap closes the sheet; the laptop panel always shows a tool.
      open(state.current === name && !LAPTOP.matches ? null : name);
    });
  }
  editor.querySelector("[data-close-tool]").addEventListener("click", () => open(LAPTOP.matches ? "trim" : null));
  editor.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && state.current && !LAPTOP.matches) open(null);
  });

  return {
    open,
    close: () => open(LAPTOP.matches ? "trim" : null),
    get current() { return state.current; },
    /** The tool shown when the editor opens: none on a phone (the whole preview), trim on a laptop. */
    start() { if (!state.current) open(LAPTOP.matches ? "trim" : null); },
  };
}
