/** One figure `npm run bench` prints and the README reports. */
export interface BenchResult {
  name: string
  value: number
  unit: string
  /** The target, e.g. "< 1.5 s". */
  target?: string
  note?: string
}
