// Behaviour shared by every page: follow/block buttons, menus, forms posting to the API.
import { api, requireLogin, toast } from "./api.js";

const FOLLOW_LABELS = { following: "Following", requested: "Requested", none: "Follow" };

export function setFollowState(button, state) {
  button.dataset.state = state;
  const privateAccount = button.dataset.private === "true";
  button.textContent = state === "none" && privateAccount ? "Request to follow" : FOLLOW_LABELS[state];
  button.classList.toggle("ghost", state !== "none");
  button.setAttribute("aria-pressed", state === "none" ? "false" : "true");
}

async function toggleFollow(button) {
  if (!requireLogin(() => toggleFollow(button), `Log in to follow @${button.dataset.follow}.`)) return;
  const handle = button.dataset.follow;
  const following = button.dataset.state !== "none";
  try {
    const result = await api(`users/${encodeURIComponent(handle)}/follow`, { method: following ? "DELETE" : "POST" });
    setFollowState(button, (result && result.state) || "none");
    document.dispatchEvent(new CustomEvent("follow-changed", { detail: { handle, state: button.dataset.state } }));
  } catch (error) {
    toast(error.message);
  }
}

async function toggleBlock(button) {
  const handle = button.dataset.block;
  const blocked = button.dataset.blocked === "true";
  if (!blocked && !confirm(`Block @${handle}? They will not be able to see your profile or videos, and you will not see theirs.`)) return;
  try {
    await api(`users/${encodeURIComponent(handle)}/block`, { method: blocked ? "DELETE" : "POST" });
    location.reload();
  } catch (error) {
    toast(error.message);
  }
}

function toggleMenu(button) {
  const list = document.getElementById(button.getAttribute("aria-controls"));
  const open = button.getAttribute("aria-expanded") === "true";
  button.setAttribute("aria-expanded", String(!open));
  list.hidden = open;
  if (!open) list.querySelector("button, a")?.focus();
}

async function decideRequest(button) {
  try {
    await api(`me/follow-requests/${encodeURIComponent(button.dataset.handle)}/${button.dataset.decide}`, { method: "POST" });
    const row = button.closest("li");
    row.querySelector(".decision").textContent = button.dataset.decide === "approve" ? "Approved" : "Declined";
    row.querySelectorAll("button").forEach((b) => b.remove());
  } catch (error) {
    toast(error.message);
  }
}

document.addEventListener("click", (event) => {
  const target = event.target.closest("[data-follow], [data-block], [data-menu], [data-decide], [data-publish], [data-delete-video]");
  if (!target) return;
  event.preventDefault();
  if (target.dataset.follow !== undefined) toggleFollow(target);
  else if (target.dataset.block !== undefined) toggleBlock(target);
  else if (target.dataset.menu !== undefined) toggleMenu(target);
  else if (target.dataset.decide !== undefined) decideRequest(target);
  else if (target.dataset.publish !== undefined) publishDraft(target);
  else if (target.dataset.deleteVideo !== undefined) deleteVideo(target);
});

async function publishDraft(button) {
  try {
    await api(`videos/${button.dataset.publish}/publish`, { method: "POST" });
    toast("Posted.");
    button.closest("li")?.remove();
  } catch (error) {
    toast(error.message);
  }
}

async function deleteVideo(button) {
  if (!confirm("Delete this video? This cannot be undone.")) return;
  try {
    await api(`videos/${button.dataset.deleteVideo}`, { method: "DELETE" });
    location.href = button.dataset.next || "/";
  } catch (error) {
    toast(error.message);
  }
}

document.querySelectorAll("[data-follow]").forEach((b) => setFollowState(b, b.dataset.state || "none"));

// Theme: the system's choice until the switch picks light or dark (kept in a cookie for a year).
const THEMES = ["system", "light", "dark"];
const THEME_LABELS = { system: "System theme", light: "Light theme", dark: "Dark theme" };

function showTheme(theme) {
  document.documentElement.dataset.theme = theme;
  document.querySelectorAll("[data-theme-switch]").forEach((button) => {
    button.querySelector("[data-theme-label]").textContent = THEME_LABELS[theme];
    button.setAttribute("aria-label", `Theme: ${THEME_LABELS[theme]}. Switch`);
  });
}

document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-theme-switch]");
  if (!button) return;
  const current = document.documentElement.dataset.theme || "system";
  const next = THEMES[(THEMES.indexOf(current) + 1) % THEMES.length];
  document.cookie = `theme=${next}; path=/; max-age=31536000; samesite=lax`;
  showTheme(next);
});
showTheme(THEMES.includes(document.documentElement.dataset.theme) ? document.documentElement.dataset.theme : "system");

// Sign-in links open the sheet in place; the page stays where it was.
document.addEventListener("click", (event) => {
  const link = event.target.closest("a[data-sign-in]");
  if (!link || event.metaKey || event.ctrlKey) return;
  event.preventDefault();
  requireLogin(() => location.reload());
});

// The installable app: the service worker caches the shell only (see /sw.js).
if ("serviceWorker" in navigator && location.protocol !== "file:") {
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
}
