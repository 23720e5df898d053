// Feed events, sent in batches: only what the recommender needs (no device data).
import { api, signedIn } from "./api.js";

const BATCH = 10;
const INTERVAL_MS = 5000;
let queue = [];

/** Queue one event: impression, view (with watched time and where it was opened), skip, share… */
export function track(type, video, watchedMs = 0, source = null) {
  const event = { type, video, watched_ms: Math.max(0, Math.round(watchedMs)), at: new Date().toISOString() };
  if (source) event.source = source;
  queue.push(event);
  if (queue.length >= BATCH) flushEvents();
}

/** Send what is queued; keepalive lets the request finish while the page unloads. */
export function flushEvents() {
  if (!queue.length || !signedIn()) { queue = []; return; }
  const events = queue;
  queue = [];
  api("events", { method: "POST", json: { events }, keepalive: true }).catch(() => {
    // Events are best effort: a lost batch only makes the next page a little less tailored.
  });
}

setInterval(flushEvents, INTERVAL_MS);
addEventListener("pagehide", flushEvents);
