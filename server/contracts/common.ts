/**
 * The API shapes every feature shares: the error body, an amount, a support event. Each shape is a
 * TypeBox schema and its type is derived from it (`Static<>`), so a route's validation, its serializer
 * and every caller read one declaration. Type-only safe for the renderer and the browser clients.
 */
import { Type, type Static, type TNull, type TSchema } from '@sinclair/typebox'

/**
 * JSON null as `const: null` rather than `type: 'null'`. The listeners' Ajv coerces types inside a
 * union, branch by branch: with a number or string branch first, null becomes 0 or ""; with a
 * `type: 'null'` branch first, 0 and "" become null. `const` is never coerced, so only null matches it.
 * TypeBox still sees a Null (its checks go by kind), so stored settings are checked the same way.
 */
const JsonNull: TNull = (() => {
  const { type: _type, ...schema } = Type.Null()
  return { ...schema, const: null } as unknown as TNull
})()

/** `T | null`, the way JSON says "known to be absent": null first, so no value is coerced into it. */
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([JsonNull, schema])

/** The JSON shape of every error answer on both listeners. */
export const ErrorBody = Type.Object({
  /** A stable code ("invalid_amount"); screens map it to plain words. */
  error: Type.String(),
  message: Type.String(),
  /** The request field the error is about, when there is one ("body.amount"). */
  field: Type.Optional(Type.String()),
})
export type ErrorBody = Static<typeof ErrorBody>

/** The usual error answers of a route that validates its input and looks something up. */
export const ClientErrors = { 400: ErrorBody, 404: ErrorBody } as const

/**
 * Money is never a float (DESIGN §4): an integer count of minor units as a decimal string, with its
 * asset code and scale, exactly as Open Payments writes it. {"value":"100","assetCode":"EUR","assetScale":2}
 * is €1.00.
 */
export const Amount = Type.Object({
  value: Type.String(),
  assetCode: Type.String(),
  assetScale: Type.Integer(),
})
export type Amount = Static<typeof Amount>

/** A currency without a value: what a wallet holds and prices in. */
export const Asset = Type.Object({ assetCode: Type.String(), assetScale: Type.Integer() })
export type Asset = Static<typeof Asset>

/** A decimal amount as a JSON number or a string ("2.50"), parsed exactly at the edge. */
export const DecimalInput = Type.Union([
  Type.Number({ minimum: 0 }),
  Type.String({ maxLength: 40 }),
])

/** A decimal amount as people type it ("2.50"), parsed exactly at the edge into minor units. */
export const DecimalString = Type.String({ pattern: '^\\d{1,15}(\\.\\d{1,18})?$', maxLength: 40 })

export const SupportKind = Type.Union([
  Type.Literal('tip'),
  Type.Literal('web-monetization'),
  Type.Literal('redemption'),
])
export type SupportKind = Static<typeof SupportKind>

/** One recorded support event, as every reader (dashboard, overlays, chat, tray) sees it. */
export const SupportEventView = Type.Object({
  id: Type.Integer(),
  kind: SupportKind,
  amount: Amount,
  supporterName: Nullable(Type.String()),
  message: Nullable(Type.String()),
  tierId: Nullable(Type.String()),
  streamId: Nullable(Type.String()),
  isTest: Type.Boolean(),
  occurredAt: Type.String(),
})
export type SupportEventView = Static<typeof SupportEventView>

/** `{ ok: true }`: an action that has nothing else to say. */
export const OkBody = Type.Object({ ok: Type.Boolean() })
export type OkBody = Static<typeof OkBody>

/** A route param that names a row. */
export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) })
export const NumericIdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) })
