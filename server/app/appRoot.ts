import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** The folder holding the app's package.json, from source (tsx) or from dist/ or inside an asar. */
export function findAppRoot(from: string = path.dirname(fileURLToPath(import.meta.url))): string {
  let dir = from
  for (;;) {
    const candidate = path.join(dir, 'package.json')
    if (fs.existsSync(candidate)) {
      const pkg = JSON.parse(fs.readFileSync(candidate, 'utf8')) as { name?: string }
      if (pkg.name === 'wm-companion') return dir
    }
    const parent = path.dirname(dir)
    if (parent === dir) throw new Error(`cannot find the wm-companion package.json above ${from}`)
    dir = parent
  }
}

export function readAppVersion(root: string = findAppRoot()): string {
  return (
    JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }
  ).version
}
