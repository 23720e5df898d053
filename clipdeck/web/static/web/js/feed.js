// The full-screen vertical feed: autoplay in view, preload ahead, endless by cursor.
import { api, avatar, captionNodes, compact, h, icon, requireLogin, signedIn, toast } from "./api.js";
import { track, flushEvents } from "./events.js";
import { openComments, openShare, openWhy } from "./sheets.js";
import { renderProductChips } from "../../shop/shop.js";

const PRELOAD_AHEAD = 2;
const SKIP_BELOW_MS = 1500;

const scroller = document.querySelector("[data-feed]");
const state = {
  source: scroller.dataset.feed,
  cursor: null,
  done: false,
  loading: false,
  muted: true,
  // Captions: shown while muted when the viewer's setting says so, until the CC
  // button makes a choice for this page (true or false).
  captionsWhenMuted: scroller.dataset.captionsWhenMuted !== "false",
  captionsChoice: null,
  items: [],
  active: null,
};

function captionsShown() {
  return state.captionsChoice ?? (state.muted && state.captionsWhenMuted);
}

function mediaSrc(video) {
  return video.media.mp4_720 || video.media.mp4;
}

function soundLabel(sound) {
  if (!sound) return null;
  return sound.is_original ? `original sound - ${sound.created_by || sound.artist}` : `${sound.title} · ${sound.artist}`;
}

function railButton(label, iconName, count, onclick, extra = {}) {
  return h("button", { type: "button", "aria-label": label, onclick, ...extra },
    h("span", { class: "icon", "aria-hidden": "true" }, icon(iconName)),
    h("span", { class: "count" }, count === null ? "" : compact(count)));
}

function renderItem(entry) {
  const { video, reason } = entry;
  const author = video.author;
  const el = h("section", {
    class: "feed-item", tabindex: "-1", "aria-roledescription": "video",
    "aria-label": `Video by @${author.handle}`, dataset: { id: video.id },
  });
  const player = h("video", {
    playsinline: true, loop: true, muted: true, preload: "none",
    poster: video.media.poster || false, "aria-label": video.caption || `Video by @${author.handle}`,
    width: video.width || 720, height: video.height || 1280,
  });
  player.muted = true;
  const frame = h("div", { class: "feed-frame" + ((video.width || 9) > (video.height || 16) ? " landscape" : "") },
    player, h("div", { class: "play-state", "aria-hidden": "true" }, icon("play")));
  frame.addEventListener("click", (e) => {
    if (!e.target.closest("button, a, input, .feed-meta, .rail")) tapped(item, e);
  });
  const unmute = h("button", { type: "button", class: "unmute", "aria-pressed": String(!state.muted), onclick: (e) => { e.stopPropagation(); setMuted(!state.muted); } });
  muteLabel(unmute);
  const sound = video.sound;
  const meta = h("div", { class: "feed-meta" },
    h("a", { class: "author", href: `/@${author.handle}` }, `@${author.handle}`),
    video.remix_of && video.remix_of.author
      ? h("span", { class: "muted" }, ` · ${video.remix_of.kind} with `, h("a", { href: `/v/${video.remix_of.id}` }, `@${video.remix_of.author.handle}`))
      : null,
    video.caption ? h("p", {}, captionNodes(video.caption)) : null,
    h("div", { class: "product-chips" }),
    sound ? h("a", { class: "sound-link", href: `/sounds/${sound.id}` }, icon("music"), h("span", {}, soundLabel(sound))) : null);

  const viewer = video.viewer || {};
  const creator = h("div", { class: "creator" },
    h("a", { href: `/@${author.handle}`, "aria-label": `Open @${author.handle}'s profile` }, avatar(author, 48)));
  if (!viewer.is_owner && (viewer.author_follow || "none") === "none") {
    const plus = h("button", {
      type: "button", class: "follow-plus", "aria-label": `Follow @${author.handle}`,
      dataset: { follow: author.handle, state: "none", private: String(author.is_private) },
    }, icon("plus"));
    document.addEventListener("follow-changed", (e) => {
      if (e.detail.handle === author.handle && e.detail.state !== "none") plus.remove();
    });
    creator.append(plus);
  }
  const like = railButton(viewer.liked ? "Unlike" : "Like", "heart", video.counts.likes, () => toggleLike(item, like),
    { "aria-pressed": String(Boolean(viewer.liked)) });
  const rail = h("div", { class: "rail" },
    creator,
    like,
    railButton(video.allow_comments ? "Comments" : "Comments are off", "comment", video.counts.comments, () => openComments(video, item)),
    railButton("Share", "share", video.counts.shares, () => openShare(video, item)),
    reason ? railButton("Why this video", "why", null, () => openWhy(video, reason, item)) : null,
    sound ? h("a", { class: "disc rail-btn", href: `/sounds/${sound.id}`, "aria-label": `Sound: ${soundLabel(sound)}` }, icon("music")) : null);

  const seek = seekBar(player);
  frame.append(unmute, meta, rail, seek);
  el.append(frame);
  const item = { el, frame, video, reason, player, unmute, like, watchedMs: 0, lastTime: null, impressed: false, tapTimer: null };
  if (video.media.captions) addCaptions(item, rail);
  player.addEventListener("timeupdate", () => countWatch(item));
  return item;
}

