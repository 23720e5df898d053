// The studio: record (or pick a file), edit, then post or save a draft.
// The server render is authoritative; previews here are CSS/media-element approximations.
import { api, h, toast, upload } from "./api.js";
import { overlayEditor } from "./overlays.js";
import { checkedIds, myCatalog, renderChecklist, saveTags } from "../../shop/tagger.js";
import { videoFileProblem } from "./filecheck.js";
import { pipBox } from "./pip.js";
import { recorder } from "./recorder.js";

const $ = (selector) => document.querySelector(selector);
const root = $("[data-studio]");
const params = new URLSearchParams(location.search);
const remix = params.get("duet") ? { kind: "duet", id: params.get("duet") }
  : params.get("react") ? { kind: "react", id: params.get("react") } : null;

const edit = { start: 0, end: 0, speed: 1, filter: "none", sound: null, musicVolume: 0.8, originalVolume: 1 };
let options;
let take = null; // { blob, name, durationMs }
let source = null; // the remixed video, when duetting or reacting
let pip = null;
let overlays = null;

/** The output frame the engine will render for the previewed take (geometry.output_frame). */
function outputFrame() {
  const preview = $("[data-preview]");
  const [w, hgt] = [preview.videoWidth || 1080, preview.videoHeight || 1920];
  const even = (v) => Math.max(2, Math.round(v / 2) * 2);
  const width = Math.min(1080, even(Math.min(1080, Math.max(w, hgt * 9 / 16))));
  return [width, Math.min(1920, even(width * 16 / 9))];
}

function showStep(name) {
  for (const step of root.querySelectorAll("[data-step]")) step.hidden = step.dataset.step !== name;
  for (const marker of root.querySelectorAll("[data-step-marker]")) {
    if (marker.dataset.stepMarker === name) marker.setAttribute("aria-current", "step");
    else marker.removeAttribute("aria-current");
  }
  root.querySelector(`[data-step="${name}"] h2`)?.focus();
}

function pressed(group, value) {
  for (const button of group.querySelectorAll("button")) {
    button.setAttribute("aria-pressed", String(button.dataset.value === String(value)));
  }
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

  const cam = recorder({
    preview: $("[data-camera]"),
    button: $("[data-record]"),
    ring: $("[data-ring]"),
    countdown: $("[data-countdown]"),
    useCountdown: () => $("[name=countdown]").checked,
    done: $("[data-done]"),
    discard: $("[data-discard]"),
    status: $("[data-capture-status]"),
    limitMs: options.default_length_seconds * 1000,
    onStart: () => { if (source) { $("[data-source]").currentTime = 0; $("[data-source]").play().catch(() => {}); } },
    onPause: () => source && $("[data-source]").pause(),
    onResume: () => source && $("[data-source]").play().catch(() => {}),
    onFinish: (blob, durationMs) => {
      if (source) $("[data-source]").pause();
      const ext = blob.type.includes("mp4") ? "mp4" : "webm";
      useTake({ blob, name: `recording.${ext}`, durationMs });
    },
  });
  $("[data-pick]").addEventListener("change", async (event) => {
    const file = event.target.files[0];
    if (!file) return;
    const problem = await videoFileProblem(file, options.max_upload_mb);
    if (problem) {
      $("[data-capture-status]").textContent = problem;
      event.target.value = "";
      return;
    }
    cam.stop();
    useTake({ blob: file, name: file.name, durationMs: null });
  });
  await cam.start();

}

async function loadSource() {
  try {
    source = await api(`videos/${remix.id}`);
  } catch (error) {
    $("[data-capture-status]").textContent = error.message;
    return;
  }
  const allowed = remix.kind === "duet" ? source.allow_duet : source.allow_react;
  $("[data-remix-title]").textContent = `${remix.kind === "duet" ? "Duet" : "React"} with @${source.author.handle}`;
  if (!allowed) {
    $("[data-capture-status]").textContent = `@${source.author.handle} does not allow ${remix.kind}s of this video.`;
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
  } else {
    stage.prepend(sourceVideo);
    pip = pipBox(stage, camera);
  }
}

