// The single video page: like, comment and copy the link without leaving it.
import { api, avatar, captionNodes, h, requireLogin, toast } from "./api.js";

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
async function send(event) {
  event?.preventDefault();
  const error = form.nextElementSibling;
  error.textContent = "";
  if (!requireLogin(send, "Log in to comment.")) return;
  try {
    const comment = await api(`videos/${form.dataset.commentForm}/comments`, { method: "POST", json: { text: form.text.value } });
    const list = document.querySelector("[data-comments]");
    list.querySelector(".empty-comments")?.remove();
    list.prepend(h("li", {}, avatar(comment.author, 32), h("div", {},
      h("a", { class: "who", href: `/@${comment.author.handle}` }, `@${comment.author.handle}`), h("p", {}, captionNodes(comment.text)))));
    form.reset();
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

const player = document.querySelector(".video-stage video");
if (player && "mediaSession" in navigator && typeof MediaMetadata !== "undefined") {
  navigator.mediaSession.metadata = new MediaMetadata({
    title: player.dataset.mediaTitle, artist: player.dataset.mediaArtist, album: "Clipdeck",
    artwork: player.poster ? [{ src: player.poster, sizes: "720x1280", type: "image/jpeg" }] : [],
  });
}
