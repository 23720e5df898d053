// Settings: viewer filters, who may comment, the comment keyword filter and held comments.
import { api, toast } from "./api.js";

const list = (text) => text.split(",").map((word) => word.trim()).filter(Boolean);

function onSubmit(selector, send, done) {
  const form = document.querySelector(selector);
  if (!form) return;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const error = form.querySelector(".form-error");
    error.textContent = "";
    try {
      await send(form);
      toast(done);
    } catch (failure) {
      error.textContent = failure.message;
    }
  });
}

onSubmit(
  "[data-filters-form]",
  (form) => api("me/filters", { method: "PUT", json: { keywords: list(form.keywords.value), hashtags: list(form.hashtags.value) } }),
  "Filters saved.",
);
onSubmit(
  "[data-comment-controls]",
  (form) => api("me", { method: "PATCH", json: { comments_from: form.comments_from.value, comment_filter_keywords: list(form.comment_filter_keywords.value) } }),
  "Comment settings saved.",
);

document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-approve], [data-delete-comment]");
  if (!button) return;
  const id = button.dataset.approve || button.dataset.deleteComment;
  try {
    if (button.dataset.approve) await api(`comments/${id}/approve`, { method: "POST" });
    else await api(`comments/${id}`, { method: "DELETE" });
    button.closest("[data-held]").remove();
    toast(button.dataset.approve ? "Comment approved." : "Comment deleted.");
  } catch (failure) {
    toast(failure.message);
  }
});
