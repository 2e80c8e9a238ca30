import { WalletError, WalletErrorCode } from './errors.js'

export interface NormalizeOptions {
  /** Origins (scheme://host:port) that may be plain http: the sandbox wallet. */
  httpOrigins?: readonly string[]
  /** WM_OP_INSECURE_HTTP: any http address is allowed (local Rafiki). */
  allowHttp?: boolean
  field?: string
}

/**
 * A wallet address as people type it: `$wallet.example/alice` (payment pointer), `wallet.example/alice`,
 * or `https://wallet.example/alice`. Returns the https URL (http only for the sandbox's own origin or in
 * insecure mode), without a trailing slash.
 */
export function normalizeWalletAddress(input: string, options: NormalizeOptions = {}): string {
  const field = options.field ?? 'walletAddress'
  const bad = (why: string) =>
    new WalletError(
      WalletErrorCode.InvalidWalletAddress,
      `${why} A wallet address looks like $wallet.example/alice or https://wallet.example/alice.`,
      field,
    )
  const raw = input.trim()
  if (!raw) throw bad('The wallet address is empty.')
  if (raw.length > 500) throw bad('The wallet address is too long.')
  let text = raw
  if (text.startsWith('$')) text = `https://${text.slice(1)}`
  else if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) text = `https://${text}`
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw bad(`"${raw}" is not a wallet address.`)
  }
  if (url.username || url.password || url.search || url.hash) {
    throw bad(`"${raw}" has parts a wallet address never has (credentials, ? or #).`)
  }
  const httpOrigins = (options.httpOrigins ?? []).map((origin) => new URL(origin))
  if (url.protocol === 'https:') {
    // The sandbox serves http: a $pointer or https form of its address means its http origin.
    const sandbox = httpOrigins.find((origin) => origin.host === url.host)
    if (sandbox) url.protocol = 'http:'
  } else if (url.protocol === 'http:') {
    const allowed = options.allowHttp || httpOrigins.some((origin) => origin.host === url.host)
    if (!allowed) throw bad(`"${raw}" is not https.`)
  } else {
    throw bad(`"${raw}" is not an https address.`)
  }
  if (
    !url.hostname.includes('.') &&
    url.hostname !== 'localhost' &&
    !url.hostname.startsWith('[')
  ) {
    if (!httpOrigins.some((origin) => origin.host === url.host) && !options.allowHttp) {
      throw bad(`"${raw}" has no domain name.`)
    }
  }
  let pathname = url.pathname.replace(/\/+$/, '')
  // A payment pointer without a path means the well-known location (payment pointer spec).
  if (!pathname) pathname = '/.well-known/pay'
  return `${url.protocol}//${url.host}${pathname}`
}