// --- edit ------------------------------------------------------------------

function useTake(newTake) {
  take = newTake;
  // Until the preview is measured (a recorded WebM can take a moment), the take is
  // posted whole: no trim is sent, rather than one from a length not yet known.
  edit.start = 0;
  edit.end = take.durationMs || 0;
  for (const input of [$("[name=trim_start]"), $("[name=trim_end]")]) input.disabled = true;
  const preview = $("[data-preview]");
  preview.src = URL.createObjectURL(take.blob);
  preview.addEventListener("loadedmetadata", () => measure(preview), { once: true });
  showStep("edit");
}

function measure(preview) {
  // Recorded WebM has no duration until the browser has seen its end.
  if (Number.isFinite(preview.duration) && preview.duration > 0) return ready(preview, preview.duration * 1000);
  preview.currentTime = 1e9;
  preview.addEventListener("timeupdate", () => {
    const ms = Number.isFinite(preview.duration) ? preview.duration * 1000 : take.durationMs || 0;
    preview.currentTime = 0;
    ready(preview, ms);
  }, { once: true });
}

function ready(preview, durationMs) {
  take.durationMs = Math.round(durationMs);
  edit.start = 0;
  edit.end = take.durationMs;
  const [startInput, endInput] = [$("[name=trim_start]"), $("[name=trim_end]")];
  for (const input of [startInput, endInput]) {
    input.max = take.durationMs;
    input.step = 100;
    input.disabled = false;
  }
  startInput.value = 0;
  endInput.value = take.durationMs;
  updateTrim();
  drawFilmstrip(take.blob, take.durationMs);
  preview.play().catch(() => {});
}

function updateTrim(event) {
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
  edit.start = start;
  edit.end = end;
  const total = take.durationMs || 1;
  const windowEl = $("[data-trim-window]");
  windowEl.style.left = `${(start / total) * 100}%`;
  windowEl.style.width = `${((end - start) / total) * 100}%`;
  startInput.setAttribute("aria-valuetext", `${(start / 1000).toFixed(1)} seconds`);
  endInput.setAttribute("aria-valuetext", `${(end / 1000).toFixed(1)} seconds`);
  updateLength();
}

function updateLength() {
  const seconds = (edit.end - edit.start) / edit.speed / 1000;
  const limit = Number($("[name=length_limit]").value);
  const note = $("[data-length-note]");
  note.textContent = `Final length ${seconds.toFixed(1)} s of ${limit} s`;
  note.classList.toggle("error", seconds > limit + 0.05);
}

