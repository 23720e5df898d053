// The studio: record (or pick) one or more takes, edit, then post or save a draft;
// or reopen a draft (/studio?draft=ID) and edit it again; or stitch (?stitch=ID).
// The server render is authoritative; previews here are CSS/media-element approximations.
import { api, h, toast, upload } from "./api.js";
import { autoCaption, cueEditor, loadCaptions, saveCaptions } from "./cues.js";
import { overlayEditor } from "./overlays.js";
import { checkedIds, myCatalog, renderChecklist, saveTags } from "../../shop/tagger.js";
import { videoFileProblem } from "./filecheck.js";
import { pipBox } from "./pip.js";
import { recorder } from "./recorder.js";
import { editorTools } from "./studio_tools.js";
import { voiceOver } from "./voiceover.js";

const $ = (selector) => document.querySelector(selector);
const root = $("[data-studio]");
const params = new URLSearchParams(location.search);
const remix = params.get("duet") ? { kind: "duet", id: params.get("duet") }
  : params.get("react") ? { kind: "react", id: params.get("react") }
  : params.get("stitch") ? { kind: "stitch", id: params.get("stitch") } : null;
const reopened = JSON.parse(document.getElementById("draft-state")?.textContent || "null");

const edit = { speed: 1, filter: "none", sound: null, musicVolume: 0.8, originalVolume: 1, voiceVolume: 1 };
let options;
const takes = []; // {blob|null, url, name, durationMs|null, measured, start, end}
let current = 0; // the take in the preview
let source = null; // the remixed video, when duetting, reacting or stitching
let stitchRange = { start_ms: 0, end_ms: 0 };
let pip = null;
let overlays = null;
let cues = null;
let voice = null;
let tools = null;
let cam = null;
// The video on the server this editor saves to: a reopened draft, or the draft that
// auto-captioning made. `savedSpec` is the edit it was rendered with.
let draftId = reopened?.id || null;
let savedSpec = null;
// What a reopened draft keeps as it was: its extra takes and voice-over, by upload name.
const kept = { clips: null, voiceover: null };

function showStep(name) {
  for (const step of root.querySelectorAll("[data-step]")) step.hidden = step.dataset.step !== name;
  for (const marker of root.querySelectorAll("[data-step-marker]")) {
    if (marker.dataset.stepMarker === name) marker.setAttribute("aria-current", "step");
    else marker.removeAttribute("aria-current");
  }
  document.body.dataset.studioStep = name;
  root.querySelector(`[data-step="${name}"] h2`)?.focus();
}

function pressed(group, value) {
  for (const button of group.querySelectorAll("button")) {
    button.setAttribute("aria-pressed", String(button.dataset.value === String(value)));
  }
}

const preview = () => $("[data-preview]");

/** The output frame the engine will render for the previewed take (geometry.output_frame). */
function outputFrame() {
  const [w, hgt] = [preview().videoWidth || 1080, preview().videoHeight || 1920];
  const even = (v) => Math.max(2, Math.round(v / 2) * 2);
  const width = Math.min(1080, even(Math.min(1080, Math.max(w, hgt * 9 / 16))));
  return [width, Math.min(1920, even(width * 16 / 9))];
}

// --- capture ---------------------------------------------------------------

async function setUpCapture() {
  const lengths = $("[data-lengths]");
  for (const seconds of options.length_limits_seconds) {
    lengths.append(h("button", { type: "button", "data-value": seconds, "aria-pressed": "false" }, `${seconds} s`));
  }
  const limitInput = $("[name=length_limit]");
  limitInput.value = options.default_length_seconds;
  pressed(lengths, options.default_length_seconds);
  lengths.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button || cam.recording) return;
    limitInput.value = button.dataset.value;
    pressed(lengths, button.dataset.value);
    cam.setLimit(Number(button.dataset.value) * 1000);
  });

  cam = recorder({
    preview: $("[data-camera]"),
    button: $("[data-record]"),
    ring: $("[data-ring]"),
    countdown: $("[data-countdown]"),
    useCountdown: () => $("[name=countdown]").checked,
    done: $("[data-done]"),
    discard: $("[data-discard]"),
    status: $("[data-capture-status]"),
    limitMs: options.default_length_seconds * 1000,
    onStart: () => { if (source && remix.kind !== "stitch") { $("[data-source]").currentTime = 0; $("[data-source]").play().catch(() => {}); } },
    onPause: () => source && $("[data-source]")?.pause(),
    onResume: () => source && remix.kind !== "stitch" && $("[data-source]").play().catch(() => {}),
    onFinish: (blob, durationMs) => {
      if (source) $("[data-source]").pause();
      const ext = blob.type.includes("mp4") ? "mp4" : "webm";
      addTake({ blob, name: `take-${takes.length + 1}.${ext}`, durationMs });
    },
  });
  for (const picker of [$("[data-pick]"), $("[data-pick-take]")]) {
    picker.addEventListener("change", async (event) => {
      const file = event.target.files[0];
      if (!file) return;
      const problem = await videoFileProblem(file, options.max_upload_mb);
      event.target.value = "";
      if (problem) {
        $("[data-capture-status]").textContent = problem;
        $("[data-takes-status]").textContent = problem;
        return;
      }
      cam.stop();
      addTake({ blob: file, name: file.name, durationMs: null });
    });
  }
  $("[data-back-to-editor]").addEventListener("click", () => { cam.stop(); showStep("edit"); });
  await cam.start();
}