/** The video's WebVTT as a <track>, drawn by us over the video (above the caption
 * and the rail, which would hide the browser's own rendering), and a CC button. */
function addCaptions(item, rail) {
  const track = h("track", { kind: "captions", src: item.video.media.captions, srclang: "en", label: "Captions" });
  item.player.append(track);
  item.cues = h("div", { class: "feed-cues", "aria-live": "off", hidden: true });
  item.frame.append(item.cues);
  const shown = captionsShown();
  item.cc = railButton(shown ? "Hide captions" : "Show captions", "cc", null, () => {
    state.captionsChoice = !captionsShown();
    applyCaptions();
  }, { class: "cc", "aria-pressed": String(shown) });
  rail.insertBefore(item.cc, rail.children[rail.children.length - (item.video.sound ? 1 : 0)] || null);
  track.track.addEventListener("cuechange", () => showCues(item));
}

function showCues(item) {
  const active = [...(item.player.textTracks[0]?.activeCues || [])];
  const text = active.map((cue) => cue.text).join("\n");
  item.cues.replaceChildren(...text.split("\n").filter(Boolean).map((line) => h("span", {}, line)));
  item.cues.hidden = !text || item.cc.getAttribute("aria-pressed") !== "true";
}

/** Show or hide every loaded item's captions as ``captionsShown()`` says. */
function applyCaptions() {
  const shown = captionsShown();
  for (const item of state.items) {
    if (!item.cc) continue;
    item.cc.setAttribute("aria-pressed", String(shown));
    item.cc.setAttribute("aria-label", shown ? "Hide captions" : "Show captions");
    // "hidden" still loads the cues and fires cuechange; only loaded videos fetch them.
    if (item.player.getAttribute("src")) item.player.textTracks[0].mode = "hidden";
    showCues(item);
  }
}

/** A thin progress bar over the video; drag or use the arrow keys to seek. */
function seekBar(player) {
  const time = h("span", { class: "seek-time", "aria-hidden": "true" });
  const input = h("input", { type: "range", min: "0", max: "1000", value: "0", step: "1", "aria-label": "Seek", "aria-valuetext": "0:00" });
  const bar = h("div", { class: "seek" }, time, input);
  const clock = (s) => `${Math.floor(s / 60)}:${String(Math.floor(s % 60)).padStart(2, "0")}`;
  const show = () => {
    const duration = player.duration || 0;
    const fraction = duration ? player.currentTime / duration : 0;
    if (!bar.classList.contains("seeking")) input.value = String(Math.round(fraction * 1000));
    input.style.setProperty("--played", `${fraction * 100}%`);
    input.setAttribute("aria-valuetext", `${clock(player.currentTime)} of ${clock(duration)}`);
  };
  player.addEventListener("timeupdate", show);
  input.addEventListener("input", () => {
    bar.classList.add("seeking");
    const target = (Number(input.value) / 1000) * (player.duration || 0);
    time.textContent = `${clock(target)} / ${clock(player.duration || 0)}`;
    if (Number.isFinite(target)) player.currentTime = target;
    input.style.setProperty("--played", `${Number(input.value) / 10}%`);
  });
  input.addEventListener("change", () => bar.classList.remove("seeking"));
  input.addEventListener("pointerup", () => bar.classList.remove("seeking"));
  input.addEventListener("click", (e) => e.stopPropagation());
  return bar;
}

const DOUBLE_TAP_MS = 280;

/** One tap pauses or plays; two quick taps like the video (never unlike) with a heart. */
function tapped(item, event) {
  if (item.tapTimer) {
    clearTimeout(item.tapTimer);
    item.tapTimer = null;
    heart(item, event);
    if (item.like.getAttribute("aria-pressed") !== "true") toggleLike(item, item.like);
    return;
  }
  item.tapTimer = setTimeout(() => { item.tapTimer = null; togglePlay(item); }, DOUBLE_TAP_MS);
}

