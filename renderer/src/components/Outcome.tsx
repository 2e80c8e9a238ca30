import type { ReactNode } from 'react'
import type { PlainError } from '../lib/plainErrors.js'

/** How an outcome reads: done, done with a catch, or failed. Each has its own colour and icon. */
export type Tone = 'success' | 'warning' | 'error'

export interface OutcomeValue {
  tone: Tone
  text: string
  /** Codes and technical facts, shown smaller under the words. */
  detail?: string
}

const ICONS: Record<Tone, string> = { success: '✓', warning: '!', error: '✕' }
const TONE_NAMES: Record<Tone, string> = { success: 'Done', warning: 'Note', error: 'Problem' }

/**
 * The one way a screen says how something went. Success is announced politely; a warning or an error
 * interrupts (role="alert"), because the streamer has something to do.
 */
export function OutcomeMessage({
  outcome,
  inline = false,
  children,
}: {
  outcome: OutcomeValue
  inline?: boolean
  children?: ReactNode
}) {
  const Tag = inline ? 'span' : 'div'
  return (
    <Tag
      className={`outcome-message tone-${outcome.tone}${inline ? ' inline' : ''}`}
      role={outcome.tone === 'success' ? 'status' : 'alert'}
      data-tone={outcome.tone}
    >
      <span className="outcome-icon" aria-hidden="true">
        {ICONS[outcome.tone]}
      </span>
      <span className="outcome-body">
        <span className="sr-only">{TONE_NAMES[outcome.tone]}: </span>
        <span className="outcome-text">{outcome.text}</span>
        {outcome.detail ? (
          <span className="outcome-detail" data-testid="outcome-detail">
            {outcome.detail}
          </span>
        ) : null}
        {children}
      </span>
    </Tag>
  )
}

export function errorOutcome(error: PlainError): OutcomeValue {
  return { tone: 'error', text: error.text, detail: error.detail }
}
