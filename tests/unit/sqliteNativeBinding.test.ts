/**
 * openDatabase loads the addon it is given (better-sqlite3's nativeBinding), which is how Electron gets
 * its own build in a source checkout (electron/logic/nativeBinding.ts). Proven here with a copy of the
 * Node build at another path; an Electron build cannot load under Node.
 */
import fs from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { ADDON_FILE } from '../../electron/logic/nativeBinding.js'
import { openDatabase } from '../../server/storage/db.js'

const require = createRequire(import.meta.url)
const nodeBuild = path.join(
  path.dirname(require.resolve('better-sqlite3/package.json')),
  'build',
  'Release',
  ADDON_FILE,
)

describe('openDatabase with a nativeBinding', () => {
  it('opens and migrates the database with the addon at that path', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-binding-'))
    const addon = path.join(dir, 'cache', 'entry', ADDON_FILE)
    fs.mkdirSync(path.dirname(addon), { recursive: true })
    fs.copyFileSync(nodeBuild, addon)
    const db = openDatabase(path.join(dir, 'wm-companion.sqlite'), undefined, {
      nativeBinding: addon,
    })
    expect(db.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get()).toMatchObject({
      n: expect.any(Number),
    })
    db.close()
  })

  it('fails naming the path when the addon is not there', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-binding-'))
    const missing = path.join(dir, 'nowhere', ADDON_FILE)
    expect(() =>
      openDatabase(path.join(dir, 'wm-companion.sqlite'), undefined, { nativeBinding: missing }),
    ).toThrow(missing)
  })
})
