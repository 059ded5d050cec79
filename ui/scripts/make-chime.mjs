// Writes public/sounds/notification.wav: a short two-tone chime (A5 then E6) synthesized
// here, so the app ships a sound nobody else holds rights to. Run `node scripts/make-chime.mjs`
// from ui/ after changing it, and commit the result.
import { writeFileSync } from "node:fs";

const RATE = 22050;
const SECONDS = 0.42;
const TONES = [
  { start: 0, hz: 880 },
  { start: 0.12, hz: 1318.51 },
];

const samples = new Int16Array(Math.round(RATE * SECONDS));
for (let i = 0; i < samples.length; i++) {
  const t = i / RATE;
  let value = 0;
  for (const { start, hz } of TONES) {
    const local = t - start;
    if (local < 0) continue;
    // A soft 5 ms attack and a bell-like decay; a quiet octave adds brightness.
    const envelope = Math.min(1, local / 0.005) * Math.exp(-local * 9);
    value += envelope * (Math.sin(2 * Math.PI * hz * local) + 0.25 * Math.sin(4 * Math.PI * hz * local));
  }
  // Fade the tail so the file ends in silence without a click.
  const tail = Math.min(1, (SECONDS - t) / 0.03);
  samples[i] = Math.round(Math.max(-1, Math.min(1, value * 0.35 * tail)) * 32767);
}

const data = Buffer.from(samples.buffer);
const header = Buffer.alloc(44);
header.write("RIFF", 0);
header.writeUInt32LE(36 + data.length, 4);
header.write("WAVE", 8);
header.write("fmt ", 12);
header.writeUInt32LE(16, 16); // PCM chunk size
header.writeUInt16LE(1, 20); // PCM
header.writeUInt16LE(1, 22); // mono
header.writeUInt32LE(RATE, 24);
header.writeUInt32LE(RATE * 2, 28); // bytes per second
header.writeUInt16LE(2, 32); // block align
header.writeUInt16LE(16, 34); // bits per sample
header.write("data", 36);
header.writeUInt32LE(data.length, 40);
writeFileSync(new URL("../public/sounds/notification.wav", import.meta.url), Buffer.concat([header, data]));
