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
  items: [],
  active: null,
};

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
  const frame = h("div", { class: "feed-frame", onclick: (e) => {
    if (!e.target.closest("button, a, .feed-meta, .rail")) togglePlay(item);
  } },
    player, h("div", { class: "play-state", "aria-hidden": "true" }, icon("play")));
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

  frame.append(unmute, meta, rail);
  el.append(frame);
  const item = { el, video, reason, player, unmute, watchedMs: 0, lastTime: null, impressed: false };
  player.addEventListener("timeupdate", () => countWatch(item));
  return item;
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
  if (!requireLogin()) return;
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

async function loadMore() {
  if (state.loading || state.done) return;
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
    scroller.append(h("div", { class: "feed-empty" }, h("p", {}, error.message)));
    state.done = true;
  } finally {
    loading.remove();
    state.loading = false;
  }
}

function emptyState() {
  if (state.source === "following") {
    return h("div", { class: "feed-empty" }, h("div", {},
      h("h2", {}, signedIn() ? "Nothing here yet" : "Log in to see the accounts you follow"),
      h("p", { class: "muted" }, signedIn() ? "Videos from accounts you follow appear here." : ""),
      h("a", { class: "button", href: signedIn() ? "/" : "/login?next=/following" }, signedIn() ? "Find creators in For You" : "Log in")));
  }
  return h("div", { class: "feed-empty" }, h("div", {},
    h("h2", {}, "No videos yet"), h("p", { class: "muted" }, "Be the first to post one."),
    h("a", { class: "button", href: "/studio" }, "Create a video")));
}

function move(step) {
  const index = state.active ? state.items.indexOf(state.active) : -1;
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
