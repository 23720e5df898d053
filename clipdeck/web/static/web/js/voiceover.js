// Voice-over: record the microphone alone (MediaRecorder, audio only) while the
// preview plays from the start, then play it back over the preview.

const AUDIO_TYPES = ["audio/webm;codecs=opus", "audio/webm", "audio/ogg;codecs=opus", "audio/mp4"];

/**
 * Wire the voice-over card. ``playFromStart()`` starts the preview at the edit's
 * beginning; ``onChange(take)`` gets {blob, name} or null.
 */
export function voiceOver({ recordButton, removeButton, status, audio, preview, playFromStart, onChange }) {
  let media = null;
  let take = null;

  function stopped(chunks, type, stream) {
    stream.getTracks().forEach((track) => track.stop());
    const blob = new Blob(chunks, { type: type || "audio/webm" });
    const ext = blob.type.includes("mp4") ? "m4a" : blob.type.includes("ogg") ? "ogg" : "webm";
    take = { blob, name: `voiceover.${ext}` };
    audio.src = URL.createObjectURL(blob);
    status.textContent = "Voice-over recorded. It plays with the preview.";
    recordButton.textContent = "Record again";
    removeButton.disabled = false;
    preview.pause();
    onChange(take);
  }

  async function start() {
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: false });
    } catch (error) {
      status.textContent = `The microphone is not available (${error.name === "NotAllowedError" ? "permission denied" : error.message}).`;
      return;
    }
    const mimeType = AUDIO_TYPES.find((t) => MediaRecorder.isTypeSupported(t)) || "";
    media = new MediaRecorder(stream, mimeType ? { mimeType } : {});
    const chunks = [];
    media.ondataavailable = (event) => event.data.size && chunks.push(event.data);
    media.onstop = () => { stopped(chunks, media.mimeType, stream); media = null; };
    audio.pause();
    playFromStart();
    media.start(250);
    recordButton.textContent = "Stop voice-over";
    recordButton.setAttribute("aria-pressed", "true");
    status.textContent = "Recording your voice… speak over the preview.";
  }

  recordButton.addEventListener("click", () => {
    if (media) {
      recordButton.setAttribute("aria-pressed", "false");
      media.stop();
    } else {
      start();
    }
  });
  removeButton.addEventListener("click", () => {
    take = null;
    audio.removeAttribute("src");
    status.textContent = "No voice-over";
    recordButton.textContent = "Record voice-over";
    removeButton.disabled = true;
    onChange(null);
  });
  return {
    get take() { return take; },
    stop() { if (media) media.stop(); },
    get recording() { return Boolean(media); },
    /** The studio calls these as the preview plays: from the start, on, and paused. */
    restart() { if (take && !media) { audio.currentTime = 0; audio.play().catch(() => {}); } },
    resume() { if (take && !media) audio.play().catch(() => {}); },
    pause() { if (!media) audio.pause(); },
    volume(value) { audio.volume = Math.min(1, value); },
  };
}