async function loadSource() {
  try {
    source = await api(`videos/${remix.id}`);
  } catch (error) {
    $("[data-capture-status]").textContent = error.message;
    return;
  }
  const names = { duet: "Duet", react: "React", stitch: "Stitch" };
  const allowed = remix.kind === "duet" ? source.allow_duet
    : remix.kind === "react" ? source.allow_react : source.allow_stitch;
  $("[data-remix-title]").textContent = `${names[remix.kind]} with @${source.author.handle}`;
  if (!allowed) {
    const plural = { duet: "duets", react: "reactions", stitch: "stitches" }[remix.kind];
    $("[data-capture-status]").textContent = `@${source.author.handle} does not allow ${plural} of this video.`;
    $("[data-record]").disabled = true;
    return;
  }
  const stage = $("[data-stage]");
  const sourceVideo = h("video", { "data-source": true, src: source.media.mp4_720 || source.media.mp4, playsinline: true, preload: "auto", "aria-label": `@${source.author.handle}'s video` });
  sourceVideo.muted = false;
  const camera = $("[data-camera]");
  if (remix.kind === "duet") {
    stage.classList.add("duet");
    stage.append(sourceVideo);
  } else if (remix.kind === "react") {
    stage.prepend(sourceVideo);
    pip = pipBox(stage, camera);
  } else {
    setUpStitchRange(sourceVideo);
  }
}

/** Stitch: choose up to 5 s of the source; it plays before your recording. */
function setUpStitchRange(sourceVideo) {
  const STITCH_MAX_MS = (options.max_stitch_seconds || 5) * 1000;
  const card = $("[data-stitch]");
  card.hidden = false;
  card.querySelector("[data-stitch-player]").append(sourceVideo);
  sourceVideo.muted = true;
  const startInput = card.querySelector("[name=stitch_start]");
  const lengthInput = card.querySelector("[name=stitch_length]");
  const note = card.querySelector("[data-stitch-note]");
  const total = source.duration_ms || 5000;
  startInput.max = String(Math.max(0, total - 500));
  lengthInput.max = String(Math.min(STITCH_MAX_MS, total));
  lengthInput.value = String(Math.min(STITCH_MAX_MS, total));
  function update() {
    const start = Math.min(Number(startInput.value), Math.max(0, total - 500));
    const length = Math.min(Number(lengthInput.value), STITCH_MAX_MS, total - start);
    stitchRange = { start_ms: Math.round(start), end_ms: Math.round(start + length) };
    note.textContent = `Using ${(start / 1000).toFixed(1)}–${(stitchRange.end_ms / 1000).toFixed(1)} s of @${source.author.handle}'s video (${(length / 1000).toFixed(1)} s, at most ${STITCH_MAX_MS / 1000} s), then your recording.`;
    startInput.setAttribute("aria-valuetext", `${(start / 1000).toFixed(1)} seconds`);
    lengthInput.setAttribute("aria-valuetext", `${(length / 1000).toFixed(1)} seconds`);
    sourceVideo.currentTime = start / 1000;
    updateLength();
  }
  startInput.addEventListener("input", update);
  lengthInput.addEventListener("input", update);
  sourceVideo.addEventListener("timeupdate", () => {
    if (sourceVideo.currentTime * 1000 >= stitchRange.end_ms) sourceVideo.currentTime = stitchRange.start_ms / 1000;
  });
  card.querySelector("[data-stitch-play]").addEventListener("click", () => { sourceVideo.currentTime = stitchRange.start_ms / 1000; sourceVideo.play().catch(() => {}); });
  update();
}

// --- takes -----------------------------------------------------------------

function addTake({ blob, name, durationMs, url = null, start = 0, end = null }) {
  const take = { blob, name, durationMs, measured: false, start, end, url: url || URL.createObjectURL(blob) };
  take.ready = new Promise((resolve) => { take.onMeasured = resolve; });
  takes.push(take);
  measureTake(take);
  drawTakes();
  showTake(takes.length - 1, take.start, true);
  showStep("edit");
  if (!tools.current && takes.length > 1) tools.open("takes");
}

/** A take's length as the browser reads it (a recorded WebM has none until its end is seen). */
function measureTake(take) {
  const probe = h("video", { muted: true, playsinline: true, preload: "metadata" });
  probe.src = take.url;
  const done = (ms) => {
    if (take.measured) return;
    take.durationMs = Math.round(ms || take.durationMs || 0);
    take.measured = take.durationMs > 0;
    take.end = Math.min(take.end ?? take.durationMs, take.durationMs);
    take.start = Math.min(take.start, Math.max(0, take.end - 500));
    drawTakes();
    if (takes[current] === take) syncTrim(true);
    thumbnail(probe, take);
    take.onMeasured();
  };
  probe.addEventListener("loadedmetadata", () => {
    if (Number.isFinite(probe.duration) && probe.duration > 0) return done(probe.duration * 1000);
    probe.addEventListener("timeupdate", () => done(mediaEndMs(probe)), { once: true });
    probe.currentTime = 1e9;
  }, { once: true });
  probe.addEventListener("error", () => done(take.durationMs), { once: true });
}

