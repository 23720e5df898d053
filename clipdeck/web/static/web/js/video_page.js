// The single video page: like and comment without leaving it.
import { api, avatar, h, requireLogin, toast } from "./api.js";

const like = document.querySelector("[data-like]");
like?.addEventListener("click", async () => {
  if (!requireLogin()) return;
  const liked = like.getAttribute("aria-pressed") === "true";
  try {
    const result = await api(`videos/${like.dataset.like}/like`, { method: liked ? "DELETE" : "POST" });
    like.setAttribute("aria-pressed", String(result.liked));
    like.textContent = result.liked ? "♥ Liked" : "♡ Like";
    document.querySelector("[data-like-count]").textContent = result.count;
  } catch (error) {
    toast(error.message);
  }
});

const form = document.querySelector("[data-comment-form]");
form?.addEventListener("submit", async (event) => {
  event.preventDefault();
  const error = form.nextElementSibling;
  error.textContent = "";
  try {
    const comment = await api(`videos/${form.dataset.commentForm}/comments`, { method: "POST", json: { text: form.text.value } });
    const list = document.querySelector("[data-comments]");
    list.querySelector(".empty-comments")?.remove();
    list.prepend(h("li", {}, avatar(comment.author, 32), h("div", {},
      h("a", { class: "who", href: `/@${comment.author.handle}` }, `@${comment.author.handle}`), h("p", {}, comment.text))));
    form.reset();
  } catch (err) {
    error.textContent = err.message;
  }
});