function heart(item, event) {
  const rect = item.frame.getBoundingClientRect();
  const mark = h("div", { class: "tap-heart", "aria-hidden": "true" }, icon("heart"));
  mark.style.left = `${event.clientX - rect.left}px`;
  mark.style.top = `${event.clientY - rect.top}px`;
  item.frame.append(mark);
  mark.addEventListener("animationend", () => mark.remove());
}

function countWatch(item) {
  const now = item.player.currentTime;
  if (item.lastTime !== null) {
    const delta = now - item.lastTime;
    // A loop jumps back to 0; count the real playing time only.
    if (delta > 0 && delta < 1.5) item.watchedMs += delta * 1000;
  }
  item.lastTime = now;
}

function muteLabel(button) {
  button.replaceChildren(icon(state.muted ? "muted" : "sound"), state.muted ? "Tap to unmute" : "Sound on");
  button.setAttribute("aria-pressed", String(!state.muted));
}

function setMuted(muted) {
  state.muted = muted;
  for (const item of state.items) {
    item.player.muted = muted;
    muteLabel(item.unmute);
  }
  applyCaptions();
}

function togglePlay(item) {
  if (item.player.paused) {
    item.player.play().catch(() => {});
    item.el.classList.remove("paused");
  } else {
    item.player.pause();
    item.el.classList.add("paused");
  }
}

async function toggleLike(item, button) {
  if (!requireLogin(() => toggleLike(item, button), "Log in to like this video.")) return;
  const liked = button.getAttribute("aria-pressed") === "true";
  try {
    const result = await api(`videos/${item.video.id}/like`, { method: liked ? "DELETE" : "POST" });
    button.setAttribute("aria-pressed", String(result.liked));
    button.setAttribute("aria-label", result.liked ? "Unlike" : "Like");
    button.querySelector(".count").textContent = compact(result.count);
  } catch (error) {
    toast(error.message);
  }
}

function leave(item) {
  if (!item) return;
  item.player.pause();
  countWatch(item);
  const watched = Math.round(item.watchedMs);
  const from = state.source === "following" ? "following" : "for_you";
  track(watched < SKIP_BELOW_MS ? "skip" : "view", item.video.id, watched, from);
  item.watchedMs = 0;
  item.lastTime = null;
}

function activate(item) {
  if (state.active === item) return;
  leave(state.active);
  state.active = item;
  const index = state.items.indexOf(item);
  state.items.forEach((other, i) => {
    const near = i >= index - 1 && i <= index + PRELOAD_AHEAD;
    if (near && !other.player.getAttribute("src")) {
      other.player.src = mediaSrc(other.video);
      other.player.preload = "auto";
    }
  });
  applyCaptions();
  if (!item.impressed) {
    item.impressed = true;
    track("impression", item.video.id, 0);
    // Only videos actually seen ask for their product tags (and count a chip impression).
    renderProductChips(item.el.querySelector(".product-chips"), item.video.id).catch(() => {});
  }
  item.el.classList.remove("paused");
  item.player.muted = state.muted;
  item.player.currentTime = 0;
  item.lastTime = 0;
  item.player.play().catch(() => item.el.classList.add("paused"));
  mediaSession(item);
  stepButtons();
  if (state.items.length - index <= 3) loadMore();
}

const observer = new IntersectionObserver((entries) => {
  for (const entry of entries) {
    if (entry.isIntersecting && entry.intersectionRatio >= 0.6) {
      const item = state.items.find((i) => i.el === entry.target);
      if (item) activate(item);
    }
  }
}, { root: scroller, threshold: [0.6] });

/** Lock-screen and headset controls: the creator, the caption, next and previous. */
function mediaSession(item) {
  if (!("mediaSession" in navigator) || typeof MediaMetadata === "undefined") return;
  const { video } = item;
  navigator.mediaSession.metadata = new MediaMetadata({
    title: video.caption || `Video by @${video.author.handle}`,
    artist: `@${video.author.handle}`,
    album: "Clipdeck",
    artwork: video.media.poster ? [{ src: video.media.poster, sizes: "720x1280", type: "image/jpeg" }] : [],
  });
  const handlers = {
    play: () => item.player.play().catch(() => {}),
    pause: () => item.player.pause(),
    nexttrack: () => move(1),
    previoustrack: () => move(-1),
  };
  for (const [action, handler] of Object.entries(handlers)) {
    try { navigator.mediaSession.setActionHandler(action, handler); } catch { /* unsupported action */ }
  }
}

function stepButtons() {
  const index = state.active ? state.items.indexOf(state.active) : -1;
  const up = document.querySelector('.feed-steps [data-step="-1"]');
  const down = document.querySelector('.feed-steps [data-step="1"]');
  if (up) up.disabled = index <= 0;
  if (down) down.disabled = state.done && index >= state.items.length - 1;
}

