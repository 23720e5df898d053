// Text boxes and stickers in the studio: the list, the form, and a live preview
// laid out with the engine's own rules (clipdeck/studio/engine/overlays.py):
// font size = size px of a 1080-wide frame, padding 0.3 × font, line height 1.25,
// box centred on (x, y) and kept inside the frame; stickers square, `width` of
// the frame. Each preview element carries its box in frame pixels (data-box) so
// the layout can be compared with the rendered video.
import { api, h } from "./api.js";

const REFERENCE_WIDTH = 1080;
const PADDING = 0.3;
const LINE_HEIGHT = 1.25;
const RADIUS = 0.25;
const FONT = "Clipdeck Text";
const EMOJI = /\p{Extended_Pictographic}/u;

let fontReady = null;
function loadFont() {
  fontReady ??= new FontFace(FONT, "url(/api/v1/studio/fonts/text.ttf)").load()
    .then((face) => { document.fonts.add(face); }).catch(() => {});
  return fontReady;
}

function lineWidth(context, line, pixels) {
  let width = 0;
  for (const char of line) {
    if (/[\u200d\ufe0f\ufe0e]/.test(char)) continue;
    width += EMOJI.test(char) ? pixels * LINE_HEIGHT : context.measureText(char).width;
  }
  return Math.round(width);
}

/** The box of a text in a frame of `frame` pixels: {x, y, width, height, pixels}. */
export function textLayout(box, frame) {
  const context = document.createElement("canvas").getContext("2d");
  let pixels = Math.max(4, Math.round(box.size * frame[0] / REFERENCE_WIDTH));
  const measure = () => {
    context.font = `700 ${pixels}px "${FONT}"`;
    const lines = box.text.split("\n");
    return [Math.max(1, ...lines.map((l) => lineWidth(context, l, pixels))), Math.round(pixels * LINE_HEIGHT) * lines.length];
  };
  let [width, height] = measure();
  let pad = Math.round(pixels * PADDING);
  if (width + 2 * pad > frame[0]) {
    pixels = Math.max(4, Math.floor(pixels * (frame[0] - 2 * pad) / width));
    [width, height] = measure();
    pad = Math.round(pixels * PADDING);
  }
  return { ...centred(box.x, box.y, width + 2 * pad, height + 2 * pad, frame), pixels, pad };
}

/** The box of a sticker: square, `width` of the frame, centred on (x, y). */
export function stickerLayout(box, frame) {
  const side = Math.max(2, Math.round(box.width * frame[0]));
  return centred(box.x, box.y, side, side, frame);
}

function centred(x, y, width, height, frame) {
  width = Math.min(width, frame[0]);
  height = Math.min(height, frame[1]);
  const left = Math.min(Math.max(0, Math.round(x * frame[0] - width / 2)), frame[0] - width);
  const top = Math.min(Math.max(0, Math.round(y * frame[1] - height / 2)), frame[1] - height);
  return { x: left, y: top, width, height };
}

function rgba(colour) {
  if (!colour) return "transparent";
  const value = colour.replace("#", "");
  const alpha = value.length === 8 ? parseInt(value.slice(6), 16) / 255 : 1;
  return `rgba(${parseInt(value.slice(0, 2), 16)},${parseInt(value.slice(2, 4), 16)},${parseInt(value.slice(4, 6), 16)},${alpha})`;
}

/**
 * Set up the text and sticker card. `preview` is the <video>, `layer` the element
 * over it, `frame()` the output frame [w, h], `now()` the output time shown,
 * `onEmptyTap()` what a tap on the preview does while nothing is selected. Returns
 * {spec(), load(), redraw(), items}.
 */
