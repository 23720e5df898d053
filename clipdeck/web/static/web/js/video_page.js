// The single video page: like, save, comment, reply and copy the link without leaving it.
import { api, avatar, captionNodes, h, requireLogin, toast } from "./api.js";
import { flushEvents, track } from "./events.js";

/** Where this page was opened from, for the creator's traffic sources (never who). */
function trafficSource() {
  let from;
  try { from = new URL(document.referrer); } catch { return "share_link"; }
  if (from.origin !== location.origin) return "share_link";
  const path = from.pathname;
  if (path.startsWith("/search")) return "search";
  if (path.startsWith("/tag/") || path.startsWith("/discover")) return "hashtag";
  if (path.startsWith("/sounds/")) return "sound";
  if (path.startsWith("/@")) return "profile";
  if (path.startsWith("/following")) return "following";
  if (path === "/") return "for_you";
  return "share_link";
}

const player = document.querySelector(".video-stage video");

/** Captions follow the sound while the viewer has not picked them in the player's
 * menu: shown when muted (if the viewer's setting says so), hidden with sound. */
function captionsFollowSound(video) {
  const captions = video.textTracks[0];
  if (!captions) return;
  const whenMuted = video.dataset.captionsWhenMuted !== "false";
  let expected = video.muted && whenMuted ? "showing" : "hidden";
  captions.mode = expected;
  video.textTracks.addEventListener("change", () => {
    if (captions.mode !== expected) expected = null; // the viewer chose in the menu
  });
  video.addEventListener("volumechange", () => {
    if (expected === null) return;
    expected = video.muted && whenMuted ? "showing" : "hidden";
    captions.mode = expected;
  });
}

if (player) {
  captionsFollowSound(player);
  const videoId = document.querySelector("[data-video]").dataset.video;
  const source = trafficSource();
  let watchedMs = 0;
  let last = null;
  let sent = false;
  player.addEventListener("timeupdate", () => {
    const now = player.currentTime;
    if (last !== null && now > last && now - last < 1.5) watchedMs += (now - last) * 1000;
    last = now;
  });
  const send = () => {
    if (sent || watchedMs < 1) return;
    sent = true;
    track("view", videoId, watchedMs, source);
    flushEvents();
  };
  addEventListener("pagehide", send);
  document.addEventListener("visibilitychange", () => { if (document.hidden) send(); });
  document.addEventListener("click", (event) => { if (event.target.closest("a[href]")) send(); });
}

const like = document.querySelector("[data-like]");
async function toggleLike() {
  if (!requireLogin(toggleLike, "Log in to like this video.")) return;
  const liked = like.getAttribute("aria-pressed") === "true";
  try {
    const result = await api(`videos/${like.dataset.like}/like`, { method: liked ? "DELETE" : "POST" });
    like.setAttribute("aria-pressed", String(result.liked));
    like.setAttribute("aria-label", result.liked ? "Unlike" : "Like");
    document.querySelector("[data-like-count]").textContent = result.count;
  } catch (error) {
    toast(error.message);
  }
}
like?.addEventListener("click", toggleLike);

const form = document.querySelector("[data-comment-form]");
const list = document.querySelector("[data-comments]");
const replying = document.querySelector("[data-replying]");
const isOwner = list?.dataset.owner === "true";
const me = document.body.dataset.user;

function replyTo(id, handle) {
  form.reply_to.value = id || "";
  replying.hidden = !id;
  if (id) {
    replying.querySelector("[data-replying-handle]").textContent = `@${handle}`;
    form.text.placeholder = `Reply to @${handle}…`;
    form.text.focus();
  } else {
    form.text.placeholder = "Add a comment…";
  }
}

/** One comment or reply, as the page renders it (``_comment.html``). */
function commentItem(comment, { reply = false } = {}) {
  const actions = h("div", { class: "comment-actions" }, h("time", { datetime: comment.created_at }, "just now"));
  if (me) actions.append(h("button", { type: "button", "data-reply-to": comment.reply_to || comment.id, "data-handle": comment.author.handle }, "Reply"));
  if (isOwner || comment.author.handle === me) actions.append(h("button", { type: "button", "data-delete-comment": comment.id }, "Delete"));
  const like = h("button", { type: "button", class: "comment-like", "data-like-comment": comment.id, "aria-pressed": String(comment.liked), "aria-label": "Like comment" },
    "♥", h("span", { "data-count": "" }, String(comment.like_count)));
  const body = h("div", { class: "grow" }, h("a", { class: "who", href: `/@${comment.author.handle}` }, `@${comment.author.handle}`), h("p", {}, captionNodes(comment.text)), actions);
  if (!reply) body.append(h("ul", { class: "replies", "data-replies-of": comment.id, hidden: true }));
  return h("li", { class: "comment", "data-comment": comment.id }, avatar(comment.author, reply ? 24 : 32), body, like);
}

