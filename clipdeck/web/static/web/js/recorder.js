// Camera recording with MediaRecorder: countdown, segments (pause/resume), a progress ring.

const MIME_TYPES = ["video/webm;codecs=vp9,opus", "video/webm;codecs=vp8,opus", "video/webm", "video/mp4"];
const RING_LENGTH = 2 * Math.PI * 34;

/** Wire a record button to the camera; calls onFinish(blob, durationMs) when done. */
export function recorder(opts) {
  let stream = null;
  let media = null;
  let chunks = [];
  let limitMs = opts.limitMs;
  let elapsed = 0;
  let segmentStart = 0;
  let frame = 0;
  const api = { recording: false };

  function setButton(state, label) {
    opts.button.dataset.state = state;
    opts.button.setAttribute("aria-label", label);
  }

  function progress() {
    const now = elapsed + (api.recording ? performance.now() - segmentStart : 0);
    opts.ring.style.strokeDashoffset = String(RING_LENGTH * (1 - Math.min(1, now / limitMs)));
    opts.status.textContent = `${(now / 1000).toFixed(1)} s of ${limitMs / 1000} s`;
    if (now >= limitMs) return finish();
    if (api.recording) frame = requestAnimationFrame(progress);
  }

  async function countdown() {
    if (!opts.useCountdown()) return;
    opts.countdown.hidden = false;
    for (let n = 3; n > 0; n--) {
      opts.countdown.textContent = String(n);
      await new Promise((r) => setTimeout(r, 700));
    }
    opts.countdown.hidden = true;
  }

  async function record() {
    if (!media) {
      await countdown();
      const mimeType = MIME_TYPES.find((t) => MediaRecorder.isTypeSupported(t)) || "";
      media = new MediaRecorder(stream, mimeType ? { mimeType } : {});
      chunks = [];
      media.ondataavailable = (e) => e.data.size && chunks.push(e.data);
      media.start(250);
      opts.onStart();
    } else {
      media.resume();
      opts.onResume();
    }
    api.recording = true;
    segmentStart = performance.now();
    setButton("recording", "Pause recording");
    opts.done.disabled = true;
    opts.discard.disabled = true;
    frame = requestAnimationFrame(progress);
  }

  function pause() {
    media.pause();
    api.recording = false;
    elapsed += performance.now() - segmentStart;
    cancelAnimationFrame(frame);
    setButton("paused", "Continue recording");
    opts.onPause();
    opts.done.disabled = false;
    opts.discard.disabled = false;
  }

  function finish() {
    if (!media) return;
    if (api.recording) {
      elapsed += performance.now() - segmentStart;
      api.recording = false;
    }
    cancelAnimationFrame(frame);
    const durationMs = Math.min(elapsed, limitMs);
    const type = media.mimeType;
    media.onstop = () => {
      const blob = new Blob(chunks, { type: type || "video/webm" });
      api.stop();
      discard(); // ready for another take
      opts.onFinish(blob, durationMs);
    };
    media.stop();
  }

  function discard() {
    if (media && media.state !== "inactive") { media.onstop = null; media.stop(); }
    media = null;
    chunks = [];
    elapsed = 0;
    api.recording = false;
    setButton("idle", "Start recording");
    opts.ring.style.strokeDashoffset = String(RING_LENGTH);
    opts.status.textContent = "";
    opts.done.disabled = true;
    opts.discard.disabled = true;
  }

  api.start = async () => {
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "user", width: { ideal: 720 }, height: { ideal: 1280 } }, audio: true });
    } catch (error) {
      opts.status.textContent = "The camera is not available (" + (error.name === "NotAllowedError" ? "permission denied" : error.message) + "). You can upload a file instead.";
      opts.button.disabled = true;
      return;
    }
    opts.preview.srcObject = stream;
    opts.preview.muted = true;
    opts.preview.play().catch(() => {});
    opts.ring.style.strokeDasharray = String(RING_LENGTH);
    opts.ring.style.strokeDashoffset = String(RING_LENGTH);
    setButton("idle", "Start recording");
    opts.button.disabled = false;
  };
  api.stop = () => stream?.getTracks().forEach((t) => t.stop());
  api.setLimit = (ms) => { limitMs = ms; };
  api.reset = () => discard();

  opts.button.addEventListener("click", () => (api.recording ? pause() : record()));
  opts.done.addEventListener("click", finish);
  opts.discard.addEventListener("click", discard);
  return api;
}
