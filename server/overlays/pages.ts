import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { OVERLAY_IDS, OVERLAY_REGISTRY, type OverlayId } from '../contracts/overlays.js'
import { escapeHtml } from '../http/html.js'

export interface OverlayPageInfo {
  id: OverlayId
  title: string
  width: number
  height: number
}

export const OVERLAY_PAGES: readonly OverlayPageInfo[] = OVERLAY_IDS.map((id) => ({
  id,
  ...OVERLAY_REGISTRY[id],
}))

/**
 * The overlay pages' Content-Security-Policy: scripts, styles, sounds and the event stream from this
 * origin only, no inline code, no plug-ins, nothing on the network; Trusted Types with no policy, so no
 * string can ever become HTML in these pages. Framing only by the dashboard (its live previews).
 */
export function overlayCsp(port: number): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "media-src 'self'",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    `frame-ancestors 'self' http://127.0.0.1:${port} http://localhost:${port}`,
    "require-trusted-types-for 'script'",
    "trusted-types 'none'",
  ].join('; ')
}

/** The HTML of one overlay page: no inline script or style, just the entry module and stylesheets. */
export function renderOverlayPage(page: OverlayPageInfo, key: string): string {
  const k = escapeHtml(encodeURIComponent(key))
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>WM Companion · ${escapeHtml(page.title)}</title>
<link rel="stylesheet" href="/overlay/static/overlay.css?key=${k}">
<link rel="stylesheet" href="/overlay/custom.css?key=${k}&amp;overlay=${page.id}">
<script type="module" src="/overlay/static/overlay.js?key=${k}"></script>
</head>
<body class="wm-overlay wm-page-${page.id}" data-overlay="${page.id}">
<main id="wm-root"></main>
</body>
</html>
`
}

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wav': 'audio/wav',
}

export interface StaticFile {
  body: Buffer
  type: string
}

/**
 * The overlay client files and bundled sounds, read once into memory: a fixed list, so no request path
 * ever reaches the file system.
 */
export function loadStaticFiles(clientDir: string, soundsDir: string): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>()
  for (const name of fs.readdirSync(clientDir)) {
    const type = CONTENT_TYPES[path.extname(name)]
    if (!type || name.endsWith('.test.js')) continue
    files.set(name, { body: fs.readFileSync(path.join(clientDir, name)), type })
  }
  if (fs.existsSync(soundsDir)) {
    for (const name of fs.readdirSync(soundsDir)) {
      if (path.extname(name) !== '.wav') continue
      files.set(`sounds/${name}`, {
        body: fs.readFileSync(path.join(soundsDir, name)),
        type: 'audio/wav',
      })
    }
  }
  return files
}

const NOTICE_STYLE = `html,body{background:transparent;margin:0;height:100%}
body{display:flex;align-items:center;justify-content:center;font-family:system-ui,sans-serif}
.notice{max-width:36em;margin:16px;padding:20px 24px;border-radius:12px;background:#fff;color:#1b1b1f;
box-shadow:0 4px 24px rgba(0,0,0,.35);font-size:20px;line-height:1.4}
.notice h1{font-size:24px;margin:0 0 8px}
[hidden]{display:none!important}`

// Shown only outside OBS (a preview, a browser tab): inside OBS the page stays fully transparent, so
// an outdated URL never puts a message on stream. OBS's browser source defines window.obsstudio.
const NOTICE_SCRIPT = `if (!('obsstudio' in window)) document.getElementById('notice').hidden = false`

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`

/**
 * The answer to an overlay page URL whose key is missing or old (HTTP 401): a transparent page whose
 * notice says what to do, visible only where the streamer looks (not in OBS). Its own CSP allows just
 * its inline style and script, by hash.
 */
export function keyNoticePage(port: number): { html: string; csp: string } {
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>WM Companion · overlay key outdated</title>
<style>${NOTICE_STYLE}</style>
</head>
<body>
<div class="notice" id="notice" role="alert" hidden>
<h1>This overlay URL has an old or wrong key</h1>
<p>Copy the URL again from WM Companion → <strong>Overlays</strong> and paste it into the OBS browser
source. The key changes when a new one is made, and every old overlay URL stops working.</p>
<p>In OBS this page stays transparent: nothing of this shows on stream.</p>
</div>
<script>${NOTICE_SCRIPT}</script>
</body>
</html>
`
  const csp = overlayCsp(port)
    .replace("script-src 'self'", `script-src ${sha256(NOTICE_SCRIPT)}`)
    .replace("style-src 'self'", `style-src ${sha256(NOTICE_STYLE)}`)
    .replace("require-trusted-types-for 'script'; ", '')
  return { html, csp }
}

const PAGE_PATHS = new Set(OVERLAY_PAGES.map((page) => `/overlay/${page.id}`))

/** True for the URL of an overlay page itself (what is pasted into OBS), not its files or stream. */
export function isOverlayPagePath(url: string): boolean {
  return PAGE_PATHS.has(url.split('?')[0] ?? '')
}
