// Fediverse settings: follow someone elsewhere, aliases, moving, graph files — all through the API.
import { api, toast } from "./api.js";

function handle(selector, submit) {
  const form = document.querySelector(selector);
  if (!form) return;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const error = form.querySelector(".form-error");
    error.textContent = "";
    const button = form.querySelector("button");
    button.disabled = true;
    try {
      await submit(form);
    } catch (failure) {
      error.textContent = failure.message;
    } finally {
      button.disabled = false;
    }
  });
}

handle("[data-remote-follow]", async (form) => {
  const account = await api("federation/follows", { method: "POST", json: { account: form.account.value.trim() } });
  const result = document.querySelector("[data-remote-follow-result]");
  const waiting = account.state === "requested" ? " Their server has been asked; it usually accepts within seconds." : "";
  result.textContent = "";
  const link = document.createElement("a");
  link.href = `/@${account.handle}`;
  link.textContent = account.display_name || account.acct;
  result.append("You follow ", link, ` (${account.acct}).${waiting}`);
  result.hidden = false;
  form.reset();
});

handle("[data-aliases-form]", async (form) => {
  const aliases = form.aliases.value.split("\n").map((line) => line.trim()).filter(Boolean);
  const saved = await api("federation/aliases", { method: "PUT", json: { aliases } });
  toast(saved.also_known_as.length ? "Old accounts saved." : "Old accounts cleared.");
});

handle("[data-move-form]", async (form) => {
  const target = form.target.value.trim();
  if (!window.confirm(`Move this account to ${target}? Your followers will follow the new account, and this profile will send visitors there.`)) return;
  await api("federation/move", { method: "POST", json: { target } });
  window.location.reload();
});

handle("[data-import-form]", async (form) => {
  const data = new FormData();
  data.append("file", form.file.files[0]);
  const result = await api(`federation/import/${form.kind.value}`, { method: "POST", form: data });
  toast(`Imported ${result.done}; ${result.failed} could not be found.`);
  form.reset();
});
