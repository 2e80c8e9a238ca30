// Generates the alert sounds bundled with WM Companion as small 16-bit mono WAV files, so no sound is
// downloaded and none has a licence question. Run: node assets/sounds/generate.mjs
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const RATE = 22050
const here = path.dirname(fileURLToPath(import.meta.url))

/** Notes: [frequency Hz, start s, length s, gain]; a soft attack and an exponential decay each. */
function render(notes, seconds, { harmonics = [1, 0.35, 0.12], decay = 6 } = {}) {
  const samples = new Float32Array(Math.ceil(seconds * RATE))
  for (const [frequency, start, length, gain] of notes) {
    const from = Math.floor(start * RATE)
    const count = Math.floor(length * RATE)
    for (let i = 0; i < count && from + i < samples.length; i += 1) {
      const t = i / RATE
      const envelope = Math.min(1, t / 0.005) * Math.exp(-decay * t)
      let value = 0
      harmonics.forEach((weight, index) => {
        value += weight * Math.sin(2 * Math.PI * frequency * (index + 1) * t)
      })
      samples[from + i] += gain * envelope * value
    }
  }
  let peak = 0
  for (const value of samples) peak = Math.max(peak, Math.abs(value))
  const scale = peak > 0 ? 0.8 / peak : 0
  const fadeOut = Math.floor(0.02 * RATE)
  const pcm = Buffer.alloc(samples.length * 2)
  samples.forEach((value, index) => {
    const tail = Math.min(1, (samples.length - index) / fadeOut)
    pcm.writeInt16LE(Math.round(value * scale * tail * 32767), index * 2)
  })
  return wav(pcm)
}

function wav(pcm) {
  const header = Buffer.alloc(44)
  header.write('RIFF', 0)
  header.writeUInt32LE(36 + pcm.length, 4)
  header.write('WAVE', 8)
  header.write('fmt ', 12)
  header.writeUInt32LE(16, 16)
  header.writeUInt16LE(1, 20) // PCM
  header.writeUInt16LE(1, 22) // mono
  header.writeUInt32LE(RATE, 24)
  header.writeUInt32LE(RATE * 2, 28)
  header.writeUInt16LE(2, 32)
  header.writeUInt16LE(16, 34)
  header.write('data', 36)
  header.writeUInt32LE(pcm.length, 40)
  return Buffer.concat([header, pcm])
}

const sounds = {
  chime: render(
    [
      [1318.5, 0, 0.7, 1],
      [1975.5, 0.12, 0.6, 0.8],
    ],
    0.75,
  ),
  coin: render(
    [
      [987.8, 0, 0.08, 0.9],
      [1318.5, 0.08, 0.3, 1],
    ],
    0.4,
    { harmonics: [1, 0.5, 0.3, 0.15], decay: 9 },
  ),
  fanfare: render(
    [
      [523.3, 0, 0.3, 0.9],
      [659.3, 0.12, 0.3, 0.9],
      [784.0, 0.24, 0.3, 0.9],
      [1046.5, 0.36, 0.6, 1],
      [784.0, 0.36, 0.6, 0.5],
    ],
    1,
    { harmonics: [1, 0.5, 0.25, 0.1], decay: 4 },
  ),
}

for (const [name, data] of Object.entries(sounds)) {
  fs.writeFileSync(path.join(here, `${name}.wav`), data)
  process.stdout.write(`${name}.wav ${data.length} bytes\n`)
}
