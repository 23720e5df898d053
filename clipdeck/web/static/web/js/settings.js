// Settings: private account, profile, avatar and password, all through the API.
import { api, toast } from "./api.js";

function errorOf(form) {
  return form.querySelector(".form-error");
}

document.querySelector("[data-private-toggle]").addEventListener("change", async (event) => {
  const box = event.target;
  try {
    const me = await api("me", { method: "PATCH", json: { is_private: box.checked } });
    box.checked = me.is_private;
    toast(me.is_private ? "Your account is now private." : "Your account is now public.");
  } catch (error) {
    box.checked = !box.checked;
    toast(error.message);
  }
});

document.querySelector("[data-captions-toggle]").addEventListener("change", async (event) => {
  const box = event.target;
  try {
    const me = await api("me", { method: "PATCH", json: { captions_when_muted: box.checked } });
    box.checked = me.captions_when_muted;
    toast(me.captions_when_muted ? "Captions show while videos play muted." : "Captions stay off unless you turn them on.");
  } catch (error) {
    box.checked = !box.checked;
    toast(error.message);
  }
});

document.querySelector("[data-profile-form]").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target;
  errorOf(form).textContent = "";
  try {
    await api("me", { method: "PATCH", json: { display_name: form.display_name.value, bio: form.bio.value } });
    toast("Profile saved.");
  } catch (error) {
    errorOf(form).textContent = error.message;
  }
});

document.querySelector("[data-avatar-form]").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target;
  errorOf(form).textContent = "";
  try {
    await api("me/avatar", { method: "POST", form: new FormData(form) });
    toast("Avatar updated.");
    form.reset();
  } catch (error) {
    errorOf(form).textContent = error.message;
  }
});

document.querySelector("[data-password-form]").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target;
  errorOf(form).textContent = "";
  try {
    await api("me/password", { method: "POST", json: { old_password: form.old_password.value, new_password: form.new_password.value, otp: form.otp ? form.otp.value : null } });
    toast("Password changed.");
    form.reset();
  } catch (error) {
    errorOf(form).textContent = error.message;
  }
});

// Two-factor sign-in: set up (secret + otpauth link), confirm with a first code, turn off.
const twoFactor = document.querySelector("[data-two-factor]");
const setupForm = twoFactor.querySelector("[data-two-factor-setup]");
const confirmForm = twoFactor.querySelector("[data-two-factor-confirm]");
const disableForm = twoFactor.querySelector("[data-two-factor-disable]");

setupForm?.addEventListener("submit", async (event) => {
  event.preventDefault();
  errorOf(setupForm).textContent = "";
  try {
    const setup = await api("me/2fa/setup", { method: "POST", json: { password: setupForm.password.value } });
    confirmForm.querySelector("[data-two-factor-secret]").textContent = setup.secret;
    confirmForm.querySelector("[data-two-factor-uri]").href = setup.otpauth_uri;
    confirmForm.querySelector("[data-two-factor-qr]").src = setup.qr_code;
    confirmForm.hidden = false;
    setupForm.hidden = true;
  } catch (error) {
    errorOf(setupForm).textContent = error.message;
  }
});

confirmForm?.addEventListener("submit", async (event) => {
  event.preventDefault();
  errorOf(confirmForm).textContent = "";
  try {
    const result = await api("me/2fa/confirm", { method: "POST", json: { code: confirmForm.code.value } });
    const list = twoFactor.querySelector("[data-two-factor-code-list]");
    list.replaceChildren(...result.recovery_codes.map((code) => {
      const item = document.createElement("li");
      item.textContent = code;
      return item;
    }));
    twoFactor.querySelector("[data-two-factor-codes]").hidden = false;
    confirmForm.hidden = true;
    toast("Two-factor sign-in is on.");
  } catch (error) {
    errorOf(confirmForm).textContent = error.message;
  }
});

disableForm?.addEventListener("submit", async (event) => {
  event.preventDefault();
  errorOf(disableForm).textContent = "";
  try {
    await api("me/2fa", { method: "DELETE", json: { password: disableForm.password.value, code: disableForm.code.value } });
    toast("Two-factor sign-in is off.");
    window.location.reload();
  } catch (error) {
    errorOf(disableForm).textContent = error.message;
  }
});
