// Shop behaviour for the pages and the feed: product sheets, cart, checkout.
// Talks to /api/v1 with the browser session and the CSRF token.
// The feed can reuse it: openProductSheet(productId, videoId) and
// renderProductChips(container, videoId) are exported.

const API = "/api/v1";

function csrfToken() {
  const holder = document.querySelector("[data-shop-csrf]");
  if (holder) return holder.dataset.shopCsrf;
  const cookie = document.cookie.split("; ").find((c) => c.startsWith("csrftoken="));
  return cookie ? decodeURIComponent(cookie.split("=")[1]) : "";
}

async function api(method, path, body, headers = {}) {
  const response = await fetch(API + path, {
    method,
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    const message = data.error?.message || `Something went wrong (${response.status}).`;
    const error = new Error(response.status === 401 ? "Sign in to buy." : message);
    error.status = response.status;
    throw error;
  }
  return data;
}

function say(scope, text) {
  const status = scope.querySelector("[data-shop-status]");
  if (status) status.textContent = text;
}

function sheetDialog() {
  let dialog = document.querySelector("[data-shop-sheet]");
  if (!dialog) {
    dialog = document.createElement("dialog");
    dialog.className = "shop-sheet";
    dialog.dataset.shopSheet = "";
    dialog.setAttribute("aria-label", "Product");
    dialog.innerHTML = '<div class="shop-sheet-body" data-shop-sheet-body></div>' +
      '<form method="dialog"><button class="shop-button shop-secondary">Close</button></form>';
    document.body.append(dialog);
  }
  return dialog;
}

export async function openProductSheet(productId, videoId = "") {
  if (videoId) api("POST", `/videos/${videoId}/products/${productId}/tap`).catch(() => {});
  const query = videoId ? `?video=${encodeURIComponent(videoId)}` : "";
  const response = await fetch(`/shop/product/${productId}/sheet${query}`, { credentials: "same-origin" });
  const dialog = sheetDialog();
  dialog.querySelector("[data-shop-sheet-body]").innerHTML = response.ok
    ? await response.text()
    : "<p>This product is not available.</p>";
  dialog.showModal();
  dialog.querySelector("select, button")?.focus();
}

export async function renderProductChips(container, videoId) {
  const data = await api("GET", `/videos/${videoId}/products`).catch(() => null);
  if (!data || !data.items.length) return;
  container.innerHTML = "";
  const label = document.createElement("p");
  label.className = "shop-commercial";
  label.textContent = "Shoppable · contains products";
  const chips = document.createElement("div");
  chips.className = "shop-chips";
  for (const product of data.items) {
    const chip = document.createElement("button");
    chip.type = "button";
    chip.className = "shop-chip";
    chip.dataset.productSheet = product.id;
    chip.dataset.video = videoId;
    chip.textContent = `${product.title} · ${product.price?.display ?? ""}`;
    chips.append(chip);
  }
  container.append(label, chips);
  api("POST", `/videos/${videoId}/products/impression`).catch(() => {});
}

async function addToCart(form, intent) {
  const body = {
    product_id: Number(form.dataset.product),
    variant_id: Number(form.elements.variant_id.value),
    quantity: Number(form.elements.quantity.value || 1),
  };
  if (form.dataset.video) body.video_id = form.dataset.video;
  if (intent === "buy") body.buy_now = true;
  try {
    await api("POST", "/cart/items", body);
    if (intent === "buy") {
      window.location.href = `/checkout?shop=${encodeURIComponent(form.dataset.shop)}`;
    } else {
      say(form, "Added to your cart.");
    }
  } catch (error) {
    say(form, error.message);
  }
}

function newKey() {
  return crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`;
}

async function checkout(form) {
  const f = form.elements;
  // One key per attempt: a double click or a retried request cannot pay twice.
  form.dataset.key ||= newKey();
  const body = {
    shop: form.dataset.shop || "",
    shipping_address: {
      name: f.name.value, line1: f.line1.value, line2: f.line2.value, city: f.city.value,
      region: f.region.value, postal_code: f.postal_code.value, country: f.country.value.toUpperCase(),
    },
    payment: { method: f.method.value, card_number: f.card_number.value },
  };
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  say(form, "Paying…");
  try {
    const data = await api("POST", "/checkout", body, { "Idempotency-Key": form.dataset.key });
    window.location.href = `/orders/${data.order.id}`;
  } catch (error) {
    delete form.dataset.key; // the next attempt (another card) is a new checkout
    say(form, error.message);
    button.disabled = false;
  }
}

async function updateCart(path, method, body) {
  try {
    await api(method, path, body);
    window.location.reload();
  } catch (error) {
    say(document, error.message);
  }
}

document.addEventListener("click", (event) => {
  const opener = event.target.closest("[data-product-sheet]");
  if (opener) {
    event.preventDefault();
    openProductSheet(opener.dataset.productSheet, opener.dataset.video || "");
    return;
  }
  const remove = event.target.closest("[data-cart-remove]");
  if (remove) updateCart(`/cart/items/${remove.dataset.cartRemove}`, "DELETE");
});

document.addEventListener("change", (event) => {
  const quantity = event.target.closest("[data-cart-quantity]");
  if (quantity) {
    updateCart(`/cart/items/${quantity.dataset.cartQuantity}`, "PATCH", { quantity: Number(quantity.value) });
  }
});

document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form.matches("[data-add-to-cart]")) {
    event.preventDefault();
    addToCart(form, event.submitter?.value || "cart");
  } else if (form.matches("[data-checkout]")) {
    event.preventDefault();
    checkout(form);
  }
});

for (const container of document.querySelectorAll("[data-product-chips]")) {
  renderProductChips(container, container.dataset.productChips);
}

// Catalog import on the dashboard: the file is queued, then its progress is polled.
function importSummary(job) {
  const problems = job.errors.length;
  if (job.status === "queued") return "Import queued…";
  if (job.status === "running") return `Importing… ${job.done} of ${job.total} products.`;
  const done = `${job.created} created, ${job.updated} updated, ${problems} problem${problems === 1 ? "" : "s"}.`;
  return job.status === "failed" ? `${job.message} ${done}` : done;
}

function showImport(region, job) {
  region.hidden = false;
  region.replaceChildren();
  const summary = document.createElement("p");
  summary.textContent = importSummary(job);
  region.append(summary);
  if (job.errors.length) {
    const list = document.createElement("ul");
    for (const error of job.errors) {
      const item = document.createElement("li");
      item.textContent = (error.row ? `Row ${error.row}: ` : "") + error.message;
      list.append(item);
    }
    region.append(list);
  }
}

export async function followImport(region, importId) {
  for (;;) {
    const job = await api("GET", `/shop/catalog/imports/${importId}`);
    showImport(region, job);
    if (job.status === "done" || job.status === "failed") {
      if (job.status === "done" && (job.created || job.updated)) region.dataset.importFinished = "";
      return job;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

async function startImport(form) {
  const region = document.querySelector("[data-import-progress]");
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  try {
    const response = await fetch(API + "/shop/catalog/import", {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken() },
      body: new FormData(form),
    });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(data.error?.message || `Something went wrong (${response.status}).`);
    showImport(region, data);
    await followImport(region, data.id);
  } catch (error) {
    region.hidden = false;
    region.textContent = error.message;
  } finally {
    button.disabled = false;
  }
}

document.addEventListener("submit", (event) => {
  if (event.target.matches("[data-catalog-import]")) {
    event.preventDefault();
    startImport(event.target);
  }
});

for (const region of document.querySelectorAll("[data-import-poll]")) {
  followImport(region, region.dataset.importPoll).catch((error) => { region.textContent = error.message; });
}