async function showReplies(button) {
  const id = button.dataset.viewReplies;
  const replies = document.querySelector(`[data-replies-of="${id}"]`);
  const open = button.getAttribute("aria-expanded") === "true";
  if (open) {
    replies.hidden = true;
    button.setAttribute("aria-expanded", "false");
    button.textContent = button.dataset.label;
    return;
  }
  try {
    const page = await api(`comments/${id}/replies`);
    replies.replaceChildren(...page.items.map((c) => commentItem(c, { reply: true })));
    replies.hidden = false;
    button.dataset.label = button.dataset.label || button.textContent;
    button.textContent = "Hide replies";
    button.setAttribute("aria-expanded", "true");
  } catch (error) {
    toast(error.message);
  }
}

async function toggleCommentLike(button) {
  if (!requireLogin()) return;
  const liked = button.getAttribute("aria-pressed") === "true";
  try {
    const result = await api(`comments/${button.dataset.likeComment}/like`, { method: liked ? "DELETE" : "POST" });
    button.setAttribute("aria-pressed", String(result.liked));
    button.querySelector("[data-count]").textContent = result.count;
  } catch (error) {
    toast(error.message);
  }
}

async function deleteComment(button) {
  if (!confirm("Delete this comment and its replies?")) return;
  try {
    await api(`comments/${button.dataset.deleteComment}`, { method: "DELETE" });
    button.closest("li").remove();
    toast("Comment deleted");
  } catch (error) {
    toast(error.message);
  }
}

async function pinComment(button) {
  const pinned = button.dataset.pinned === "true";
  try {
    await api(`comments/${button.dataset.pinComment}/pin`, { method: pinned ? "DELETE" : "POST" });
    location.reload();
  } catch (error) {
    toast(error.message);
  }
}

list?.addEventListener("click", (event) => {
  const target = event.target.closest("[data-reply-to], [data-view-replies], [data-like-comment], [data-delete-comment], [data-pin-comment]");
  if (!target) return;
  if (target.dataset.replyTo) replyTo(target.dataset.replyTo, target.dataset.handle);
  else if (target.dataset.viewReplies) showReplies(target);
  else if (target.dataset.likeComment) toggleCommentLike(target);
  else if (target.dataset.deleteComment) deleteComment(target);
  else if (target.dataset.pinComment) pinComment(target);
});
document.querySelector("[data-cancel-reply]")?.addEventListener("click", () => replyTo(null));

async function send(event) {
  event?.preventDefault();
  const error = document.querySelector(".comment-form + .form-error");
  error.textContent = "";
  if (!requireLogin(send, "Log in to comment.")) return;
  const replyId = Number(form.reply_to.value) || null;
  try {
    const json = { text: form.text.value };
    if (replyId) json.reply_to = replyId;
    const comment = await api(`videos/${form.dataset.commentForm}/comments`, { method: "POST", json });
    list.querySelector(".empty-comments")?.remove();
    if (comment.reply_to) {
      const replies = document.querySelector(`[data-replies-of="${comment.reply_to}"]`);
      replies.hidden = false;
      replies.append(commentItem(comment, { reply: true }));
    } else {
      list.prepend(commentItem(comment));
    }
    form.reset();
    replyTo(null);
  } catch (err) {
    error.textContent = err.message;
  }
}
form?.addEventListener("submit", send);

document.querySelector("[data-copy-link]")?.addEventListener("click", async (event) => {
  const button = event.currentTarget;
  try {
    const result = await api(`videos/${document.querySelector("[data-video]").dataset.video}/share`, { method: "POST" });
    await navigator.clipboard.writeText(result.url || button.dataset.copyLink);
    toast("Link copied.");
  } catch {
    toast(button.dataset.copyLink);
  }
});

async function toggleButton(button, path, on, off) {
  if (!requireLogin()) return;
  const pressed = button.getAttribute("aria-pressed") === "true";
  try {
    await api(path, { method: pressed ? "DELETE" : "POST" });
    button.setAttribute("aria-pressed", String(!pressed));
    button.textContent = pressed ? off : on;
  } catch (error) {
    toast(error.message);
  }
}

const save = document.querySelector("[data-favorite]");
save?.addEventListener("click", () => toggleButton(save, `videos/${save.dataset.favorite}/favorite`, "★ Saved", "☆ Save"));
const pin = document.querySelector("[data-pin-video]");
pin?.addEventListener("click", () => toggleButton(pin, `videos/${pin.dataset.pinVideo}/pin`, "Unpin from profile", "Pin to profile"));

if (player && "mediaSession" in navigator && typeof MediaMetadata !== "undefined") {
  navigator.mediaSession.metadata = new MediaMetadata({
    title: player.dataset.mediaTitle, artist: player.dataset.mediaArtist, album: "Clipdeck",
    artwork: player.poster ? [{ src: player.poster, sizes: "720x1280", type: "image/jpeg" }] : [],
  });
}
