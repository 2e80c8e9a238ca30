import path from 'node:path'
import { defaultDataDir } from './dataDir.js'

/** Everything the start function needs from the environment and the command line. */
export interface AppConfig {
  dataDir: string
  localPort: number
  publicPort: number
  publicHost: string
  /** The tunnel's https URL (or the server's), used to build callback and webhook URLs. */
  publicUrl: string | null
  sandbox: boolean
  sandboxPort: number
  /** Pass useHttp to the Open Payments SDK for local servers that publish https but serve http. */
  opInsecureHttp: boolean
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'
  /**
   * Which peers may tell the public listener the client's address (X-Forwarded-For): none (the
   * default: the peer is the client), a number of proxy hops in front of it, or the proxies' addresses.
   */
  trustProxy: false | number | string[]
  /** Log lines: readable on a terminal (`auto`, the default), or always `json` / `pretty`. */
  logFormat: 'auto' | 'json' | 'pretty'
}

/** A bad configuration value: one line naming the variable; the process exits with code 2. */
export class ConfigError extends Error {
  override name = 'ConfigError'
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(message)
  }
}

interface OptionSpec {
  env: string
  flag: string
  description: string
  defaultText: string
}

export const CONFIG_OPTIONS = {
  dataDir: {
    env: 'WM_DATA_DIR',
    flag: '--data-dir',
    description: 'Folder for the database, settings and secrets',
    defaultText: "the OS's per-user app data folder",
  },
  localPort: {
    env: 'WM_LOCAL_PORT',
    flag: '--local-port',
    description:
      'Port of the local listener (dashboard, admin API, overlays), always on 127.0.0.1; 0 picks a free port',
    defaultText: '8085',
  },
  publicPort: {
    env: 'WM_PUBLIC_PORT',
    flag: '--public-port',
    description:
      'Port of the public listener (tip page, tip API, callbacks, webhooks); 0 picks a free port',
    defaultText: '8086',
  },
  publicHost: {
    env: 'WM_PUBLIC_HOST',
    flag: '--public-host',
    description: 'Bind address of the public listener (0.0.0.0 on a server)',
    defaultText: '127.0.0.1',
  },
  publicUrl: {
    env: 'WM_PUBLIC_URL',
    flag: '--public-url',
    description: "The tunnel's https URL that forwards to the public port",
    defaultText: 'http://127.0.0.1:<public port>',
  },
  sandbox: {
    env: 'WM_SANDBOX',
    flag: '--sandbox',
    description: 'Start the built-in sandbox wallet (1 or 0)',
    defaultText: '0',
  },
  sandboxPort: {
    env: 'WM_SANDBOX_PORT',
    flag: '--sandbox-port',
    description: 'Port of the sandbox wallet',
    defaultText: '8087',
  },
  opInsecureHttp: {
    env: 'WM_OP_INSECURE_HTTP',
    flag: '--op-insecure-http',
    description:
      'Talk plain http to Open Payments servers that publish https addresses (local Rafiki); off by default',
    defaultText: '0',
  },
  logLevel: {
    env: 'WM_LOG_LEVEL',
    flag: '--log-level',
    description: 'fatal, error, warn, info, debug, trace or silent',
    defaultText: 'info',
  },
  trustProxy: {
    env: 'WM_TRUST_PROXY',
    flag: '--trust-proxy',
    description:
      'Whose X-Forwarded-For the public listener believes: off, a hop count (1 for one tunnel or proxy), or proxy addresses/CIDRs separated by commas',
    defaultText: 'off',
  },
  logFormat: {
    env: 'WM_LOG_FORMAT',
    flag: '--log-format',
    description: 'json or pretty; by default readable on a terminal and JSON otherwise',
    defaultText: 'auto',
  },
} as const satisfies Record<keyof AppConfig, OptionSpec>

type Key = keyof typeof CONFIG_OPTIONS
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

/** Reads `--flag value` / `--flag=value` pairs; a boolean flag alone means 1. Unknown flags are errors. */
export function parseFlags(argv: readonly string[]): Partial<Record<Key, string>> {
  const byFlag = new Map<string, Key>(
    (Object.keys(CONFIG_OPTIONS) as Key[]).map((key) => [CONFIG_OPTIONS[key].flag, key]),
  )
  const values: Partial<Record<Key, string>> = {}
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] as string
    if (arg === '--headless' || arg === '--desktop') continue
    const eq = arg.indexOf('=')
    const flag = eq === -1 ? arg : arg.slice(0, eq)
    const key = byFlag.get(flag)
    if (!key)
      throw new ConfigError(
        flag,
        `unknown option ${flag} (see the configuration table in README.md)`,
      )
    if (eq !== -1) {
      values[key] = arg.slice(eq + 1)
    } else if (key === 'sandbox' || key === 'opInsecureHttp') {
      values[key] = '1'
    } else {
      const next = argv[i + 1]
      if (next === undefined || next.startsWith('--'))
        throw new ConfigError(flag, `${flag} needs a value`)
      values[key] = next
      i += 1
    }
  }
  return values
}