document.querySelector(".feed-steps")?.addEventListener("click", (event) => {
  const button = event.target.closest("[data-step]");
  if (button) move(Number(button.dataset.step));
});

async function loadMore() {
  if (state.loading || state.done) return;
  if (state.source === "following" && !signedIn()) {
    // Following needs an account: show the designed sign-in state, not the API's 401.
    state.done = true;
    scroller.append(emptyState());
    return;
  }
  state.loading = true;
  const loading = h("div", { class: "feed-loading", role: "status" }, "Loading…");
  scroller.append(loading);
  try {
    const params = new URLSearchParams({ limit: "8" });
    if (state.cursor) params.set("cursor", state.cursor);
    if (scroller.dataset.personalized === "false") params.set("personalized", "false");
    const page = await api(`feed/${state.source}?${params}`);
    for (const entry of page.items) {
      const item = renderItem(entry);
      state.items.push(item);
      scroller.insertBefore(item.el, loading);
      observer.observe(item.el);
    }
    state.cursor = page.next_cursor;
    state.done = !page.next_cursor || page.items.length === 0;
    if (state.items.length === 0) scroller.append(emptyState());
  } catch (error) {
    state.done = true;
    if (error.status === 401) scroller.append(emptyState());
    else scroller.append(h("div", { class: "feed-empty" }, h("p", {}, error.message)));
  } finally {
    loading.remove();
    state.loading = false;
  }
}

function emptyState() {
  if (state.source === "following" && !signedIn()) {
    const button = h("a", { class: "button", href: "/login?next=/following", onclick: (e) => {
      e.preventDefault();
      requireLogin(() => location.reload(), "Log in to see videos from the accounts you follow.");
    } }, "Log in");
    return h("div", { class: "feed-empty following-signed-out" }, h("div", {},
      h("h2", {}, "Log in to see the accounts you follow"),
      h("p", { class: "muted" }, "Videos from creators you follow appear here, newest first."),
      button, " ", h("a", { class: "button outline", href: "/signup?next=/following" }, "Sign up")));
  }
  if (state.source === "following") {
    return h("div", { class: "feed-empty" }, h("div", {},
      h("h2", {}, "Nothing here yet"),
      h("p", { class: "muted" }, "Videos from accounts you follow appear here."),
      h("a", { class: "button", href: "/" }, "Find creators in For You")));
  }
  return h("div", { class: "feed-empty" }, h("div", {},
    h("h2", {}, "No videos yet"), h("p", { class: "muted" }, "Be the first to post one."),
    h("a", { class: "button", href: "/studio" }, "Create a video")));
}

/** The item being watched: the active one, or before the first is activated (the
 * observer reports a frame or more after the page shows) the one across the
 * viewport's middle; -1 when none is. */
function currentIndex() {
  if (state.active) return state.items.indexOf(state.active);
  const middle = innerHeight / 2;
  return state.items.findIndex((item) => {
    const box = item.el.getBoundingClientRect();
    return box.top <= middle && box.bottom > middle;
  });
}

function move(step) {
  const index = currentIndex();
  const next = state.items[Math.max(0, Math.min(state.items.length - 1, index + step))];
  if (next) {
    next.el.scrollIntoView({ behavior: matchMedia("(prefers-reduced-motion: reduce)").matches ? "auto" : "smooth" });
    next.el.focus({ preventScroll: true });
  }
}

document.addEventListener("keydown", (event) => {
  if (event.target.closest("input, textarea, select, dialog[open]") || event.metaKey || event.ctrlKey || event.altKey) return;
  const key = event.key;
  if (key === "ArrowDown" || key === "j") { event.preventDefault(); move(1); }
  else if (key === "ArrowUp" || key === "k") { event.preventDefault(); move(-1); }
  else if (key === "m") setMuted(!state.muted);
  else if (key === " " && state.active) { event.preventDefault(); togglePlay(state.active); }
});

document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "hidden") {
    if (state.active) { countWatch(state.active); state.active.player.pause(); }
    flushEvents();
  } else if (state.active) {
    state.active.player.play().catch(() => {});
  }
});

document.addEventListener("feed-remove", (event) => {
  const item = state.items.find((i) => i.video.id === event.detail.id);
  if (!item) return;
  const index = state.items.indexOf(item);
  if (state.active === item) { leave(item); state.active = null; move(1); }
  observer.unobserve(item.el);
  item.el.remove();
  state.items.splice(index, 1);
});

loadMore();
