// Data controls: request an export and wait for it, erase the account.
import { api, toast } from "../web/js/api.js";

const POLL_MS = 3000;
const requestButton = document.querySelector("[data-export-request]");
const exportError = document.querySelector("[data-export-error]");

async function waitFor(id) {
  const item = await api(`me/export/${id}`);
  if (item.status === "pending") {
    setTimeout(() => waitFor(id), POLL_MS);
    return;
  }
  location.reload();
}

requestButton.addEventListener("click", async () => {
  exportError.textContent = "";
  requestButton.disabled = true;
  try {
    const item = await api("me/export", { method: "POST" });
    toast("Your download is being prepared.");
    waitFor(item.id);
  } catch (error) {
    exportError.textContent = error.message;
    requestButton.disabled = false;
  }
});

for (const row of document.querySelectorAll('[data-export-status="pending"]')) {
  waitFor(row.dataset.exportId);
}

document.querySelector("[data-erase-form]").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target;
  const error = form.querySelector(".form-error");
  error.textContent = "";
  if (!window.confirm("Erase your account and everything in it? This cannot be undone.")) return;
  try {
    await api("me", { method: "DELETE", json: { password: form.password.value, otp: form.otp ? form.otp.value : null } });
    location.href = "/";
  } catch (failure) {
    error.textContent = failure.message;
  }
});
