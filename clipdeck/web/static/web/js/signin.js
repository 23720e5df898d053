// Sign in without leaving the page: a sheet posts the log-in form and reads JSON back,
// then the page carries on (the like or comment that asked for it runs next).
import { h, toast } from "./api.js";

function field(label, attrs) {
  return h("label", { class: "field" }, h("span", {}, label), h("input", attrs));
}

/** Open the sign-in sheet; resolves true once signed in, false if closed. */
export function openSignIn(why = "Log in to like, comment and follow.") {
  return new Promise((resolve) => {
    const next = location.pathname + location.search;
    const error = h("p", { class: "form-error", role: "alert" });
    const login = field("Handle or email", { type: "text", name: "login", autocomplete: "username", required: true, autocapitalize: "none", spellcheck: "false" });
    const password = field("Password", { type: "password", name: "password", autocomplete: "current-password", required: true });
    const otp = field("Code from your authenticator app, or a recovery code", { type: "text", name: "otp", inputmode: "numeric", autocomplete: "one-time-code", autocapitalize: "none" });
    otp.hidden = true;
    const submit = h("button", { class: "button", type: "submit" }, "Log in");
    const form = h("form", { method: "post", action: "/login", novalidate: false }, login, password, otp, error, submit);
    const titleId = "signin-title";
    let done = false;
    const dialog = h("dialog", { class: "sheet signin-sheet", "aria-labelledby": titleId },
      h("div", { class: "sheet-head" },
        h("h2", { id: titleId }, "Log in to Clipdeck"),
        h("button", { type: "button", class: "sheet-close", "aria-label": "Close", onclick: () => dialog.close() }, "×")),
      h("div", { class: "sheet-body" },
        h("p", { class: "why" }, why),
        form,
        h("p", { class: "muted" }, "New here? ", h("a", { href: `/signup?next=${encodeURIComponent(next)}` }, "Sign up"),
          " · ", h("a", { href: `/password/reset` }, "Forgot your password?"))));
    const opener = document.activeElement;
    dialog.addEventListener("click", (e) => { if (e.target === dialog) dialog.close(); });
    dialog.addEventListener("close", () => { dialog.remove(); opener?.focus?.(); resolve(done); });
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      error.textContent = "";
      submit.disabled = true;
      const body = new FormData(form);
      if (otp.hidden) body.delete("otp");
      try {
        const response = await fetch("/login", {
          method: "POST", body, credentials: "same-origin",
          headers: { Accept: "application/json", "X-CSRFToken": document.body.dataset.csrf || "" },
        });
        const data = await response.json().catch(() => ({}));
        if (response.ok && data.handle) {
          signedInAs(data.handle, data.csrf);
          done = true;
          toast(`Logged in as @${data.handle}.`);
          dialog.close();
          return;
        }
        if (data.second_step) {
          otp.hidden = false;
          login.hidden = true;
          password.hidden = true;
          submit.textContent = "Verify";
          otp.querySelector("input").required = true;
          otp.querySelector("input").focus();
        }
        error.textContent = data.error?.message || "";
      } catch {
        error.textContent = "The connection failed. Try again.";
      } finally {
        submit.disabled = false;
      }
    });
    document.body.append(dialog);
    dialog.showModal();
    login.querySelector("input").focus();
  });
}

/** The page now belongs to ``handle``: new CSRF token, signed-in chrome. */
function signedInAs(handle, csrf) {
  document.body.dataset.user = handle;
  if (csrf) document.body.dataset.csrf = csrf;
  document.querySelectorAll("[data-shop-csrf]").forEach((el) => { el.dataset.shopCsrf = csrf; });
  document.querySelectorAll(".side-login, .top-nav .top-login, .top-nav .button").forEach((el) => el.remove());
  document.dispatchEvent(new CustomEvent("signed-in", { detail: { handle } }));
}
