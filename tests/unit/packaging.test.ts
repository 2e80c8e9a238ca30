/**
 * Packaging cannot run here (electron-builder downloads Electron), so electron-builder.yml is checked
 * the way electron-builder would see it: against its own configuration schema (app-builder-lib's
 * scheme.json, with ajv and without type coercion, so stricter than electron-builder itself), and
 * through electron-builder's own validateConfiguration. Its globs and icons must point at real files.
 */
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { Ajv, type ValidateFunction } from 'ajv'
import { minimatch } from 'minimatch'
import { describe, expect, it } from 'vitest'
import YAML from 'yaml'
import { APP_ID, PRODUCT_NAME } from '../../electron/logic/appIdentity.js'
import { ICON_FILES } from '../../electron/logic/icons.js'

const root = path.resolve(import.meta.dirname, '..', '..')
const require = createRequire(import.meta.url)

type BuilderConfig = Record<string, unknown> & {
  directories?: { output?: string; buildResources?: string }
  files?: string[]
  asarUnpack?: string[]
  linux?: { target?: unknown; icon?: string }
  win?: { target?: unknown; icon?: string }
  mac?: { target?: unknown; icon?: string }
}

function loadConfig(): BuilderConfig {
  return YAML.parse(
    fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8'),
  ) as BuilderConfig
}

function compileSchema(): ValidateFunction {
  const schemaFile = require.resolve('app-builder-lib/scheme.json')
  const schema = JSON.parse(fs.readFileSync(schemaFile, 'utf8')) as object
  // strict: false because the schema uses keywords ajv does not know (e.g. "tsType");
  // no coerceTypes: a number where a string belongs is an error, not silently converted.
  return new Ajv({ allErrors: true, strict: false }).compile(schema)
}

interface ElectronBuilderValidation {
  validateConfiguration(
    config: unknown,
    debugLogger: { isEnabled: boolean; add(key: string, value: unknown): void },
  ): Promise<void>
}

function electronBuilderValidate(config: unknown): Promise<void> {
  const { validateConfiguration } =
    require('app-builder-lib/out/util/config/config.js') as ElectronBuilderValidation
  return validateConfiguration(config, { isEnabled: false, add: () => undefined })
}

function errorsOf(validate: ValidateFunction): string {
  return (validate.errors ?? [])
    .map((error) => `${error.instancePath || '/'} ${error.message ?? ''}`)
    .join('\n')
}

/** Every file under `dir`, as paths relative to the project root with forward slashes. */
function filesUnder(dir: string): string[] {
  const out: string[] = []
  const walk = (absolute: string) => {
    for (const entry of fs.readdirSync(absolute, { withFileTypes: true })) {
      const child = path.join(absolute, entry.name)
      if (entry.isDirectory()) walk(child)
      else out.push(path.relative(root, child).split(path.sep).join('/'))
    }
  }
  if (fs.existsSync(path.join(root, dir))) walk(path.join(root, dir))
  return out
}

/** The folder a glob starts from: its segments before the first one with a wildcard. */
function staticPrefix(glob: string): string {
  const segments = glob.split('/')
  const index = segments.findIndex((segment) => /[*?[\]{}!]/.test(segment))
  return segments.slice(0, index === -1 ? segments.length : index).join('/')
}

/** electron-builder matches file patterns with minimatch and `dot: true` (app-builder-lib fileMatcher). */
function matches(file: string, glob: string): boolean {
  return minimatch(file, glob, { dot: true })
}

function pngSize(file: string): { width: number; height: number } {
  const data = fs.readFileSync(file)
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  if (!data.subarray(0, 8).equals(signature) || data.toString('ascii', 12, 16) !== 'IHDR')
    throw new Error(`${file} is not a PNG`)
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) }
}