async function drawFilmstrip(blob, durationMs) {
  const strip = $("[data-filmstrip]");
  strip.querySelectorAll("canvas").forEach((c) => c.remove());
  const frames = 8;
  const probe = h("video", { muted: true, playsinline: true, preload: "auto" });
  probe.src = URL.createObjectURL(blob);
  await new Promise((resolve) => probe.addEventListener("loadeddata", resolve, { once: true }));
  for (let i = 0; i < frames; i++) {
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
  URL.revokeObjectURL(probe.src);
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

/** Filter swatches show the clip's own middle frame, each under its filter. */
function paintSwatches(probe, ratio) {
  const canvas = h("canvas", { width: 112, height: 144 });
  const width = 144 * ratio;
  canvas.getContext("2d").drawImage(probe, (112 - width) / 2, 0, width, 144);
  const url = canvas.toDataURL("image/jpeg", 0.8);
  for (const swatch of document.querySelectorAll("[data-filters] .swatch")) {
    swatch.style.backgroundImage = `url("${url}")`;
    swatch.dataset.frame = "clip";
  }
}

function setUpEditor() {
  const preview = $("[data-preview]");
  preview.addEventListener("timeupdate", () => {
    const t = preview.currentTime * 1000;
    if (t < edit.start - 50 || t > edit.end) {
      preview.currentTime = edit.start / 1000;
      const music = $("[data-music-preview]");
      if (edit.sound && !music.paused) music.currentTime = 0;
    }
  });
  $("[name=trim_start]").addEventListener("input", updateTrim);
  $("[name=trim_end]").addEventListener("input", updateTrim);

  const speeds = $("[data-speeds]");
  for (const speed of options.speeds) {
    speeds.append(h("button", { type: "button", "data-value": speed, "aria-pressed": String(speed === 1) }, `${speed}×`));
  }
  speeds.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button) return;
    edit.speed = Number(button.dataset.value);
    preview.playbackRate = edit.speed;
    preview.preservesPitch = true;
    pressed(speeds, button.dataset.value);
    updateLength();
  });

  const filters = $("[data-filters]");
  const plain = { name: "none", label: "Normal", css: "none" };
  const all = options.filters.some((f) => f.name === "none") ? options.filters : [plain, ...options.filters];
  for (const filter of all) {
    filters.append(h("button", { type: "button", "data-value": filter.name, "aria-pressed": String(filter.name === "none"), "aria-label": `Filter ${filter.label}` },
      h("span", { class: "swatch", style: `filter: ${filter.css}`, "aria-hidden": "true" }), filter.label));
  }
  filters.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button) return;
    edit.filter = button.dataset.value;
    preview.style.filter = all.find((f) => f.name === edit.filter).css;
    pressed(filters, edit.filter);
  });

  setUpMusic(preview);
  overlayEditor({ card: $("[data-overlays]"), preview, layer: $("[data-overlay-layer]"), frame: outputFrame })
    .then((editor) => { overlays = editor; window.clipdeckOverlays = editor; })
    .catch((error) => toast(error.message));
}

