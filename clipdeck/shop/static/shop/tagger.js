// Tagging a shop's products in a video: a checklist of the merchant's catalog, saved
// with PUT /api/v1/videos/{id}/products (up to 6). Used in the studio, before the
// video exists, and on a posted video's page.

const API = "/api/v1";
export const MAX_TAGS = 6;

function csrf() {
  return document.body.dataset.csrf || "";
}

async function call(method, path, body) {
  const response = await fetch(API + path, {
    method,
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrf() },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = new Error(data.error?.message || `Something went wrong (${response.status}).`);
    error.status = response.status;
    throw error;
  }
  return data;
}

/** The signed-in merchant's catalog (first page), or null when they have no shop. */
export async function myCatalog() {
  try {
    return (await call("GET", "/shop/products?limit=50")).items;
  } catch (error) {
    if (error.status === 403 || error.status === 401) return null;
    throw error;
  }
}

/** Fill ``list`` with one checkbox per product; ``chosen`` ids start ticked. */
export function renderChecklist(list, products, chosen = []) {
  list.replaceChildren();
  for (const product of products) {
    const item = document.createElement("li");
    const label = document.createElement("label");
    label.className = "check";
    const name = document.createElement("span");
    const price = product.price ? ` · ${product.price.display}` : "";
    const state = product.status === "active" && product.published ? "" : " (not on sale)";
    name.textContent = `${product.title}${price}${state}`;
    const box = document.createElement("input");
    box.type = "checkbox";
    box.value = String(product.id);
    box.checked = chosen.includes(product.id);
    box.addEventListener("change", () => limit(list));
    label.append(name, box);
    item.append(label);
    list.append(item);
  }
  limit(list);
}

function limit(list) {
  const boxes = [...list.querySelectorAll("input[type=checkbox]")];
  const full = boxes.filter((b) => b.checked).length >= MAX_TAGS;
  boxes.forEach((b) => { b.disabled = full && !b.checked; });
}

export function checkedIds(list) {
  return [...list.querySelectorAll("input:checked")].map((b) => Number(b.value));
}

/** Save the tags of a video; returns the tags as viewers see them. */
export function saveTags(videoId, productIds) {
  return call("PUT", `/videos/${videoId}/products`, { product_ids: productIds });
}

/** The "Tag products" button on a posted video's page, for its author with a shop. */
export async function setUpVideoTagger(button) {
  const catalog = await myCatalog();
  if (!catalog || !catalog.length) return;
  const videoId = button.dataset.tagProducts;
  button.hidden = false;
  button.addEventListener("click", async () => {
    const current = (await call("GET", `/videos/${videoId}/products`)).items.map((p) => p.id);
    const dialog = document.createElement("dialog");
    dialog.className = "sheet tagger";
    dialog.setAttribute("aria-labelledby", "tagger-title");
    dialog.innerHTML = '<div class="sheet-head"><h2 id="tagger-title">Products in this video</h2>' +
      '<button type="button" class="sheet-close" aria-label="Close">×</button></div>' +
      `<div class="sheet-body"><p class="muted">Choose up to ${MAX_TAGS}. Viewers see them as chips on the video.</p>` +
      '<ul class="tag-list"></ul><p class="form-error" role="alert"></p>' +
      '<button type="button" class="button" data-save>Save</button></div>';
    const list = dialog.querySelector(".tag-list");
    renderChecklist(list, catalog, current);
    dialog.querySelector(".sheet-close").addEventListener("click", () => dialog.close());
    dialog.addEventListener("close", () => dialog.remove());
    dialog.querySelector("[data-save]").addEventListener("click", async () => {
      try {
        await saveTags(videoId, checkedIds(list));
        dialog.close();
        location.reload();
      } catch (error) {
        dialog.querySelector(".form-error").textContent = error.message;
      }
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}

for (const button of document.querySelectorAll("[data-tag-products]")) {
  setUpVideoTagger(button).catch(() => {});
}
