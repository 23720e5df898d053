// Calls to the JSON API with the browser session and its CSRF token.

const csrf = () => document.body.dataset.csrf || "";

export class ApiError extends Error {
  constructor(status, body) {
    const error = (body && body.error) || {};
    super(error.message || `Something went wrong (${status}). Try again.`);
    this.status = status;
    this.code = error.code || "http_" + status;
    this.field = error.field || null;
  }
}

/** fetch /api/v1/<path>; JSON in and out; throws ApiError with the server's message. */
export async function api(path, { method = "GET", json, form, keepalive = false } = {}) {
  const headers = { Accept: "application/json" };
  if (method !== "GET") headers["X-CSRFToken"] = csrf();
  let body;
  if (json !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(json);
  } else if (form) {
    body = form;
  }
  const url = path.startsWith("/") ? path : `/api/v1/${path}`;
  const response = await fetch(url, { method, headers, body, credentials: "same-origin", keepalive });
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

/** Multipart upload with progress callbacks (fetch cannot report upload progress). */
export function upload(path, form, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `/api/v1/${path}`);
    xhr.setRequestHeader("X-CSRFToken", csrf());
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () => {
      let data = null;
      try { data = JSON.parse(xhr.responseText); } catch { /* not JSON */ }
      if (xhr.status >= 200 && xhr.status < 300) resolve(data);
      else reject(new ApiError(xhr.status, data));
    };
    xhr.onerror = () => reject(new ApiError(0, { error: { message: "The connection was lost during the upload. Try again." } }));
    xhr.send(form);
  });
}

export const signedIn = () => Boolean(document.body.dataset.user);

/**
 * True when signed in. Otherwise opens the sign-in sheet in place and returns false;
 * once signed in, ``then`` runs (the like or comment the visitor asked for).
 */
export function requireLogin(then, why) {
  if (signedIn()) return true;
  import("./signin.js").then(({ openSignIn }) => openSignIn(why)).then((ok) => { if (ok && then) then(); });
  return false;
}

export function toast(message) {
  const el = document.getElementById("toast");
  if (!el) return;
  el.textContent = message;
  el.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { el.hidden = true; }, 3500);
}

export function compact(n) {
  if (n < 1000) return String(n);
  if (n < 1e6) return (n / 1000).toFixed(n < 1e4 ? 1 : 0).replace(/\.0$/, "") + "K";
  return (n / 1e6).toFixed(1).replace(/\.0$/, "") + "M";
}

/** Build an element: h("a", {href: "/"}, "text", child). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (key === "dataset") Object.assign(el.dataset, value);
    else el.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** An icon from the page's sprite (templates/web/_icons.html). */
export function icon(name) {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("class", "i");
  svg.setAttribute("aria-hidden", "true");
  const use = document.createElementNS(ns, "use");
  use.setAttribute("href", `#i-${name}`);
  svg.append(use);
  return svg;
}

/** An avatar image, or the first letter of the handle when there is none. */
export function avatar(user, size = 48) {
  if (user.avatar) return h("img", { src: user.avatar, alt: "", width: size, height: size, class: "avatar" });
  return h("span", { class: "avatar-fallback", "aria-hidden": "true" }, (user.handle || "?")[0].toUpperCase());
}

/** Caption text with #hashtags and @mentions turned into links. */
export function captionNodes(text) {
  const parts = [];
  const pattern = /([#@])([\p{L}\p{N}_.]+)/gu;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    if (match.index > last) parts.push(text.slice(last, match.index));
    const [whole, sign, name] = match;
    const clean = name.replace(/\.+$/, "");
    const href = sign === "#" ? `/tag/${encodeURIComponent(clean.toLowerCase())}` : `/@${encodeURIComponent(clean)}`;
    parts.push(h("a", { href }, sign + clean));
    if (clean.length < name.length) parts.push(name.slice(clean.length));
    last = match.index + whole.length;
  }
  parts.push(text.slice(last));
  return parts;
}
