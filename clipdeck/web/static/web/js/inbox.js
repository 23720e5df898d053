// The inbox page: what is shown is marked read; new activity offers to show itself.
import { api } from "./api.js";
import { showUnread } from "./inbox_badge.js";

const list = document.querySelector("[data-inbox]");
const refresh = document.querySelector("[data-inbox-refresh]");

async function markShownRead() {
  const newest = Number(list?.dataset.newest);
  if (!newest) return;
  try {
    const { unread } = await api("me/notifications/read", { method: "POST", json: { up_to: newest } });
    showUnread(unread);
  } catch {
    // They stay unread and are marked next time.
  }
}

// Only a count asked for after the shown items were marked read is news.
let markedAt = Infinity;
document.addEventListener("inbox-unread", (event) => {
  if (refresh && event.detail.askedAt > markedAt) refresh.hidden = !event.detail.count;
});
refresh?.addEventListener("click", () => location.reload());
markShownRead().finally(() => { markedAt = Date.now(); });
