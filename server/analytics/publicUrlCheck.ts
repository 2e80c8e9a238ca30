import type { PublicUrlCheck } from '../contracts/analytics.js'

export interface PublicUrlCheckInput {
  url: string
  configured: boolean
  /** The public listener's own port, for the advice on where the tunnel must point. */
  publicPort: string
  fetch?: typeof fetch
  timeoutMs?: number
}

/**
 * The setup wizard's reachability check: asks `<public URL>/healthz` from the server side (through the
 * tunnel when WM_PUBLIC_URL is set, exactly as Owncast and viewers will) and explains what it found.
 */
export async function checkPublicUrl({
  url,
  configured,
  publicPort,
  fetch: fetchImpl = fetch,
  timeoutMs = 5000,
}: PublicUrlCheckInput): Promise<PublicUrlCheck> {
  const https = url.startsWith('https://')
  const base = { url, configured, https }
  let reachable = false
  let detail = ''
  try {
    const response = await fetchImpl(`${url.replace(/\/$/, '')}/healthz`, {
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'manual',
    })
    const body = (await response.json().catch(() => null)) as { listener?: string } | null
    reachable = response.ok && body?.listener === 'public'
    if (!reachable)
      detail = `Something answered at ${url} (HTTP ${response.status}) but it is not WM Companion's public listener: point the tunnel at port ${publicPort}.`
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name
    detail = `Nothing answered at ${url} (${cause === 'TimeoutError' ? 'no answer within 5 s' : cause}). Is the tunnel running and forwarding to port ${publicPort}?`
  }
  if (!reachable) return { ...base, reachable, ok: false, message: detail }
  if (!configured)
    return {
      ...base,
      reachable,
      ok: false,
      message: `The public listener works on this machine (${url}), but viewers and Owncast elsewhere cannot reach it: start a tunnel (for example cloudflared or ngrok) to port ${publicPort} and set WM_PUBLIC_URL to its https URL, then restart.`,
    }
  if (!https)
    return {
      ...base,
      reachable,
      ok: false,
      message: `${url} answers, but it is not https: Owncast shows the tip page in a frame only over https. Use the tunnel's https URL in WM_PUBLIC_URL.`,
    }
  return {
    ...base,
    reachable,
    ok: true,
    message: `${url} reaches WM Companion: tip pages and webhooks will work from the internet.`,
  }
}