/** Where a take's media ends, once seeked to its end: its duration, else the end of
 * what was read of it (a starved camera's recording can hold far fewer seconds than
 * the clock counted while recording); 0 when neither is known. */
function mediaEndMs(probe) {
  if (Number.isFinite(probe.duration) && probe.duration > 0) return probe.duration * 1000;
  const read = probe.buffered;
  const end = read.length ? read.end(read.length - 1) : 0;
  return Number.isFinite(end) && end > 0 ? end * 1000 : 0;
}

/** A still of the take for the takes strip (a bitmap: the page's CSP allows no data: images). */
function thumbnail(probe, take) {
  probe.addEventListener("seeked", async () => {
    try { take.still = await createImageBitmap(probe); } catch { /* no picture yet */ }
    probe.removeAttribute("src");
    drawTakes();
  }, { once: true });
  probe.currentTime = Math.min(0.5, (take.durationMs || 0) / 2000);
}

function takeLength(take) {
  return Math.max(0, (take.end ?? take.durationMs ?? 0) - take.start);
}

/** Milliseconds of the posted video (after trims and speed) now playing in the preview. */
function outputNow() {
  const take = takes[current];
  if (!take) return 0;
  const before = takes.slice(0, current).reduce((sum, t) => sum + takeLength(t), 0);
  return (before + Math.max(0, preview().currentTime * 1000 - take.start)) / edit.speed;
}

/** Show the posted video's moment `ms` in the preview. */
function seekOutput(ms) {
  let left = ms * edit.speed;
  for (const [index, take] of takes.entries()) {
    if (left < takeLength(take) || index === takes.length - 1) return showTake(index, take.start + Math.min(left, takeLength(take)), false);
    left -= takeLength(take);
  }
}

function showTake(index, atMs, play) {
  const video = preview();
  const take = takes[index];
  const wasPlaying = play ?? !video.paused;
  current = index;
  const seek = () => { video.currentTime = atMs / 1000; if (wasPlaying) video.play().catch(() => {}); };
  if (video.dataset.take !== take.url) {
    video.dataset.take = take.url;
    video.src = take.url;
    video.addEventListener("loadedmetadata", () => { seek(); syncTrim(); }, { once: true });
  } else {
    seek();
  }
  syncTrim();
  for (const row of document.querySelectorAll("[data-takes] li")) row.setAttribute("aria-current", String(Number(row.dataset.take) === index));
}

function drawTakes() {
  const list = $("[data-takes]");
  list.replaceChildren(...takes.map((take, index) => h("li", { "data-take": index, "aria-current": String(index === current) },
    h("button", { type: "button", class: "take-open", "aria-label": `Preview and trim take ${index + 1}`, onclick: () => { showTake(index, take.start, true); tools.open("trim"); } },
      h("span", { class: "take-number" }, String(index + 1)),
      still(take),
      h("span", {}, take.measured ? `${(takeLength(take) / 1000).toFixed(1)} s` : "measuring…")),
    h("button", { type: "button", class: "chip", "aria-label": `Move take ${index + 1} earlier`, disabled: index === 0, onclick: () => moveTake(index, -1) }, "↑"),
    h("button", { type: "button", class: "chip", "aria-label": `Move take ${index + 1} later`, disabled: index === takes.length - 1, onclick: () => moveTake(index, 1) }, "↓"),
    h("button", { type: "button", class: "button ghost small", "aria-label": `Delete take ${index + 1}`, disabled: takes.length === 1, onclick: () => deleteTake(index) }, "Delete"))));
  const full = takes.length >= (options.max_takes || 10);
  if (!reopened) for (const control of [$("[data-record-take]"), $("[data-pick-take]")]) control.disabled = full;
  if (full) $("[data-takes-status]").textContent = `A video joins at most ${options.max_takes || 10} takes.`;
  const rail = $('[data-tool-button="takes"] span:last-child');
  rail.textContent = takes.length > 1 ? `Takes (${takes.length})` : "Takes";
  updateLength();
}

function still(take) {
  const canvas = h("canvas", { width: 36, height: 64, class: "take-still", "aria-hidden": "true" });
  if (take.still) {
    const ratio = take.still.width / take.still.height || 9 / 16;
    canvas.getContext("2d").drawImage(take.still, (36 - 64 * ratio) / 2, 0, 64 * ratio, 64);
  }
  return canvas;
}

function moveTake(index, step) {
  const [take] = takes.splice(index, 1);
  takes.splice(index + step, 0, take);
  drawTakes();
  showTake(index + step, take.start, false);
}

function deleteTake(index) {
  if (takes.length === 1) return;
  takes.splice(index, 1);
  drawTakes();
  showTake(Math.min(index, takes.length - 1), takes[Math.min(index, takes.length - 1)].start, false);
}

