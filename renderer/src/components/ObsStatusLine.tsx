import { useState } from 'react'
import type { ObsStatus } from '../../../server/contracts/obs.js'
import { call } from '../api/client.js'
import { useLiveEvents } from '../live/hooks.js'
import { useResource } from '../lib/useResource.js'

/** The OBS connection in plain words: what a streamer checks before going live. */
export function describeObs(status: ObsStatus): { text: string; tone: 'ok' | 'bad' | 'muted' } {
  switch (status.state) {
    case 'off':
      return { text: 'OBS control is off.', tone: 'muted' }
    case 'connecting':
      return { text: 'Connecting to OBS…', tone: 'muted' }
    case 'connected':
      return {
        text: `Connected to OBS${status.currentScene ? ` · scene “${status.currentScene}”` : ''} · ${
          status.streaming ? 'streaming' : 'not streaming'
        }${status.holdingAlerts ? ' · alerts held until you go live' : ''}`,
        tone: 'ok',
      }
    case 'auth_failed':
    case 'disconnected':
      return { text: status.lastError ?? 'Not connected to OBS.', tone: 'bad' }
  }
}

/** The OBS status, kept current by the live event stream (dashboard and OBS settings). */
export function ObsStatusLine({
  initial,
  hideWhenOff = false,
}: {
  initial?: ObsStatus
  /** The dashboard says nothing about OBS until the streamer turns OBS control on. */
  hideWhenOff?: boolean
}) {
  const loaded = useResource(() => call('GET /obs/status'), [])
  const [live, setLive] = useState<ObsStatus | null>(null)
  useLiveEvents(['obs.status', 'reconnected'], (name, payload) => {
    if (name === 'obs.status' && payload) setLive(payload)
    else loaded.reload()
  })
  const status = live ?? loaded.resource.data ?? initial
  if (!status || (hideWhenOff && status.state === 'off')) return null
  const { text, tone } = describeObs(status)
  return (
    <p className={`obs-status outcome ${tone === 'muted' ? 'muted' : tone}`} role="status">
      <strong>OBS:</strong> {text}
      {status.lastErrorCode !== null && tone === 'bad' ? (
        <span className="muted small"> (OBS code {status.lastErrorCode})</span>
      ) : null}
      {status.nextAttemptAt && tone === 'bad' ? (
        <span className="muted small">
          {' '}
          · trying again at {new Date(status.nextAttemptAt).toLocaleTimeString()}
        </span>
      ) : null}
    </p>
  )
}
