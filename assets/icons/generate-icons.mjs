// Generates the app and tray icons as PNG files with no dependency beyond Node's zlib.
// Run: node assets/icons/generate-icons.mjs   (the PNGs are committed; rerun only to change the design)
// Design: a green coin with a white "W" (Web Monetization); tray template icons are black with alpha.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import zlib from 'node:zlib'

const here = path.dirname(fileURLToPath(import.meta.url))

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
function crc32(buffer) {
  let c = 0xffffffff
  for (const byte of buffer) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}
function chunk(type, data) {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([length, body, crc])
}
function encodePng(size, rgba) {
  const header = Buffer.alloc(13)
  header.writeUInt32BE(size, 0)
  header.writeUInt32BE(size, 4)
  header[8] = 8 // bit depth
  header[9] = 6 // RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1))
  for (let y = 0; y < size; y += 1) {
    raw[y * (size * 4 + 1)] = 0 // filter: none
    rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4)
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

// The "W" as a polyline in unit coordinates.
const W = [
  [0.25, 0.34],
  [0.365, 0.68],
  [0.5, 0.42],
  [0.635, 0.68],
  [0.75, 0.34],
]
function distanceToSegment(px, py, [ax, ay], [bx, by]) {
  const dx = bx - ax
  const dy = by - ay
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy))
}
function onW(x, y, halfWidth) {
  for (let i = 0; i < W.length - 1; i += 1) {
    if (distanceToSegment(x, y, W[i], W[i + 1]) <= halfWidth) return true
  }
  return false
}

/** Colour icon: green coin, lighter rim, white W. Template icon: black ring and W only. */
function render(size, template) {
  const samples = 4
  const rgba = Buffer.alloc(size * size * 4)
  const stroke = template ? 0.055 : 0.045
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      let r = 0
      let g = 0
      let b = 0
      let a = 0
      for (let sy = 0; sy < samples; sy += 1) {
        for (let sx = 0; sx < samples; sx += 1) {
          const u = (x + (sx + 0.5) / samples) / size
          const v = (y + (sy + 0.5) / samples) / size
          const d = Math.hypot(u - 0.5, v - 0.5)
          let color = null
          if (template) {
            if ((d <= 0.47 && d >= 0.39) || onW(u, v, stroke)) color = [0, 0, 0]
          } else if (d <= 0.47) {
            if (onW(u, v, stroke)) color = [255, 255, 255]
            else if (d >= 0.42) color = [120, 220, 180]
            else {
              const shade = v // top lighter, bottom darker
              color = [
                Math.round(40 - 20 * shade),
                Math.round(170 - 60 * shade),
                Math.round(130 - 40 * shade),
              ]
            }
          }
          if (color) {
            r += color[0]
            g += color[1]
            b += color[2]
            a += 1
          }
        }
      }
      const offset = (y * size + x) * 4
      if (a > 0) {
        rgba[offset] = Math.round(r / a)
        rgba[offset + 1] = Math.round(g / a)
        rgba[offset + 2] = Math.round(b / a)
        rgba[offset + 3] = Math.round((255 * a) / (samples * samples))
      }
    }
  }
  return encodePng(size, rgba)
}

const outputs = [
  ['icon.png', 512, false],
  ['linux/32x32.png', 32, false],
  ['linux/256x256.png', 256, false],
  ['linux/512x512.png', 512, false],
  ['tray.png', 16, false],
  ['tray@2x.png', 32, false],
  ['trayTemplate.png', 16, true],
  ['trayTemplate@2x.png', 32, true],
]
for (const [file, size, template] of outputs) {
  const target = path.join(here, file)
  fs.mkdirSync(path.dirname(target), { recursive: true })
  const png = render(size, template)
  fs.writeFileSync(target, png)
  console.log(`${file}: ${size}x${size}, ${png.length} bytes`)
}