/** Environment first, command-line flags override it. Throws ConfigError naming the variable. */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  argv: readonly string[] = [],
): AppConfig {
  const flags = parseFlags(argv)
  const raw = (key: Key): { value: string; name: string } | undefined => {
    const flagValue = flags[key]
    if (flagValue !== undefined) return { value: flagValue, name: CONFIG_OPTIONS[key].flag }
    const envValue = env[CONFIG_OPTIONS[key].env]
    if (envValue !== undefined && envValue !== '')
      return { value: envValue, name: CONFIG_OPTIONS[key].env }
    return undefined
  }

  const port = (key: Key, fallback: number): number => {
    const entry = raw(key)
    if (!entry) return fallback
    const text = entry.value.trim()
    const n = Number(text)
    if (!/^\d+$/.test(text) || !Number.isInteger(n) || n < 0 || n > 65535) {
      throw new ConfigError(
        entry.name,
        `${entry.name} must be a port number from 0 to 65535, got "${entry.value}"`,
      )
    }
    return n
  }
  const bool = (key: Key): boolean => {
    const entry = raw(key)
    if (!entry) return false
    const text = entry.value.trim().toLowerCase()
    if (['1', 'true', 'yes', 'on'].includes(text)) return true
    if (['0', 'false', 'no', 'off'].includes(text)) return false
    throw new ConfigError(entry.name, `${entry.name} must be 1 or 0, got "${entry.value}"`)
  }

  const dataDirEntry = raw('dataDir')
  let dataDir = defaultDataDir()
  if (dataDirEntry) {
    if (dataDirEntry.value.includes('\0'))
      throw new ConfigError(dataDirEntry.name, `${dataDirEntry.name} is not a valid path`)
    dataDir = path.resolve(dataDirEntry.value)
  }

  const hostEntry = raw('publicHost')
  const publicHost = hostEntry ? hostEntry.value.trim() : '127.0.0.1'
  if (!isBindAddress(publicHost)) {
    throw new ConfigError(
      hostEntry?.name ?? 'WM_PUBLIC_HOST',
      `${hostEntry?.name ?? 'WM_PUBLIC_HOST'} must be an IP address to bind (127.0.0.1, 0.0.0.0, ::), got "${publicHost}"`,
    )
  }

  const urlEntry = raw('publicUrl')
  let publicUrl: string | null = null
  if (urlEntry) {
    let parsed: URL
    try {
      parsed = new URL(urlEntry.value.trim())
    } catch {
      throw new ConfigError(
        urlEntry.name,
        `${urlEntry.name} must be an absolute http(s) URL, got "${urlEntry.value}"`,
      )
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
      throw new ConfigError(
        urlEntry.name,
        `${urlEntry.name} must start with https:// (or http:// for local tests), got "${urlEntry.value}"`,
      )
    }
    if (parsed.search || parsed.hash || parsed.username || parsed.password) {
      throw new ConfigError(
        urlEntry.name,
        `${urlEntry.name} must not contain credentials, a query or a fragment, got "${urlEntry.value}"`,
      )
    }
    publicUrl = parsed.toString().replace(/\/+$/, '')
  }

  const levelEntry = raw('logLevel')
  const logLevel = (levelEntry?.value.trim().toLowerCase() ?? 'info') as AppConfig['logLevel']
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(
      levelEntry?.name ?? 'WM_LOG_LEVEL',
      `${levelEntry?.name} must be one of ${LOG_LEVELS.join(', ')}, got "${levelEntry?.value}"`,
    )
  }

  const formatEntry = raw('logFormat')
  const logFormat = (formatEntry?.value.trim().toLowerCase() ?? 'auto') as AppConfig['logFormat']
  if (!['auto', 'json', 'pretty'].includes(logFormat)) {
    throw new ConfigError(
      formatEntry?.name ?? 'WM_LOG_FORMAT',
      `${formatEntry?.name} must be json, pretty or auto, got "${formatEntry?.value}"`,
    )
  }

  return {
    dataDir,
    localPort: port('localPort', 8085),
    publicPort: port('publicPort', 8086),
    publicHost,
    publicUrl,
    sandbox: bool('sandbox'),
    sandboxPort: port('sandboxPort', 8087),
    opInsecureHttp: bool('opInsecureHttp'),
    logLevel,
    trustProxy: trustProxy(raw('trustProxy')),
    logFormat,
  }
}

/** WM_TRUST_PROXY: off, a hop count, or comma-separated IP addresses / CIDR ranges. */
function trustProxy(entry: { value: string; name: string } | undefined): AppConfig['trustProxy'] {
  const text = entry?.value.trim().toLowerCase() ?? ''
  if (!entry || ['', 'off', '0', 'false', 'no'].includes(text)) return false
  if (/^\d+$/.test(text)) {
    const hops = Number(text)
    if (hops > 10)
      throw new ConfigError(
        entry.name,
        `${entry.name}: ${hops} proxy hops is more than any tunnel has`,
      )
    return hops
  }
  const addresses = text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
  for (const address of addresses) {
    const [ip, bits, extra] = address.split('/')
    const okBits = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= 128)
    if (!ip || extra !== undefined || !isBindAddress(ip) || !okBits) {
      throw new ConfigError(
        entry.name,
        `${entry.name} must be off, a hop count, or IP addresses/CIDRs separated by commas; "${address}" is none of these`,
      )
    }
  }
  return addresses
}

function isBindAddress(host: string): boolean {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host)
  if (v4) return v4.slice(1).every((part) => Number(part) <= 255)
  return /^[0-9a-f:]+$/i.test(host) && host.includes(':')
}