export async function overlayEditor({ card, preview, layer, frame, now = () => preview.currentTime * 1000, onEmptyTap = () => {} }) {
  const items = [];
  let selected = null;
  const stickers = await api("studio/stickers");
  await loadFont();

  const grid = card.querySelector("[data-sticker-grid]");
  for (const sticker of stickers) {
    grid.append(h("button", { type: "button", "data-sticker": sticker.name, "aria-label": `Add sticker ${sticker.label}`, title: sticker.label },
      h("img", { src: sticker.url, alt: "", width: "44", height: "44", loading: "lazy" })));
  }
  grid.addEventListener("click", (event) => {
    const button = event.target.closest("[data-sticker]");
    if (!button) return;
    add({ kind: "sticker", name: button.dataset.sticker, x: 0.5, y: 0.5, width: 0.3, start_ms: 0, end_ms: null });
  });

  const form = card.querySelector("[data-text-form]");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = form.text.value.trim();
    if (!text) return;
    add({
      kind: "text", text, x: 0.5, y: 0.3, size: Number(form.size.value), color: form.color.value,
      background: form.with_background.checked ? form.background.value : null,
      start_ms: Math.round(Number(form.start.value || 0) * 1000),
      end_ms: form.end.value ? Math.round(Number(form.end.value) * 1000) : null,
    });
    form.text.value = "";
  });

  // Click or drag on the preview moves the selected item.
  layer.addEventListener("pointerdown", (event) => {
    const target = event.target.closest("[data-item]");
    if (target) selected = items[Number(target.dataset.item)];
    if (!selected) return onEmptyTap();
    layer.setPointerCapture(event.pointerId);
    move(event);
    const moving = (e) => move(e);
    layer.addEventListener("pointermove", moving);
    layer.addEventListener("pointerup", () => layer.removeEventListener("pointermove", moving), { once: true });
  });
  function move(event) {
    const rect = layer.getBoundingClientRect();
    selected.x = Math.min(1, Math.max(0, (event.clientX - rect.left) / rect.width));
    selected.y = Math.min(1, Math.max(0, (event.clientY - rect.top) / rect.height));
    draw();
  }

  function add(item) {
    items.push(item);
    selected = item;
    draw();
  }

  function draw() {
    const size = frame();
    const scale = layer.clientWidth / size[0];
    const t = now();
    layer.replaceChildren(...items.map((item, index) => {
      const box = item.kind === "text" ? textLayout(item, size) : stickerLayout(item, size);
      const shown = t >= item.start_ms && (item.end_ms == null || t < item.end_ms);
      const style = `left:${box.x * scale}px;top:${box.y * scale}px;width:${box.width * scale}px;height:${box.height * scale}px;${shown ? "" : "opacity:.25;"}`;
      const common = { "data-item": index, "data-box": [box.x, box.y, box.width, box.height].join(","), class: `overlay-item${item === selected ? " selected" : ""}` };
      if (item.kind === "sticker") {
        const sticker = stickers.find((s) => s.name === item.name);
        return h("img", { ...common, src: sticker.url, alt: sticker.label, style, draggable: "false" });
      }
      const font = box.pixels * scale;
      return h("div", {
        ...common,
        style: `${style}font:700 ${font}px/${font * LINE_HEIGHT}px "${FONT}";color:${item.color};background:${rgba(item.background)};border-radius:${box.pixels * RADIUS * scale}px;padding:${box.pad * scale}px`,
      }, item.text);
    }));
    for (const list of card.querySelectorAll("[data-overlay-list]")) list.replaceChildren(...items.map((item, index) => h("li", {},
      h("span", {}, item.kind === "text" ? `“${item.text}”` : `Sticker: ${item.name}`),
      h("span", { class: "muted" }, ` ${(item.start_ms / 1000).toFixed(1)}–${item.end_ms == null ? "end" : (item.end_ms / 1000).toFixed(1)} s `),
      h("button", { type: "button", class: "button ghost small", "aria-label": "Remove", onclick: () => { items.splice(index, 1); selected = null; draw(); } }, "Remove"))));
  }
  preview.addEventListener("timeupdate", draw);
  new ResizeObserver(draw).observe(layer);

  return {
    items,
    redraw: draw,
    /** Put a saved edit's texts and stickers back (reopening a draft). */
    load(texts, placed) {
      items.splice(0, items.length,
        ...texts.map((t) => ({ kind: "text", background: null, end_ms: null, ...t })),
        ...placed.map((s) => ({ kind: "sticker", end_ms: null, ...s })));
      selected = null;
      draw();
    },
    spec() {
      const round = (v) => Math.round(v * 1000) / 1000;
      const texts = items.filter((i) => i.kind === "text").map(({ kind, ...t }) => ({ ...t, x: round(t.x), y: round(t.y) }));
      const placed = items.filter((i) => i.kind === "sticker").map(({ kind, ...s }) => ({ ...s, x: round(s.x), y: round(s.y) }));
      return { texts, stickers: placed };
    },
  };
}