function recordAnotherTake() {
  preview().pause();
  showStep("capture");
  $("[data-back-to-editor]").hidden = false;
  $("[data-capture-status]").textContent = `Take ${takes.length + 1}: it plays after the others.`;
  cam.reset();
  cam.start();
}

// --- edit ------------------------------------------------------------------

/** Point the trim handles at the take in the preview; `fresh` redraws its filmstrip. */
function syncTrim(fresh = false) {
  const take = takes[current];
  if (!take) return;
  const [startInput, endInput] = [$("[name=trim_start]"), $("[name=trim_end]")];
  const which = $("[data-trim-which]");
  which.hidden = takes.length < 2;
  which.textContent = `Take ${current + 1} of ${takes.length}`;
  // Until the take is measured it is posted whole: no trim from a length not yet known.
  for (const input of [startInput, endInput]) {
    input.disabled = !take.measured;
    if (take.measured) { input.max = take.durationMs; input.step = 100; }
  }
  if (!take.measured) return;
  startInput.value = take.start;
  endInput.value = take.end;
  drawTrimWindow();
  if (fresh || $("[data-filmstrip]").dataset.take !== take.url) drawFilmstrip(take.url, take.durationMs);
}

function updateTrim(event) {
  const take = takes[current];
  const startInput = $("[name=trim_start]");
  const endInput = $("[name=trim_end]");
  let start = Number(startInput.value);
  let end = Number(endInput.value);
  const gap = 500;
  if (end - start < gap) {
    if (event?.target === startInput) start = Math.max(0, end - gap);
    else end = Math.min(take.durationMs, start + gap);
    startInput.value = start;
    endInput.value = end;
  }
  take.start = start;
  take.end = end;
  drawTrimWindow();
  drawTakes();
}

function drawTrimWindow() {
  const take = takes[current];
  const total = take.durationMs || 1;
  const windowEl = $("[data-trim-window]");
  windowEl.style.left = `${(take.start / total) * 100}%`;
  windowEl.style.width = `${((take.end - take.start) / total) * 100}%`;
  $("[name=trim_start]").setAttribute("aria-valuetext", `${(take.start / 1000).toFixed(1)} seconds`);
  $("[name=trim_end]").setAttribute("aria-valuetext", `${(take.end / 1000).toFixed(1)} seconds`);
  updateLength();
}

function updateLength() {
  const stitched = remix?.kind === "stitch" ? stitchRange.end_ms - stitchRange.start_ms : 0;
  const seconds = (takes.reduce((sum, t) => sum + takeLength(t), 0) / edit.speed + stitched) / 1000;
  const limit = Number($("[name=length_limit]").value);
  const note = $("[data-length-note]");
  note.textContent = `Final length ${seconds.toFixed(1)} s of ${limit} s`;
  note.classList.toggle("error", seconds > limit + 0.05);
}

async function drawFilmstrip(url, durationMs) {
  const strip = $("[data-filmstrip]");
  strip.dataset.take = url;
  strip.querySelectorAll("canvas").forEach((c) => c.remove());
  const frames = 8;
  const probe = h("video", { muted: true, playsinline: true, preload: "auto" });
  probe.src = url;
  await new Promise((resolve) => { probe.addEventListener("loadeddata", resolve, { once: true }); probe.addEventListener("error", resolve, { once: true }); });
  for (let i = 0; i < frames; i++) {
    if (strip.dataset.take !== url) return; // another take was chosen meanwhile
    const canvas = h("canvas", { width: 45, height: 80, "aria-hidden": "true" });
    strip.insertBefore(canvas, strip.querySelector("[data-trim-window]"));
    await new Promise((resolve) => {
      probe.addEventListener("seeked", resolve, { once: true });
      probe.currentTime = ((i + 0.5) / frames) * (durationMs / 1000);
      setTimeout(resolve, 1500);
    });
    const context = canvas.getContext("2d");
    const ratio = probe.videoWidth / probe.videoHeight || 9 / 16;
    const width = 80 * ratio;
    context.drawImage(probe, (45 - width) / 2, 0, width, 80);
    if (i === Math.floor(frames / 2)) paintSwatches(probe, ratio);
  }
  probe.removeAttribute("src");
}

/** Filter swatches show the clip's own middle frame, each under its filter (canvases: the CSP allows no data: images). */
function paintSwatches(probe, ratio) {
  for (const swatch of document.querySelectorAll("[data-filters] .swatch")) {
    const canvas = swatch.querySelector("canvas") || swatch.appendChild(h("canvas", { width: 112, height: 144 }));
    const width = 144 * ratio;
    canvas.getContext("2d").drawImage(probe, (112 - width) / 2, 0, width, 144);
    swatch.dataset.frame = "clip";
  }
}

/** The merchant's catalog as a checklist in the editor (hidden for people without a shop). */
async function setUpProductTags() {
  const catalog = await myCatalog().catch(() => null);
  if (!catalog || !catalog.length) return;
  renderChecklist($("[data-product-list]"), catalog);
  $("[data-product-tags]").hidden = false;
}

