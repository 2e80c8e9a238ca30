/**
 * `npm run bench`: runs every bench module (bench/<name>.ts exporting `run(): Promise<BenchResult[]>`)
 * one after another, prints a table and writes bench/RESULTS.md (and results.json) for the README.
 * Loopback only. `npm run bench -- startup tips` runs only the named modules and refreshes their rows.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { BenchResult } from './types.js'

const here = path.dirname(fileURLToPath(import.meta.url))
const NOT_BENCHES = new Set(['run.ts', 'types.ts', 'stats.ts'])
const only = process.argv.slice(2)
const modules = fs
  .readdirSync(here)
  .filter((file) => file.endsWith('.ts') && !NOT_BENCHES.has(file) && !file.endsWith('.test.ts'))
  .map((file) => file.replace(/\.ts$/, ''))
  .sort((a, b) => (a === 'startup' ? -1 : b === 'startup' ? 1 : a.localeCompare(b)))
  .filter((name) => only.length === 0 || only.includes(name))

const rows: { module: string; result: BenchResult }[] = []
const failures: string[] = []
for (const name of modules) {
  process.stdout.write(`bench: ${name}...\n`)
  try {
    const mod = (await import(pathToFileURL(path.join(here, `${name}.ts`)).href)) as {
      run(): Promise<BenchResult[]>
    }
    for (const result of await mod.run()) {
      rows.push({ module: name, result })
      process.stdout.write(
        `  ${result.name}: ${result.value} ${result.unit}${result.target ? ` (target ${result.target})` : ''}${result.note ? ` — ${result.note}` : ''}\n`,
      )
    }
  } catch (error) {
    failures.push(`${name}: ${(error as Error).message}`)
    process.stdout.write(`  FAILED: ${(error as Error).stack ?? String(error)}\n`)
  }
}

// A partial run (`npm run bench -- webhooks`) refreshes only its modules' rows of the last full run.
const jsonFile = path.join(here, 'results.json')
interface StoredRow {
  module: string
  result: BenchResult
  measuredAt: string
}
const measuredAt = new Date().toISOString().slice(0, 10)
const previous: StoredRow[] =
  only.length > 0 && fs.existsSync(jsonFile)
    ? (JSON.parse(fs.readFileSync(jsonFile, 'utf8')) as StoredRow[])
    : []
const stored: StoredRow[] = [
  ...previous.filter((row) => !only.includes(row.module)),
  ...rows.map((row) => ({ ...row, measuredAt })),
].sort((a, b) => modules.indexOf(a.module) - modules.indexOf(b.module))
const allModules = [...new Set(stored.map((row) => row.module))]
stored.sort((a, b) => allModules.indexOf(a.module) - allModules.indexOf(b.module))

const cell = (text: string) => text.replace(/\|/g, '\\|')
const tableOf = (list: { module: string; result: BenchResult; measuredAt?: string }[]) =>
  [
    '| area | measure | value | target | note | measured |',
    '| --- | --- | --- | --- | --- | --- |',
    ...list.map(
      ({ module, result, measuredAt: day }) =>
        `| ${module} | ${cell(result.name)} | ${result.value} ${result.unit} | ${cell(result.target ?? '')} | ${cell(result.note ?? '')} | ${day ?? measuredAt} |`,
    ),
  ].join('\n')
const table = tableOf(rows)
const header = `Machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}; written by \`npm run bench\` (a partial run, \`npm run bench -- <module>\`, refreshes its own rows).`
if (failures.length === 0 || only.length === 0) {
  fs.writeFileSync(jsonFile, `${JSON.stringify(stored, null, 2)}\n`)
  fs.writeFileSync(
    path.join(here, 'RESULTS.md'),
    `# Benchmark results\n\n${header}\n\n${tableOf(stored)}\n${failures.length ? `\nFailed: ${failures.join('; ')}\n` : ''}`,
  )
}
process.stdout.write(`\n${table}\n`)
if (failures.length) {
  process.stdout.write(`\n${failures.length} bench module(s) failed: ${failures.join('; ')}\n`)
  process.exitCode = 1
}
