import { useState } from 'react'
import type { TierConfigView, TierInput } from '../../../server/contracts/tiers.js'
import { tipTiers } from '../api/endpoints.js'
import { explainError } from '../lib/plainErrors.js'
import { ActionButton } from './ui.js'

interface Row extends TierInput {
  /** A stable React key for rows added before they have a server id. */
  key: string
  amount: string
}

let nextKey = 0
const toRows = (view: TierConfigView): Row[] =>
  view.tiers.map((tier) => ({
    key: tier.id,
    id: tier.id,
    emoji: tier.emoji,
    name: tier.name,
    perk: tier.perk,
    amount: String(tier.amount),
  }))

/**
 * The streamer's tiers: pick one of the themed ladders, or edit the list (rename, re-price,
 * add, remove, reorder) and save it. Amounts are typed as decimals in the wallet's currency; the server
 * checks them exactly at the asset scale and says which row is wrong.
 */
export function TierEditor({
  view,
  onSaved,
  onFailed,
}: {
  view: TierConfigView
  /** The server's answer to a change: shown at once (no reload that could overwrite newer edits). */
  onSaved: (view: TierConfigView) => void
  /** A change failed: load the tiers again, since what is on screen may not be what is stored. */
  onFailed: () => void
}) {
  const [rows, setRows] = useState<Row[]>(() => toRows(view))
  // The field the last refused save was about ("tiers.1.amount"), marked until the next save.
  const [invalidField, setInvalidField] = useState<string | undefined>(undefined)
  const invalid = (index: number, part: string) =>
    invalidField === `tiers.${index}.${part}` || undefined
  // New tiers from the server (saved, theme picked, reset): start editing those. Adjusting state while
  // rendering keeps the buttons mounted, so their outcome messages stay visible.
  const [shown, setShown] = useState(view)
  if (shown !== view) {
    setShown(view)
    setRows(toRows(view))
  }

  const update = (index: number, patch: Partial<Row>) =>
    setRows((current) => current.map((row, i) => (i === index ? { ...row, ...patch } : row)))
  const move = (index: number, by: -1 | 1) =>
    setRows((current) => {
      const next = [...current]
      const [row] = next.splice(index, 1)
      if (row) next.splice(index + by, 0, row)
      return next
    })

  return (
    <div className="tier-editor">
      <label htmlFor="tier-theme">Theme</label>{' '}
      <select
        id="tier-theme"
        value={view.mode === 'theme' ? view.theme : ''}
        onChange={(event) => {
          if (event.target.value)
            void tipTiers.pickTheme(event.target.value).then(onSaved, onFailed)
        }}
      >
        {view.mode === 'custom' ? <option value="">Custom tiers</option> : null}
        {view.themes.map((theme) => (
          <option key={theme.id} value={theme.id}>
            {theme.emoji} {theme.name}
          </option>
        ))}
      </select>
      <span className="muted small"> amounts in {view.currency}</span>
      <table className="tiers-table">
        <thead>
          <tr>
            <th scope="col">Emoji</th>
            <th scope="col">Name</th>
            <th scope="col">Amount</th>
            <th scope="col">Perk</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => (
            <tr key={row.key}>
              <td>
                <input
                  aria-label={`Emoji of tier ${index + 1}`}
                  aria-invalid={invalid(index, 'emoji')}
                  size={3}
                  value={row.emoji}
                  onChange={(e) => update(index, { emoji: e.target.value })}
                />
              </td>
              <td>
                <input
                  aria-label={`Name of tier ${index + 1}`}
                  aria-invalid={invalid(index, 'name')}
                  value={row.name}
                  onChange={(e) => update(index, { name: e.target.value })}
                />
              </td>
              <td>
                <input
                  aria-label={`Amount of tier ${index + 1}`}
                  aria-invalid={invalid(index, 'amount')}
                  inputMode="decimal"
                  size={8}
                  value={row.amount}
                  onChange={(e) => update(index, { amount: e.target.value })}
                />
              </td>
              <td>
                <input
                  aria-label={`Perk of tier ${index + 1}`}
                  aria-invalid={invalid(index, 'perk')}
                  value={row.perk}
                  onChange={(e) => update(index, { perk: e.target.value })}
                />
              </td>
              <td className="row-actions">
                <button
                  type="button"
                  aria-label={`Move tier ${index + 1} up`}
                  disabled={index === 0}
                  onClick={() => move(index, -1)}
                >
                  ↑
                </button>
                <button
                  type="button"
                  aria-label={`Move tier ${index + 1} down`}
                  disabled={index === rows.length - 1}
                  onClick={() => move(index, 1)}
                >
                  ↓
                </button>
                <button
                  type="button"
                  aria-label={`Remove tier ${index + 1}`}
                  disabled={rows.length === 1}
                  onClick={() => setRows((current) => current.filter((_, i) => i !== index))}
                >
                  ✕
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button
        type="button"
        disabled={rows.length >= 20}
        onClick={() =>
          setRows((current) => [
            ...current,
            { key: `new-${(nextKey += 1)}`, emoji: '⭐', name: 'New tier', perk: '', amount: '' },
          ])
        }
      >
        Add a tier
      </button>{' '}
      <ActionButton
        label="Save tiers"
        className="primary"
        run={async () => {
          setInvalidField(undefined)
          const saving = tipTiers.save(
            rows.map(({ id, emoji, name, perk, amount }) => ({
              ...(id ? { id } : {}),
              emoji,
              name,
              perk,
              amount: amount.trim(),
            })),
          )
          try {
            onSaved(await saving)
          } catch (error) {
            setInvalidField(explainError(error).field)
            throw error
          }
          return 'Saved: the tip page and the tiers overlay show them now.'
        }}
      />{' '}
      <ActionButton
        label="Back to the theme's tiers"
        run={async () => {
          onSaved(await tipTiers.reset())
          return 'The theme ladder is back.'
        }}
      />
    </div>
  )
}