async function tagProducts(videoId) {
  const list = $("[data-product-list]");
  const chosen = list ? checkedIds(list) : [];
  if (!chosen.length) return;
  try {
    await saveTags(videoId, chosen);
  } catch (error) {
    toast(`Posted, but the products were not tagged: ${error.message}`);
  }
}

let filters = [];
function chooseFilter(name) {
  edit.filter = name;
  preview().style.filter = (filters.find((f) => f.name === name) || { css: "none" }).css;
  pressed($("[data-filters]"), name);
}

function chooseSpeed(speed) {
  edit.speed = speed;
  preview().playbackRate = speed;
  preview().preservesPitch = true;
  pressed($("[data-speeds]"), speed);
  updateLength();
}

function setUpEditor() {
  const video = preview();
  video.loop = false;
  video.addEventListener("timeupdate", () => {
    const take = takes[current];
    if (!take) return;
    const t = video.currentTime * 1000;
    if (take.measured && t > take.end) advance();
    else if (t < take.start - 50) video.currentTime = take.start / 1000;
    showCue();
  });
  video.addEventListener("ended", advance);
  video.addEventListener("play", () => { if (outputNow() < 100) restartSounds(); else voice?.resume(); });
  video.addEventListener("pause", () => voice?.pause());
  $("[name=trim_start]").addEventListener("input", updateTrim);
  $("[name=trim_end]").addEventListener("input", updateTrim);

  const speeds = $("[data-speeds]");
  for (const speed of options.speeds) {
    speeds.append(h("button", { type: "button", "data-value": speed, "aria-pressed": String(speed === 1) }, `${speed}×`));
  }
  speeds.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (button) chooseSpeed(Number(button.dataset.value));
  });

  const plain = { name: "none", label: "Normal", css: "none" };
  filters = options.filters.some((f) => f.name === "none") ? options.filters : [plain, ...options.filters];
  const group = $("[data-filters]");
  for (const filter of filters) {
    group.append(h("button", { type: "button", "data-value": filter.name, "aria-pressed": String(filter.name === "none"), "aria-label": `Filter ${filter.label}` },
      h("span", { class: "swatch", style: `filter: ${filter.css}`, "aria-hidden": "true" }), filter.label));
  }
  group.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (button) chooseFilter(button.dataset.value);
  });

  setUpMusic(video);
  setUpCaptions();
  voice = voiceOver({
    recordButton: $("[data-voiceover-record]"),
    removeButton: $("[data-voiceover-remove]"),
    status: $("[data-voiceover-status]"),
    audio: $("[data-voiceover-preview]"),
    preview: video,
    playFromStart: () => { seekOutput(0); video.muted = true; video.play().catch(() => {}); },
    onChange: () => { video.muted = false; },
  });
  $("[name=voiceover_volume]").addEventListener("input", (e) => { edit.voiceVolume = Number(e.target.value) / 100; voice.volume(edit.voiceVolume); });
  $("[data-record-take]").addEventListener("click", recordAnotherTake);
  const editorReady = overlayEditor({ card: $("[data-overlays]"), preview: video, layer: $("[data-overlay-layer]"), frame: outputFrame, now: outputNow, onEmptyTap: togglePlay })
    .then((editor) => { overlays = editor; window.clipdeckOverlays = editor; return editor; })
    .catch((error) => { toast(error.message); return null; });
  return editorReady;
}

/** A tap on the preview with nothing selected plays or pauses it. */
function togglePlay() {
  const video = preview();
  if (video.paused) video.play().catch(() => {});
  else video.pause();
}

/** The preview reached the end of a take: the next take, or the first again. */
function advance() {
  const next = (current + 1) % takes.length;
  if (next === 0) restartSounds();
  if (takes.length === 1) {
    preview().currentTime = takes[0].start / 1000;
    preview().play().catch(() => {});
    return;
  }
  showTake(next, takes[next].start, true);
}

function restartSounds() {
  const music = $("[data-music-preview]");
  if (edit.sound) { music.currentTime = 0; music.play().catch(() => {}); }
  voice?.restart();
}