function setUpMusic(preview) {
  const genre = $("[name=genre]");
  for (const name of options.genres) genre.append(h("option", { value: name }, name[0].toUpperCase() + name.slice(1)));
  const list = $("[data-sounds]");
  const music = $("[data-music-preview]");
  const chosen = $("[data-sound-chosen]");

  function choose(sound) {
    edit.sound = sound;
    chosen.textContent = sound ? `♫ ${sound.title} · ${sound.artist}` : "No music";
    for (const row of list.children) row.setAttribute("aria-selected", String(sound && row.dataset.id === String(sound.id)));
    if (sound) {
      music.src = sound.audio;
      music.volume = edit.musicVolume;
      music.currentTime = 0;
      if (!preview.paused) music.play().catch(() => {});
    } else {
      music.pause();
    }
  }

  async function load() {
    list.replaceChildren(h("li", { class: "muted" }, "Loading…"));
    try {
      const page = await api(`sounds?limit=50${genre.value ? `&genre=${encodeURIComponent(genre.value)}` : ""}`);
      list.replaceChildren(...page.items.map((sound) => h("li", { "data-id": sound.id, "aria-selected": String(edit.sound?.id === sound.id) },
        h("button", { type: "button", class: "chip", "aria-label": `Preview ${sound.title}`, onclick: () => {
          const playing = music.src.endsWith(sound.audio) && !music.paused;
          music.src = sound.audio; music.volume = edit.musicVolume;
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
  $("[name=music_volume]").addEventListener("input", (e) => { edit.musicVolume = Number(e.target.value) / 100; music.volume = edit.musicVolume; });
  $("[name=original_volume]").addEventListener("input", (e) => { edit.originalVolume = Number(e.target.value) / 100; preview.volume = edit.originalVolume; });
  preview.addEventListener("play", () => edit.sound && music.play().catch(() => {}));
  preview.addEventListener("pause", () => music.pause());
  load();

  const preset = params.get("sound");
  if (preset) api(`sounds/${preset}`).then(choose).catch((error) => toast(error.message));
}

// --- post ------------------------------------------------------------------

function editSpec() {
  const spec = { speed: edit.speed, filter: edit.filter, original_volume: edit.originalVolume };
  const trimmed = edit.start > 0 || (edit.end > 0 && edit.end < take.durationMs);
  if (trimmed) spec.trim = { start_ms: Math.round(edit.start), end_ms: Math.round(edit.end) };
  if (edit.sound) spec.sound = { id: edit.sound.id, offset_ms: 0, volume: edit.musicVolume };
  if (overlays) Object.assign(spec, overlays.spec());
  return spec;
}

async function post(draft) {
  const form = $("[data-post-form]");
  const error = $("[data-post-error]");
  error.textContent = "";
  const data = new FormData();
  data.append("file", take.blob, take.name);
  data.append("caption", form.caption.value);
  data.append("visibility", form.visibility.value);
  data.append("draft", String(draft));
  for (const name of ["allow_duet", "allow_react", "allow_comments"]) data.append(name, String(form[name].checked));
  data.append("length_limit", $("[name=length_limit]").value);
  data.append("edit", JSON.stringify(editSpec()));
  if (remix?.kind === "react" && pip) data.append("pip", JSON.stringify(pip.position()));
  const path = remix ? `videos/${remix.id}/${remix.kind}` : "videos";

  const bar = $("[data-upload-progress]");
  const buttons = form.querySelectorAll("button");
  buttons.forEach((b) => { b.disabled = true; });
  bar.hidden = false;
  try {
    const created = await upload(path, data, (fraction) => {
      bar.querySelector("div").style.width = `${Math.round(fraction * 100)}%`;
      bar.setAttribute("aria-valuenow", String(Math.round(fraction * 100)));
    });
    $("[data-preview]").pause();
    $("[data-music-preview]").pause();
    showStep("processing");
    await tagProducts(created.id);
    watch(created.id);
  } catch (err) {
    error.textContent = err.message;
    buttons.forEach((b) => { b.disabled = false; });
    bar.hidden = true;
  }
}

/** Poll the new video until it is ready or failed, saying so in words. */
async function watch(id) {
  const status = $("[data-processing-status]");
  const spinner = $("[data-processing] .spinner");
  const actions = $("[data-processing-actions]");
  for (;;) {
    let video;
    try {
      video = await api(`videos/${id}`);
    } catch (error) {
      status.textContent = error.message;
      return;
    }
    if (video.status === "processing") {
      status.textContent = "Processing your video… You can leave this page; it keeps going.";
      await new Promise((r) => setTimeout(r, 1500));
      continue;
    }
    spinner.hidden = true;
    if (video.status === "failed") {
      status.textContent = `This video could not be processed: ${video.error || "unknown error"}`;
      status.classList.add("error");
      status.setAttribute("role", "alert");
      actions.replaceChildren(h("a", { class: "button", href: location.pathname + location.search }, "Try again"));
    } else if (video.status === "draft") {
      status.textContent = "Saved to your drafts. Only you can see it.";
      actions.replaceChildren(h("a", { class: "button", href: "/me/drafts" }, "Open drafts"));
    } else {
      status.textContent = "Posted!";
      actions.replaceChildren(h("a", { class: "button", href: `/v/${id}` }, "View video"),
        h("a", { class: "button ghost", href: "/studio" }, "Create another"));
    }
    return;
  }
}

async function main() {
  options = await api("studio/options");
  if (remix) await loadSource();
  setUpEditor();
  setUpProductTags();
  $("[data-post-form]").addEventListener("submit", (event) => { event.preventDefault(); post(event.submitter?.value === "draft"); });
  $("[data-retake]").addEventListener("click", () => location.reload());
  showStep("capture");
  await setUpCapture();
}

main().catch((error) => { $("[data-capture-status]").textContent = error.message; });
