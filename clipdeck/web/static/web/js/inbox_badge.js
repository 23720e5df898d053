// The Inbox tab's unread badge, kept current without reloading: a light poll while the page is visible.
import { api } from "./api.js";

const EVERY_MS = 15000;

export function showUnread(count, askedAt = Date.now()) {
  document.querySelectorAll("[data-unread]").forEach((badge) => {
    badge.hidden = !count;
    badge.textContent = count > 99 ? "99+" : String(count);
  });
  document.querySelectorAll("[data-inbox-link]").forEach((link) => {
    link.setAttribute("aria-label", count ? `Inbox, ${count} unread` : "Inbox");
  });
  document.dispatchEvent(new CustomEvent("inbox-unread", { detail: { count, askedAt } }));
}

async function poll() {
  if (document.hidden) return;
  const askedAt = Date.now();
  try {
    const { unread } = await api("me/notifications/unread");
    showUnread(unread, askedAt);
  } catch {
    // Signed out or offline: the badge waits for the next poll.
  }
}

poll();
setInterval(poll, EVERY_MS);
document.addEventListener("visibilitychange", poll);