function setUpMusic(video) {
  const genre = $("[name=genre]");
  for (const name of options.genres) genre.append(h("option", { value: name }, name[0].toUpperCase() + name.slice(1)));
  const list = $("[data-sounds]");
  const music = $("[data-music-preview]");
  const chosen = $("[data-sound-chosen]");

  function choose(sound) {
    edit.sound = sound;
    chosen.textContent = sound ? `♫ ${sound.title} · ${sound.artist}` : "No music";
    for (const row of list.children) row.setAttribute("aria-selected", String(Boolean(sound) && row.dataset.id === String(sound.id)));
    if (sound) {
      music.src = sound.audio;
      music.volume = Math.min(1, edit.musicVolume);
      music.currentTime = 0;
      if (!video.paused) music.play().catch(() => {});
    } else {
      music.pause();
    }
  }
  chooseSound = choose;

  async function load() {
    list.replaceChildren(h("li", { class: "muted" }, "Loading…"));
    try {
      const page = await api(`sounds?limit=50${genre.value ? `&genre=${encodeURIComponent(genre.value)}` : ""}`);
      list.replaceChildren(...page.items.map((sound) => h("li", { "data-id": sound.id, "aria-selected": String(edit.sound?.id === sound.id) },
        h("button", { type: "button", class: "chip", "aria-label": `Preview ${sound.title}`, onclick: () => {
          const playing = music.src.endsWith(sound.audio) && !music.paused;
          music.src = sound.audio; music.volume = Math.min(1, edit.musicVolume);
          if (playing) music.pause(); else music.play().catch(() => {});
        } }, "▶"),
        h("div", { class: "grow" }, sound.title, h("small", {}, `${sound.artist} · ${Math.round(sound.duration_ms / 1000)} s · ${sound.licence}`)),
        h("button", { type: "button", class: "button small", onclick: () => choose(sound) }, "Use"))));
      if (!page.items.length) list.replaceChildren(h("li", { class: "muted" }, "No sounds in this genre yet."));
    } catch (error) {
      list.replaceChildren(h("li", { class: "error" }, error.message));
    }
  }
  genre.addEventListener("change", load);
  $("[data-no-music]").addEventListener("click", () => choose(null));
  $("[name=music_volume]").addEventListener("input", (e) => { edit.musicVolume = Number(e.target.value) / 100; music.volume = Math.min(1, edit.musicVolume); });
  $("[name=original_volume]").addEventListener("input", (e) => { edit.originalVolume = Number(e.target.value) / 100; video.volume = Math.min(1, edit.originalVolume); });
  video.addEventListener("play", () => edit.sound && music.play().catch(() => {}));
  video.addEventListener("pause", () => music.pause());
  load();

  const preset = params.get("sound");
  if (preset) api(`sounds/${preset}`).then(choose).catch((error) => toast(error.message));
}
let chooseSound = () => {};

// --- captions --------------------------------------------------------------

function setUpCaptions() {
  cues = cueEditor({ list: $("[data-cues]"), seek: (ms) => { seekOutput(ms); showCue(); }, onChange: showCue });
  $("[data-add-cue]").addEventListener("click", () => cues.add(outputNow()));
  $("[data-auto-caption]").addEventListener("click", runAutoCaption);
}

/** The cue at the preview's moment, drawn over it as the feed shows captions. */
function showCue() {
  const line = $("[data-caption-preview]");
  const cue = cues?.at(outputNow());
  line.hidden = !cue;
  line.textContent = cue ? cue.text : "";
}

async function runAutoCaption() {
  const button = $("[data-auto-caption]");
  const status = $("[data-captions-status]");
  button.disabled = true;
  try {
    const id = await ensureRendered((text) => { status.textContent = text; });
    const suggested = await autoCaption(id, (text) => { status.textContent = text; });
    if (suggested.cues.length) cues.set(suggested.cues, { dirty: true });
    status.textContent = suggested.message || (suggested.cues.length
      ? `${suggested.cues.length} cues suggested. Check them, fix any word, then post: viewers see them only once you save.`
      : "No speech was heard. You can add cues by hand.");
  } catch (error) {
    status.textContent = error.message;
    status.classList.add("error");
  } finally {
    button.disabled = false;
  }
}

/**
 * Auto-captions listen to the rendered video, so a new one is saved as a draft
 * first (the editor then saves to that draft). Returns the draft's id.
 */
async function ensureRendered(say) {
  if (draftId && (savedSpec === null || savedSpec === JSON.stringify(editSpec()))) return draftId;
  if (draftId) {
    say("Rendering your changes first…");
    await api(`videos/${draftId}`, { method: "PATCH", json: { edit: editSpec() } });
  } else {
    say("Saving your video as a draft to listen to it…");
    const created = await upload(remix ? `videos/${remix.id}/${remix.kind}` : "videos", uploadForm(true), () => {});
    draftId = created.id;
  }
  savedSpec = JSON.stringify(editSpec());
  const video = await untilRendered(draftId, () => say("Rendering your video…"));
  if (video.status === "failed") throw new Error(`This video could not be processed: ${video.error || "unknown error"}`);
  return draftId;
}

async function untilRendered(id, onWait) {
  for (;;) {
    const video = await api(`videos/${id}`);
    if (video.status !== "processing") return video;
    onWait?.();
    await new Promise((resolve) => setTimeout(resolve, 1500));
  }
}

// --- post ------------------------------------------------------------------

function trimOf(take) {
  const trimmed = take.measured && (take.start > 0 || take.end < take.durationMs);
  return trimmed ? { start_ms: Math.round(take.start), end_ms: Math.round(take.end) } : null;
}

/** The `edit` object for the API (shared/API.md, "Creation"): `file` is the first
 * take, cut by `trim`; `clips` are the takes after it, each its own upload field. */
