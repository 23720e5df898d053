// The reaction window: drag to move, drag the corner (or use arrow keys, + and -) to resize.
// Its position, as fractions of the frame, is what the server render uses.

const MIN_WIDTH = 0.2;
const MAX_WIDTH = 0.6;

export function pipBox(stage, camera) {
  const box = document.createElement("div");
  box.className = "pip";
  box.tabIndex = 0;
  box.setAttribute("role", "group");
  box.setAttribute("aria-label", "Your reaction window. Arrow keys move it, plus and minus resize it.");
  const handle = document.createElement("button");
  handle.type = "button";
  handle.className = "resize";
  handle.setAttribute("aria-label", "Resize the reaction window");
  camera.replaceWith(box);
  box.append(camera, handle);
  const pos = { x: 0.6, y: 0.06, width: 0.34 };

  function clamp() {
    pos.width = Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, pos.width));
    if (!stage.clientWidth || !stage.clientHeight) return; // hidden: keep the last position
    const heightFraction = pos.width * (stage.clientWidth / stage.clientHeight) * (16 / 9);
    pos.x = Math.min(1 - pos.width, Math.max(0, pos.x));
    pos.y = Math.min(1 - heightFraction, Math.max(0, pos.y));
  }
  function place() {
    clamp();
    box.style.left = `${pos.x * 100}%`;
    box.style.top = `${pos.y * 100}%`;
    box.style.width = `${pos.width * 100}%`;
    box.style.aspectRatio = "9 / 16";
    box.dataset.position = JSON.stringify(position());
  }
  function drag(event, resize) {
    event.preventDefault();
    event.stopPropagation();
    const rect = stage.getBoundingClientRect();
    const pointer = { x: event.clientX, y: event.clientY };
    const from = { ...pos };
    const move = (e) => {
      const dx = (e.clientX - pointer.x) / rect.width;
      const dy = (e.clientY - pointer.y) / rect.height;
      if (resize) pos.width = from.width + dx;
      else { pos.x = from.x + dx; pos.y = from.y + dy; }
      place();
    };
    const up = () => { removeEventListener("pointermove", move); removeEventListener("pointerup", up); };
    addEventListener("pointermove", move);
    addEventListener("pointerup", up);
  }
  box.addEventListener("pointerdown", (e) => drag(e, false));
  handle.addEventListener("pointerdown", (e) => drag(e, true));
  box.addEventListener("keydown", (e) => {
    const step = 0.02;
    const moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
    if (moves[e.key]) { pos.x += moves[e.key][0]; pos.y += moves[e.key][1]; }
    else if (e.key === "+" || e.key === "=") pos.width += step;
    else if (e.key === "-") pos.width -= step;
    else return;
    e.preventDefault();
    place();
  });
  function position() {
    const round = (n) => Math.round(n * 1000) / 1000;
    return { x: round(pos.x), y: round(pos.y), width: round(pos.width) };
  }
  new ResizeObserver(place).observe(stage);
  place();
  return { position, element: box };
}
