// Bottom sheets over the feed: comments, share, and "why this video".
import { api, avatar, captionNodes, compact, h, icon, requireLogin, toast } from "./api.js";
import { track } from "./events.js";

/** Open a modal bottom sheet; returns its body element. Focus returns to the opener on close. */
function sheet(title, opener) {
  const body = h("div", { class: "sheet-body" });
  const titleId = "sheet-" + Math.random().toString(36).slice(2);
  const dialog = h("dialog", { class: "sheet", "aria-labelledby": titleId },
    h("div", { class: "sheet-head" },
      h("h2", { id: titleId }, title),
      h("button", { type: "button", class: "sheet-close", "aria-label": "Close", onclick: () => dialog.close() }, "×")),
    body);
  dialog.addEventListener("click", (e) => { if (e.target === dialog) dialog.close(); });
  dialog.addEventListener("close", () => { dialog.remove(); opener?.focus?.(); });
  document.body.append(dialog);
  dialog.showModal();
  return body;
}

function commentRow(comment) {
  const text = h("div", { class: "grow" },
    comment.pinned ? h("span", { class: "pin-tag" }, "📌 Pinned by the creator") : null,
    h("a", { class: "who", href: `/@${comment.author.handle}` }, `@${comment.author.handle}`),
    h("p", {}, captionNodes(comment.text)));
  if (comment.reply_count) {
    // The thread opens on the video's page, where replies, likes and answers live.
    const word = comment.reply_count === 1 ? "reply" : "replies";
    text.append(h("a", { class: "view-replies", href: `/v/${comment.video_id || ""}` }, `View ${comment.reply_count} ${word}`));
  }
  return h("li", {}, avatar(comment.author, 32), text);
}

function setCount(item, label, count) {
  const button = item?.el?.querySelector(`.rail button[aria-label^="${label}"] .count`);
  if (button) button.textContent = compact(count);
}

/** The comments sheet: newest first, more on demand, a form to add one. */
export async function openComments(video, item) {
  const body = sheet(`${compact(video.counts.comments)} comments`, document.activeElement);
  const list = h("ul", { class: "comments" });
  const more = h("button", { type: "button", class: "button ghost small", hidden: true }, "More comments");
  body.append(list, more);
  let cursor = null;
  async function load() {
    const params = new URLSearchParams({ limit: "20" });
    if (cursor) params.set("cursor", cursor);
    try {
      const page = await api(`videos/${video.id}/comments?${params}`);
      page.items.forEach((c) => list.append(commentRow({ ...c, video_id: video.id })));
      cursor = page.next_cursor;
      more.hidden = !cursor;
      if (!list.children.length) list.append(h("li", { class: "muted empty-comments" }, "No comments yet. Say something nice."));
    } catch (error) {
      list.append(h("li", { class: "error" }, error.message));
    }
  }
  more.addEventListener("click", load);
  await load();
  if (!video.allow_comments) {
    body.append(h("p", { class: "muted" }, "The creator turned comments off for this video."));
    return;
  }
  const input = h("input", { type: "text", name: "text", maxlength: "2000", required: true, "aria-label": "Add a comment", placeholder: "Add a comment…" });
  const error = h("p", { class: "form-error", role: "alert" });
  const form = h("form", { class: "comment-form" }, input, h("button", { class: "button", type: "submit" }, "Post"));
  form.addEventListener("submit", async function send(event) {
    event?.preventDefault();
    error.textContent = "";
    // Signed out: sign in over the sheet, then post the comment that was typed.
    if (!requireLogin(() => send(), "Log in to comment.")) return;
    try {
      const comment = await api(`videos/${video.id}/comments`, { method: "POST", json: { text: input.value } });
      list.querySelector(".empty-comments")?.remove();
      list.prepend(commentRow(comment));
      input.value = "";
      video.counts.comments += 1;
      setCount(item, "Comments", video.counts.comments);
    } catch (err) {
      error.textContent = err.message;
    }
  });
  body.append(form, error);
  input.focus();
}

/** The share sheet: copy link (a clipboard write, never a read), native share, duet, react. */
export function openShare(video, item) {
  const body = sheet("Share to", document.activeElement);
  const link = `${location.origin}/v/${video.id}`;
  async function counted() {
    try {
      const result = await api(`videos/${video.id}/share`, { method: "POST" });
      video.counts.shares = result.count;
      setCount(item, "Share", result.count);
      track("share", video.id, 0);
      return result.url || link;
    } catch {
      return link;
    }
  }
  const field = h("input", { type: "text", readonly: true, value: link, "aria-label": "Link to this video" });
  const actions = h("div", { class: "share-actions" },
    h("button", { type: "button", onclick: async () => {
      const url = await counted();
      try {
        await navigator.clipboard.writeText(url);
        toast("Link copied.");
      } catch {
        field.select();
        toast("Select the link and copy it.");
      }
    } }, icon("link"), "Copy link"),
    navigator.share ? h("button", { type: "button", onclick: async () => {
      const url = await counted();
      navigator.share({ url, title: `@${video.author.handle} on Clipdeck` }).catch(() => {});
    } }, icon("share"), "Share…") : null,
    h("a", { href: `/studio?duet=${video.id}`, "aria-disabled": String(!video.allow_duet), title: video.allow_duet ? "" : "The creator does not allow duets" },
      icon("duet"), "Duet"),
    h("a", { href: `/studio?react=${video.id}`, "aria-disabled": String(!video.allow_react), title: video.allow_react ? "" : "The creator does not allow reactions" },
      icon("react"), "React"),
    video.allow_stitch ? h("a", { href: `/studio?stitch=${video.id}` }, icon("stitch"), "Stitch") : null,
    h("a", { href: `/v/${video.id}` }, icon("open"), "Open page"));
  body.append(actions, h("label", { class: "field" }, h("span", {}, "Link"), field));
}

/** Why the feed chose this video, with "not interested" and a way to start afresh. */
export function openWhy(video, reason, item) {
  const body = sheet("Why you're seeing this", document.activeElement);
  body.append(h("p", {}, h("strong", {}, reason.label || "Recommended for you")));
  if (reason.factors && reason.factors.length) {
    body.append(h("ul", { class: "reason-factors" }, reason.factors.map((f) => h("li", {}, f))));
  }
  const notInterested = h("button", { type: "button", class: "button ghost", onclick: () => {
    if (!requireLogin(null, "Log in to tune your For You feed.")) return;
    track("not_interested", video.id, 0);
    document.dispatchEvent(new CustomEvent("feed-remove", { detail: { id: video.id } }));
    toast("Got it: you'll see fewer videos like this.");
    body.closest("dialog").close();
  } }, "Not interested");
  const reset = h("button", { type: "button", class: "button outline", onclick: async () => {
    if (!requireLogin(null, "Log in to tune your For You feed.")) return;
    try {
      await api("feed/reset", { method: "POST" });
      toast("For You starts afresh.");
    } catch (error) {
      toast(error.message);
    }
  } }, "Refresh For You");
  body.append(h("div", { class: "profile-actions" }, notInterested, reset),
    h("p", { class: "muted" }, h("a", { href: "/about/for-you" }, "How For You works"), " · ",
      h("a", { href: "/?personalized=false" }, "Browse without personalisation")));
}