function editSpec() {
  const spec = { speed: edit.speed, filter: edit.filter, original_volume: edit.originalVolume };
  if (takes[0] && trimOf(takes[0])) spec.trim = trimOf(takes[0]);
  if (takes.length > 1) {
    spec.clips = takes.slice(1).map((take, index) => {
      const clip = { upload: `clip${index + 1}` };
      const trim = trimOf(take);
      if (trim) clip.trim = trim;
      return clip;
    });
  }
  // A reopened draft names the takes and voice-over it keeps (a PATCH sends no files).
  if (kept.clips) spec.clips = kept.clips;
  if (edit.sound) spec.sound = { id: edit.sound.id, offset_ms: 0, volume: edit.musicVolume };
  if (voice?.take) spec.voiceover = { upload: "voiceover", volume: edit.voiceVolume };
  else if (kept.voiceover) spec.voiceover = { ...kept.voiceover, volume: edit.voiceVolume };
  if (overlays) {
    const placed = overlays.spec();
    if (placed.texts.length) spec.texts = placed.texts;
    if (placed.stickers.length) spec.stickers = placed.stickers;
  }
  return spec;
}

function settingsOf(form) {
  const fields = { caption: form.caption.value, visibility: form.visibility.value };
  for (const name of ["allow_duet", "allow_react", "allow_stitch", "allow_comments"]) fields[name] = form[name].checked;
  return fields;
}

function uploadForm(draft) {
  const form = $("[data-post-form]");
  const data = new FormData();
  data.append("file", takes[0].blob, takes[0].name);
  takes.slice(1).forEach((take, index) => data.append(`clip${index + 1}`, take.blob, take.name));
  if (voice?.take) data.append("voiceover", voice.take.blob, voice.take.name);
  for (const [name, value] of Object.entries(settingsOf(form))) data.append(name, String(value));
  data.append("draft", String(draft));
  data.append("length_limit", $("[name=length_limit]").value);
  data.append("edit", JSON.stringify(editSpec()));
  if (remix?.kind === "react" && pip) data.append("pip", JSON.stringify(pip.position()));
  if (remix?.kind === "stitch") data.append("source_trim", JSON.stringify(stitchRange));
  return data;
}

async function post(draft) {
  const form = $("[data-post-form]");
  const error = $("[data-post-error]");
  error.textContent = "";
  const bar = $("[data-upload-progress]");
  const buttons = form.querySelectorAll("button");
  buttons.forEach((b) => { b.disabled = true; });
  try {
    let id;
    // Burnt-in captions are drawn from the stored ones, so they render after the captions are saved.
    let burn = $("[name=burn_captions]").checked && cues.valid().length > 0;
    if (draftId) {
      // Saving to a draft on the server: its words and settings, and a new edit when it changed.
      const changes = settingsOf(form);
      const spec = editSpec();
      if (savedSpec === null || savedSpec !== JSON.stringify(spec)) {
        changes.edit = spec;
        if (burn && !cues.dirty) { changes.edit.burn_captions = true; burn = false; }
      } else if (burn === Boolean(reopened?.edit?.burn_captions) && !cues.dirty) {
        burn = false; // rendered that way already
      }
      await api(`videos/${draftId}`, { method: "PATCH", json: changes });
      id = draftId;
    } else {
      bar.hidden = false;
      const path = remix ? `videos/${remix.id}/${remix.kind}` : "videos";
      const captioned = (cues.dirty && cues.valid().length > 0) || burn;
      // Captions are stored once the render knows the video's length: a post with
      // captions renders as a draft, gets them, then goes live.
      const created = await upload(path, uploadForm(draft || captioned), (fraction) => {
        bar.querySelector("div").style.width = `${Math.round(fraction * 100)}%`;
        bar.setAttribute("aria-valuenow", String(Math.round(fraction * 100)));
      });
      id = created.id;
    }
    preview().pause();
    $("[data-music-preview]").pause();
    voice?.pause();
    showStep("processing");
    await tagProducts(id);
    watch(id, { publish: !draft, burn });
  } catch (err) {
    error.textContent = err.message;
    buttons.forEach((b) => { b.disabled = false; });
    bar.hidden = true;
  }
}

/** Poll the video until it is rendered, then store its captions (and post it), saying so in words. */
async function watch(id, { publish, burn }) {
  const status = $("[data-processing-status]");
  const spinner = $("[data-processing] .spinner");
  const actions = $("[data-processing-actions]");
  let video;
  try {
    video = await untilRendered(id, () => { status.textContent = "Processing your video… You can leave this page; it keeps going."; });
    if (video.status !== "failed" && cues.dirty) {
      status.textContent = "Saving the captions…";
      await saveCaptions(id, cues.valid());
    }
    if (video.status === "draft" && burn) {
      status.textContent = "Drawing the captions into the picture…";
      await api(`videos/${id}`, { method: "PATCH", json: { edit: { ...editSpec(), burn_captions: true } } });
      video = await untilRendered(id);
    }
    if (video.status === "draft" && publish) {
      status.textContent = "Posting…";
      video = await api(`videos/${id}/publish`, { method: "POST" });
    }
  } catch (error) {
    status.textContent = error.message;
    status.classList.add("error");
    spinner.hidden = true;
    actions.replaceChildren(h("a", { class: "button", href: `/studio?draft=${id}` }, "Open in the editor"));
    return;
  }
  spinner.hidden = true;
  if (video.status === "failed") {
    status.textContent = `This video could not be processed: ${video.error || "unknown error"}`;
    status.classList.add("error");
    status.setAttribute("role", "alert");
    actions.replaceChildren(h("a", { class: "button", href: location.pathname + location.search }, "Try again"));
  } else if (video.status === "draft") {
    status.textContent = "Saved to your drafts. Only you can see it.";
    actions.replaceChildren(h("a", { class: "button", href: `/v/${id}` }, "Watch the draft"),
      h("a", { class: "button ghost", href: `/studio?draft=${id}` }, "Edit again"),
      h("a", { class: "button ghost", href: "/me/drafts" }, "Open drafts"));
  } else {
    status.textContent = "Posted!";
    actions.replaceChildren(h("a", { class: "button", href: `/v/${id}` }, "View video"),
      h("a", { class: "button ghost", href: "/studio" }, "Create another"));
  }
}

