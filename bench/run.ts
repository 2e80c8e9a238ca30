/**
 * `npm run bench`: runs every bench module (bench/<name>.ts exporting `run(): Promise<BenchResult[]>`)
 * one after another, prints a table and writes bench/RESULTS.md for the README. Loopback only.
 * `npm run bench -- startup tips` runs only the named modules.
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

const table = [
  '| area | measure | value | target | note |',
  '| --- | --- | --- | --- | --- |',
  ...rows.map(
    ({ module, result }) =>
      `| ${module} | ${result.name} | ${result.value} ${result.unit} | ${result.target ?? ''} | ${result.note ?? ''} |`,
  ),
].join('\n')
const header = `Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}, by \`npm run bench\`.`
if (only.length === 0) {
  fs.writeFileSync(
    path.join(here, 'RESULTS.md'),
    `# Benchmark results\n\n${header}\n\n${table}\n${failures.length ? `\nFailed: ${failures.join('; ')}\n` : ''}`,
  )
}
process.stdout.write(`\n${table}\n`)
if (failures.length) {
  process.stdout.write(`\n${failures.length} bench module(s) failed: ${failures.join('; ')}\n`)
  process.exitCode = 1
}
