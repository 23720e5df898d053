// A picked file is checked in the browser before anything is uploaded: its size, and
// its first bytes, which name the container (MP4/MOV "ftyp", WebM/Matroska EBML).

const EBML = [0x1a, 0x45, 0xdf, 0xa3];
const MP4_BOXES = ["ftyp", "moov", "mdat", "wide", "free", "skip", "pnot"];

/** The problem with ``file`` as a video upload, in words for the person, or null. */
export async function videoFileProblem(file, maxMb) {
  if (file.size === 0) return "That file is empty.";
  if (file.size > maxMb * 1e6) {
    return `That file is ${(file.size / 1e6).toFixed(0)} MB; the limit is ${maxMb} MB.`;
  }
  const head = new Uint8Array(await file.slice(0, 12).arrayBuffer());
  const box = String.fromCharCode(...head.slice(4, 8));
  const isMp4 = MP4_BOXES.includes(box);
  const isMatroska = EBML.every((byte, i) => head[i] === byte);
  if (isMp4 || isMatroska) return null;
  return `“${file.name}” is not a video Clipdeck can use. Choose an MP4, MOV, WebM or MKV video.`;
}
