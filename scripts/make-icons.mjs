// Renders public/icons/icon.svg to the PNG sizes Chrome, Android (maskable) and iOS ask for.
// Run once after changing the SVG: `node scripts/make-icons.mjs`; the PNGs are committed.
import sharp from 'sharp'
import { readFileSync, writeFileSync } from 'node:fs'

const svg = readFileSync('public/icons/icon.svg')
const maskableSvg = Buffer.from(
  svg.toString().replace('rx="112"', 'rx="0"').replace('<g ', '<g transform="translate(76.8 76.8) scale(0.7)" '),
)
for (const size of [192, 512]) {
  await sharp(svg, { density: 300 }).resize(size, size).png().toFile(`public/icons/icon-${size}.png`)
  await sharp(maskableSvg, { density: 300 }).resize(size, size).png().toFile(`public/icons/maskable-${size}.png`)
}
// iOS draws its own rounded corners and ignores transparency: a full-bleed square.
await sharp(maskableSvg, { density: 300 }).resize(180, 180).png().toFile('public/icons/apple-touch-icon-180.png')
const ico48 = await sharp(svg, { density: 300 }).resize(48, 48).png().toBuffer()
// A PNG-in-ICO favicon: 6-byte header + one 16-byte directory entry.
const header = Buffer.alloc(22)
header.writeUInt16LE(0, 0)
header.writeUInt16LE(1, 2)
header.writeUInt16LE(1, 4)
header.writeUInt8(48, 6)
header.writeUInt8(48, 7)
header.writeUInt16LE(1, 10)
header.writeUInt16LE(32, 12)
header.writeUInt32LE(ico48.length, 14)
header.writeUInt32LE(22, 18)
writeFileSync('public/favicon.ico', Buffer.concat([header, ico48]))
console.log('icons written')
