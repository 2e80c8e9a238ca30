import { useEffect, useRef, useState, type FormEvent } from 'react'
import type {
  OverlayLinkView,
  OverlaySettingsBody,
  OverlaySettingsView,
  OverlayStyleInput,
} from '../../../server/contracts/overlays.js'
import { ApiError } from '../api/client.js'
import { core, overlays } from '../api/endpoints.js'
import { useResource } from '../lib/useResource.js'
import { ActionButton, ResourceView } from './ui.js'

const POSITIONS: [string, string][] = [
  ['top-left', 'Top left'],
  ['top-center', 'Top centre'],
  ['top-right', 'Top right'],
  ['middle-left', 'Middle left'],
  ['center', 'Centre'],
  ['middle-right', 'Middle right'],
  ['bottom-left', 'Bottom left'],
  ['bottom-center', 'Bottom centre'],
  ['bottom-right', 'Bottom right'],
]

const THEMES: [string, string][] = [
  ['outline', 'Outlined text (no background)'],
  ['panel', 'Text on a panel'],
]

const SOUNDS: [string, string][] = [
  ['per-alert', 'Each alert’s own sound'],
  ['off', 'No sound'],
  ['chime', 'Chime'],
  ['coin', 'Coin'],
  ['fanfare', 'Fanfare'],
]

/** Overlays that make sounds: the alert box (its alerts' sounds) and the level-up. */
const WITH_SOUND = new Set(['alerts', 'levelup'])

/** What the preview is shown over: the scenes an overlay must stay readable on. */
const BACKDROPS: [string, string][] = [
  ['dark', 'Dark scene'],
  ['bright', 'Bright scene'],
  ['checker', 'Transparent'],
]

interface Draft {
  style: OverlayStyleInput
  css: string
  goal: { title: string; target: string } | null
}

function draftOf(view: OverlaySettingsView): Draft {
  return {
    style: { ...view.style },
    css: view.css,
    goal: view.goal ? { title: view.goal.title, target: view.goal.target } : null,
  }
}

/**
 * One overlay's settings: its look, sound, custom CSS and (goal bar) its goal, beside a live preview
 * of the real overlay page. Saving applies to every open copy of the overlay at once (OBS too).
 */
export function OverlaySettingsPanel({ link }: { link: OverlayLinkView }) {
  const loaded = useResource(() => overlays.settings(link.id), [link.id])
  return (
    <ResourceView resource={loaded.resource} what="this overlay's settings" onRetry={loaded.reload}>
      {(view) => <SettingsForm link={link} initial={view} />}
    </ResourceView>
  )
}