// --- reopening a draft -------------------------------------------------------

/** Load a draft's edit into the editor; the preview plays its kept original. */
async function reopen(state, overlaysReady) {
  $("[data-remix-title]").textContent = "Edit your draft";
  $("[name=length_limit]").value = state.length_limit_seconds || options.default_length_seconds;
  const form = $("[data-post-form]");
  form.caption.value = state.caption;
  form.visibility.value = state.visibility;
  for (const name of ["allow_duet", "allow_react", "allow_stitch", "allow_comments"]) form[name].checked = state[name] ?? true;
  const spec = state.edit || {};
  const note = $("[data-editor-note]");
  if (state.error) { note.hidden = false; note.textContent = `The last render failed: ${state.error}`; }
  const trim = spec.trim || {};
  addTake({ blob: null, url: state.original, name: "original", durationMs: null, start: trim.start_ms || 0, end: trim.end_ms ?? null });
  chooseSpeed(spec.speed || 1);
  chooseFilter(spec.filter || "none");
  edit.originalVolume = spec.original_volume ?? 1;
  $("[name=original_volume]").value = String(Math.round(edit.originalVolume * 100));
  if (spec.sound) {
    edit.musicVolume = spec.sound.volume ?? 0.8;
    $("[name=music_volume]").value = String(Math.round(edit.musicVolume * 100));
    api(`sounds/${spec.sound.id}`).then(chooseSound).catch(() => toast("The music of this draft is no longer available."));
  }
  // A reopened draft edits its first take; its other takes and voice-over are kept as
  // they were (a PATCH sends no files), so new ones need a new video.
  kept.clips = spec.clips?.length ? spec.clips.map((c) => (c.trim ? c : { upload: c.upload })) : null;
  kept.voiceover = spec.voiceover || null;
  if (kept.voiceover) {
    edit.voiceVolume = kept.voiceover.volume ?? 1;
    $("[name=voiceover_volume]").value = String(Math.round(edit.voiceVolume * 100));
  }
  $("[name=burn_captions]").checked = Boolean(spec.burn_captions);
  for (const control of [$("[data-record-take]"), $("[data-pick-take]"), $("[data-voiceover-record]")]) control.disabled = true;
  $("[data-takes-status]").textContent = kept.clips
    ? `This draft joins ${kept.clips.length} more take${kept.clips.length > 1 ? "s" : ""} after this one; they are kept as they were. To add takes, start a new video.`
    : "A reopened draft edits its recording; to add takes, start a new video.";
  $("[data-voiceover-status]").textContent = kept.voiceover
    ? "This draft keeps its voice-over; you can change its volume."
    : "A voice-over is recorded with a new video.";
  $("[data-tool-button=post]").textContent = "Next";
  form.querySelector('button[value="post"]').textContent = "Save and post";
  form.querySelector('button[value="draft"]').textContent = "Save draft";
  const editor = await overlaysReady;
  editor?.load(spec.texts || [], spec.stickers || []);
  cues.set(await loadCaptions(state.id));
  // What the draft was rendered with, as this editor writes it: saving it unchanged
  // (or auto-captioning) renders nothing again.
  takes[0].ready.then(() => { savedSpec = JSON.stringify(editSpec()); });
}

async function main() {
  if (remix) document.body.dataset.remix = remix.kind;
  options = await api("studio/options");
  tools = editorTools($("[data-editor]"));
  if (remix) await loadSource();
  const overlaysReady = setUpEditor();
  setUpProductTags();
  $("[data-post-form]").addEventListener("submit", (event) => { event.preventDefault(); post(event.submitter?.value === "draft"); });
  $("[data-retake]").addEventListener("click", () => { location.href = reopened ? "/me/drafts" : location.pathname + location.search; });
  $("[data-editor]").addEventListener("toolchange", () => overlays?.redraw());
  if (reopened) {
    $("[data-retake]").textContent = "Back to drafts";
    $("[data-step-marker=capture]").hidden = true;
    await reopen(reopened, overlaysReady);
    tools.start();
    return;
  }
  showStep("capture");
  await setUpCapture();
  tools.start();
}

main().catch((error) => { $("[data-capture-status]").textContent = error.message; });