describe('electron-builder.yml', () => {
  const config = loadConfig()

  it("passes electron-builder's configuration schema, strictly typed", () => {
    const validate = compileSchema()
    const valid = validate(config)
    expect(errorsOf(validate)).toBe('')
    expect(valid).toBe(true)
  })

  it("passes electron-builder's own validateConfiguration", async () => {
    await expect(electronBuilderValidate(config)).resolves.toBeUndefined()
  })

  it('rejects broken configurations with the same validation', async () => {
    const validate = compileSchema()
    const broken: Array<[string, Record<string, unknown>]> = [
      ['misspelt option', { ...config, asarUnpak: config.asarUnpack }],
      ['option in the wrong section', { ...config, linux: { ...config.linux, oneClick: false } }],
      ['number where a glob belongs', { ...config, asarUnpack: [42] }],
      ['boolean option given a word', { ...config, nsis: { oneClick: 'sometimes' } }],
    ]
    for (const [label, candidate] of broken) {
      expect(validate(candidate), label).toBe(false)
      expect(errorsOf(validate), label).not.toBe('')
    }
    // electron-builder itself coerces types, but rejects unknown options the same way.
    await expect(electronBuilderValidate(broken[0]?.[1])).rejects.toThrow(/asarUnpak/)
  })

  it('builds AppImage and deb for Linux, nsis for Windows, dmg for macOS', () => {
    expect(config.linux?.target).toEqual(['AppImage', 'deb'])
    expect(config.win?.target).toEqual(['nsis'])
    expect(config.mac?.target).toEqual(['dmg'])
    // The shell uses the same identity (Windows shows notifications only when the IDs match).
    expect(config.productName).toBe(PRODUCT_NAME)
    expect(config.appId).toBe(APP_ID)
    // electron-builder's default output folder is dist/, where our own build goes.
    expect(config.directories?.output).not.toMatch(/^dist\/?$/)
  })

  it('locks the packaged Electron binary against use as a plain Node runtime', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
    })
    expect(config.asar).toBe(true)
  })

  it('unpacks better-sqlite3 and the Open Payments OpenAPI specs, matching real files', () => {
    const globs = config.asarUnpack ?? []
    expect(globs.length).toBeGreaterThan(0)
    for (const glob of globs) {
      const matched = filesUnder(staticPrefix(glob)).filter((file) => matches(file, glob))
      expect(matched.length, glob).toBeGreaterThan(0)
    }
    const unpacked = (file: string) => globs.some((glob) => matches(file, glob))

    // The native binary better-sqlite3 loads.
    const binary = 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'
    expect(fs.existsSync(path.join(root, binary))).toBe(true)
    expect(unpacked(binary)).toBe(true)

    // Every spec file the SDK reads by path (dist/openapi/index.js), found in the SDK's own code.
    const sdkOpenApi = 'node_modules/@interledger/open-payments/dist/openapi'
    const source = fs.readFileSync(path.join(root, sdkOpenApi, 'index.js'), 'utf8')
    const specs = [...source.matchAll(/['"]\.\/(specs\/[\w.-]+\.yaml)['"]/g)].map(
      (match) => `${sdkOpenApi}/${match[1]}`,
    )
    expect(specs.length).toBeGreaterThanOrEqual(3)
    for (const spec of specs) {
      expect(fs.existsSync(path.join(root, spec)), spec).toBe(true)
      expect(unpacked(spec), spec).toBe(true)
    }
    // And nothing unrelated is unpacked by accident.
    expect(unpacked('node_modules/fastify/package.json')).toBe(false)
  })

  it('packs the entry points the app starts from', () => {
    const files = config.files ?? []
    const included = (file: string) => {
      let result = false
      for (const pattern of files) {
        if (pattern.startsWith('!')) {
          if (matches(file, pattern.slice(1))) result = false
        } else if (matches(file, pattern)) result = true
      }
      return result
    }
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      main: string
    }
    expect(included(pkg.main)).toBe(true)
    expect(included('dist/electron/preload.cjs')).toBe(true)
    expect(included('dist/renderer/index.html')).toBe(true)
    expect(included('server/overlays/client/alerts.js')).toBe(true)
    expect(included(`assets/icons/${ICON_FILES.tray}`)).toBe(true)
    expect(included('assets/icons/generate-icons.mjs')).toBe(false)
    // Every browser-side file the server serves from server/<feature>/client, and every asset.
    const served = fs
      .readdirSync(path.join(root, 'server'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .flatMap((entry) => filesUnder(`server/${entry.name}/client`))
    const assets = filesUnder('assets').filter((file) => !file.endsWith('.mjs'))
    expect(assets.length).toBeGreaterThan(0)
    for (const file of [...served, ...assets]) expect(included(file), file).toBe(true)
    expect(included('package.json')).toBe(true)
    expect(included('dist/server/start.test.js')).toBe(false)
    expect(included('server/start.ts')).toBe(false)
  })

  it('references only icons that exist, at sizes the platforms accept', () => {
    const winIcon = config.win?.icon
    const macIcon = config.mac?.icon
    const linuxIcon = config.linux?.icon
    expect(winIcon && macIcon && linuxIcon).toBeTruthy()
    // Windows needs at least 256x256 to build its .ico; macOS at least 512x512 for its .icns.
    for (const [icon, minimum] of [
      [winIcon as string, 256],
      [macIcon as string, 512],
    ] as const) {
      const size = pngSize(path.join(root, icon))
      expect(size.width, icon).toBeGreaterThanOrEqual(minimum)
      expect(size.height, icon).toBe(size.width)
    }
    // Linux: a folder of PNGs whose names give their size (e.g. 256x256.png).
    const linuxDir = path.join(root, linuxIcon as string)
    const pngs = fs.readdirSync(linuxDir).filter((name) => name.endsWith('.png'))
    expect(pngs.length).toBeGreaterThan(0)
    for (const name of pngs) {
      const match = /^(\d+)x(\d+)\.png$/.exec(name)
      expect(match, name).not.toBeNull()
      const size = pngSize(path.join(linuxDir, name))
      expect(`${size.width}x${size.height}`).toBe(`${match?.[1]}x${match?.[2]}`)
    }
    expect(pngs).toContain('256x256.png')
  })

  it('ships the tray and window icons the shell loads, with their @2x variants', () => {
    for (const file of Object.values(ICON_FILES)) {
      const icon = path.join(root, 'assets', 'icons', file)
      const size = pngSize(icon)
      expect(size.width, file).toBeGreaterThan(0)
      if (file.startsWith('tray')) {
        const hiDpi = pngSize(icon.replace(/\.png$/, '@2x.png'))
        expect(hiDpi.width, file).toBe(size.width * 2)
      }
    }
  })
})
