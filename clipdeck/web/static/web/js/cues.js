// Caption cues in the studio: WebVTT in and out, the cue list, and auto-captions.
// Cue times are in the posted video's time (after trim and speed).
import { api, h } from "./api.js";

const TIME = /(?:(\d+):)?(\d{1,2}):(\d{2})[.,](\d{3})/;

function parseTime(text) {
  const match = TIME.exec(text);
  if (!match) return null;
  const [, hours, minutes, seconds, millis] = match;
  return ((Number(hours || 0) * 60 + Number(minutes)) * 60 + Number(seconds)) * 1000 + Number(millis);
}

function formatTime(ms) {
  const whole = Math.max(0, Math.round(ms));
  const pad = (n, width = 2) => String(n).padStart(width, "0");
  const hours = Math.floor(whole / 3_600_000);
  const minutes = Math.floor(whole / 60_000) % 60;
  const seconds = Math.floor(whole / 1000) % 60;
  return `${pad(hours)}:${pad(minutes)}:${pad(seconds)}.${pad(whole % 1000, 3)}`;
}

/** The cues of a WebVTT document: [{start_ms, end_ms, text}], in order. */
export function parseVtt(text) {
  const cues = [];
  for (const block of (text || "").replace(/\r/g, "").split(/\n{2,}/)) {
    const lines = block.split("\n");
    const at = lines.findIndex((line) => line.includes("-->"));
    if (at < 0) continue;
    const [from, to] = lines[at].split("-->");
    const start = parseTime(from);
    const end = parseTime(to);
    const words = lines.slice(at + 1).join("\n").trim();
    if (start == null || end == null || !words) continue;
    cues.push({ start_ms: start, end_ms: end, text: words.replace(/<[^>]+>/g, "") });
  }
  return cues.sort((a, b) => a.start_ms - b.start_ms);
}

/** A WebVTT document for ``cues`` (an empty list gives an empty body: no captions). */
export function toVtt(cues) {
  if (!cues.length) return "";
  const body = cues.map((cue) => `${formatTime(cue.start_ms)} --> ${formatTime(cue.end_ms)}\n${cue.text.trim()}`);
  return `WEBVTT\n\n${body.join("\n\n")}\n`;
}

/** The video's stored captions, as cues ([] when it has none). */
export async function loadCaptions(videoId) {
  const response = await fetch(`/api/v1/videos/${videoId}/captions`, { credentials: "same-origin" });
  if (!response.ok) return [];
  return parseVtt(await response.text());
}

/** Store ``cues`` as the video's captions (PUT WebVTT). */
export async function saveCaptions(videoId, cues) {
  const response = await fetch(`/api/v1/videos/${videoId}/captions`, {
    method: "PUT",
    credentials: "same-origin",
    headers: { "Content-Type": "text/vtt", "X-CSRFToken": document.body.dataset.csrf || "", Accept: "application/json" },
    body: toVtt(cues),
  });
  if (!response.ok) {
    let message = `The captions were not saved (${response.status}).`;
    try { message = (await response.json()).error.message || message; } catch { /* not JSON */ }
    throw new Error(message);
  }
}

const WAITING = new Set(["queued", "pending", "running", "processing", "transcribing"]);

/**
 * Ask the server to transcribe the video's speech, wait for the suggestion and
 * return {cues, message}; ``onStatus`` gets sentences to show meanwhile. The
 * suggestion is not shown to viewers until the creator saves it (PUT).
 */
export async function autoCaption(videoId, onStatus) {
  let state = await api(`videos/${videoId}/captions/auto`, { method: "POST" });
  onStatus("Listening to your video…");
  for (let polls = 0; state && WAITING.has(state.status); polls++) {
    if (polls > 400) throw new Error("Auto-captions are taking too long. Try again later.");
    await new Promise((resolve) => setTimeout(resolve, 1500));
    state = await api(`videos/${videoId}/captions/auto`);
  }
  if (state?.status === "failed") throw new Error(state.message || "Auto-captions failed.");
  const cues = Array.isArray(state?.cues) && state.cues.length
    ? state.cues.map((c) => ({ start_ms: c.start_ms, end_ms: c.end_ms, text: c.text }))
    : parseVtt(state?.vtt || "");
  return { cues, message: state?.message || "" };
}

/**
 * The cue list: each cue with its start, end and text, editable; tapping a cue
 * seeks the preview there (``seek(ms)``). Returns {cues, set(cues), dirty, at(ms)}.
 */
export function cueEditor({ list, seek, onChange }) {
  const state = { cues: [], dirty: false };

  function changed() {
    state.dirty = true;
    onChange?.();
  }

  function row(cue, index) {
    const seconds = (ms) => (ms / 1000).toFixed(1);
    const time = (name, label) => h("input", {
      type: "number", step: "0.1", min: "0", value: seconds(cue[name]), "aria-label": `${label} of cue ${index + 1} (s)`,
      onchange: (event) => { cue[name] = Math.round(Number(event.target.value) * 1000); draw(); changed(); },
    });
    return h("li", { class: "cue", "data-cue": index },
      h("button", { type: "button", class: "chip cue-seek", "aria-label": `Play from cue ${index + 1}`, onclick: () => seek(cue.start_ms) }, `▶ ${seconds(cue.start_ms)} s`),
      h("div", { class: "cue-times" }, time("start_ms", "Start"), "–", time("end_ms", "End")),
      h("textarea", {
        rows: "2", "aria-label": `Text of cue ${index + 1}`, onfocus: () => seek(cue.start_ms),
        oninput: (event) => { cue.text = event.target.value; changed(); },
      }, cue.text),
      h("button", { type: "button", class: "button ghost small", "aria-label": `Remove cue ${index + 1}`, onclick: () => { state.cues.splice(index, 1); draw(); changed(); } }, "Remove"));
  }

  function draw() {
    state.cues.sort((a, b) => a.start_ms - b.start_ms);
    list.replaceChildren(...state.cues.map(row));
  }

  return Object.assign(state, {
    set(cues, { dirty = false } = {}) {
      state.cues = cues.map((c) => ({ ...c }));
      state.dirty = dirty;
      draw();
      onChange?.();
    },
    add(at) {
      state.cues.push({ start_ms: Math.round(at), end_ms: Math.round(at) + 2000, text: "" });
      draw();
      changed();
      const index = state.cues.findIndex((c) => c.start_ms === Math.round(at) && c.text === "");
      list.querySelector(`[data-cue="${index}"] textarea`)?.focus();
    },
    at(ms) {
      return state.cues.find((c) => ms >= c.start_ms && ms < c.end_ms && c.text.trim()) || null;
    },
    valid() {
      return state.cues.filter((c) => c.text.trim() && c.end_ms > c.start_ms);
    },
  });
}