function SettingsForm({ link, initial }: { link: OverlayLinkView; initial: OverlaySettingsView }) {
  const [view, setView] = useState(initial)
  const [draft, setDraft] = useState<Draft>(() => draftOf(initial))
  const [error, setError] = useState<ApiError | null>(null)
  const [saved, setSaved] = useState('')
  const [backdrop, setBackdrop] = useState('dark')

  const invalid = (field: string) => error?.field === `body.${field}` || undefined
  const describedBy = (field: string) => (invalid(field) ? `${link.id}-error` : undefined)
  const setStyle = <K extends keyof OverlayStyleInput>(key: K, value: OverlayStyleInput[K]) => {
    setSaved('')
    setDraft({ ...draft, style: { ...draft.style, [key]: value } })
  }
  const id = (name: string) => `${link.id}-${name}`

  async function save(event: FormEvent) {
    event.preventDefault()
    setError(null)
    setSaved('')
    const body: OverlaySettingsBody = { style: draft.style, css: draft.css }
    if (draft.goal) body.goal = draft.goal
    try {
      const next = await overlays.saveSettings(link.id, body)
      setView(next)
      setDraft(draftOf(next))
      setSaved('Saved. Every open copy of this overlay (OBS too) shows it now.')
    } catch (failure) {
      setError(
        failure instanceof ApiError ? failure : new ApiError(0, 'client_error', String(failure)),
      )
    }
  }

  return (
    <div className="overlay-settings">
      <form
        className="form-grid overlay-settings-form"
        aria-label={`${link.title} settings`}
        onSubmit={(event) => void save(event)}
        noValidate
      >
        {draft.goal ? (
          <fieldset>
            <legend>Goal</legend>
            <label htmlFor={id('goal-title')}>Goal title</label>
            <input
              id={id('goal-title')}
              name="goal.title"
              value={draft.goal.title}
              maxLength={80}
              aria-invalid={invalid('goal.title')}
              aria-describedby={describedBy('goal.title')}
              onChange={(event) =>
                setDraft({
                  ...draft,
                  goal: { target: '', ...draft.goal, title: event.target.value },
                })
              }
            />
            <label htmlFor={id('goal-target')}>Goal amount ({view.goal?.assetCode})</label>
            <input
              id={id('goal-target')}
              name="goal.target"
              inputMode="decimal"
              value={draft.goal.target}
              aria-invalid={invalid('goal.target')}
              aria-describedby={describedBy('goal.target')}
              onChange={(event) =>
                setDraft({
                  ...draft,
                  goal: { title: '', ...draft.goal, target: event.target.value },
                })
              }
            />
          </fieldset>
        ) : null}
        <fieldset>
          <legend>Look</legend>
          <label htmlFor={id('theme')}>Theme</label>
          <select
            id={id('theme')}
            name="style.theme"
            value={draft.style.theme}
            onChange={(event) => setStyle('theme', event.target.value)}
          >
            {THEMES.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
          <div className="colour-row">
            {(
              [
                ['textColor', 'Text colour'],
                ['accentColor', 'Accent colour'],
                ['panelColor', 'Panel colour'],
              ] as const
            ).map(([key, label]) => (
              <label key={key}>
                {label}
                <input
                  type="color"
                  name={`style.${key}`}
                  value={draft.style[key]}
                  aria-invalid={invalid(`style.${key}`)}
                  onChange={(event) => setStyle(key, event.target.value)}
                />
              </label>
            ))}
          </div>
          <label htmlFor={id('opacity')}>Panel opacity (%)</label>
          <input
            id={id('opacity')}
            name="style.panelOpacity"
            type="number"
            min={0}
            max={100}
            value={draft.style.panelOpacity}
            aria-invalid={invalid('style.panelOpacity')}
            aria-describedby={describedBy('style.panelOpacity')}
            onChange={(event) => setStyle('panelOpacity', event.target.valueAsNumber)}
          />
          <label htmlFor={id('font-size')}>Text size (px on a 1080p canvas)</label>
          <input
            id={id('font-size')}
            name="style.fontSize"
            type="number"
            min={32}
            max={120}
            value={Number.isNaN(draft.style.fontSize) ? '' : draft.style.fontSize}
            aria-invalid={invalid('style.fontSize')}
            aria-describedby={describedBy('style.fontSize')}
            onChange={(event) => setStyle('fontSize', event.target.valueAsNumber)}
          />
          <label htmlFor={id('position')}>Position in the browser source</label>
          <select
            id={id('position')}
            name="style.position"
            value={draft.style.position}
            aria-invalid={invalid('style.position')}
            onChange={(event) => setStyle('position', event.target.value)}
          >
            {POSITIONS.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </fieldset>
        {WITH_SOUND.has(link.id) ? (
          <fieldset>
            <legend>Sound</legend>
            <label htmlFor={id('sound')}>Sound</label>
            <select
              id={id('sound')}
              name="style.sound"
              value={draft.style.sound}
              onChange={(event) => setStyle('sound', event.target.value)}
            >
              {SOUNDS.filter(([value]) => link.id === 'alerts' || value !== 'per-alert').map(
                ([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ),
              )}
            </select>
            <label htmlFor={id('volume')}>Volume (%)</label>
            <input
              id={id('volume')}
              name="style.volume"
              type="number"
              min={0}
              max={100}
              value={Number.isNaN(draft.style.volume) ? '' : draft.style.volume}
              aria-invalid={invalid('style.volume')}
              aria-describedby={describedBy('style.volume')}
              onChange={(event) => setStyle('volume', event.target.valueAsNumber)}
            />
          </fieldset>
        ) : null}
        <label htmlFor={id('css')}>Custom CSS (applied after the look above)</label>
        <textarea
          id={id('css')}
          name="css"
          rows={5}
          spellCheck={false}
          placeholder=".wm-alert-headline { letter-spacing: 0.05em; }"
          value={draft.css}
          aria-invalid={invalid('css')}
          aria-describedby={describedBy('css')}
          onChange={(event) => {
            setSaved('')
            setDraft({ ...draft, css: event.target.value })
          }}
        />
        {error ? (
          <p className="notice notice-error" role="alert" id={`${link.id}-error`}>
            {error.message}
            {error.code ? <span className="muted small"> ({error.code})</span> : null}
          </p>
        ) : null}
        <div className="form-actions">
          <button type="submit">Save and apply</button>{' '}
          {saved ? (
            <span role="status" className="outcome ok">
              {saved}
            </span>
          ) : null}
        </div>
      </form>
      <div className="overlay-settings-preview">
        <div className="preview-toolbar">
          <label className="inline">
            Preview over{' '}
            <select value={backdrop} onChange={(event) => setBackdrop(event.target.value)}>
              {BACKDROPS.map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </label>
          {link.id === 'alerts' ? (
            <ActionButton
              label="Show a test alert"
              run={async () => {
                await core.testAlert({ name: 'Test Viewer', message: 'Looking good!' })
              }}
            />
          ) : null}
        </div>
        <ScaledPreview link={link} backdrop={backdrop} />
      </div>
    </div>
  )
}

/** The real overlay page at its recommended size, scaled down to the panel's width. */
function ScaledPreview({ link, backdrop }: { link: OverlayLinkView; backdrop: string }) {
  const frame = useRef<HTMLDivElement>(null)
  const [scale, setScale] = useState(0.3)
  useEffect(() => {
    const element = frame.current
    if (!element) return
    const measure = () => setScale(Math.min(1, element.clientWidth / link.width))
    measure()
    const observer = new ResizeObserver(measure)
    observer.observe(element)
    return () => observer.disconnect()
  }, [link.width])
  return (
    <div
      ref={frame}
      className={`overlay-stage backdrop-${backdrop}`}
      style={{ height: Math.round(link.height * scale) }}
    >
      <iframe
        className="overlay-frame"
        title={`${link.title} live preview`}
        src={link.url}
        width={link.width}
        height={link.height}
        style={{ transform: `scale(${scale})` }}
      />
    </div>
  )
}
