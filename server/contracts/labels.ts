/**
 * Stream labels: small text files in `<data dir>/labels/` that OBS Text sources read "from file", each
 * with a format the streamer edits (`{name} – {amount}`).
 */
import { Type, type Static } from '@sinclair/typebox'
import { ErrorBody } from './common.js'

export const LabelId = Type.Union([
  Type.Literal('latest-tipper'),
  Type.Literal('latest-tip'),
  Type.Literal('top-supporter'),
  Type.Literal('session-total'),
  Type.Literal('goal-progress'),
  Type.Literal('web-monetization'),
  Type.Literal('timer'),
])
export type LabelId = Static<typeof LabelId>

export const LABEL_IDS: readonly LabelId[] = LabelId.anyOf.map((literal) => literal.const)

export const LabelFormat = Type.String({ maxLength: 300 })
export const LabelFormats = Type.Object(
  Object.fromEntries(LABEL_IDS.map((id) => [id, LabelFormat])) as Record<
    LabelId,
    typeof LabelFormat
  >,
  { additionalProperties: false },
)
export type LabelFormats = Static<typeof LabelFormats>

export const LabelView = Type.Object({
  id: LabelId,
  title: Type.String(),
  /** The absolute path to give an OBS Text source ("Read from file"). */
  path: Type.String(),
  format: Type.String(),
  /** The placeholders this label fills in (`{name}`, ...). */
  placeholders: Type.Array(Type.String()),
  /** What the file holds now. */
  text: Type.String(),
})
export type LabelView = Static<typeof LabelView>

export const LabelsResponse = Type.Object({
  directory: Type.String(),
  labels: Type.Array(LabelView),
})
export type LabelsResponse = Static<typeof LabelsResponse>

export const LabelFormatsPatch = Type.Partial(LabelFormats, { additionalProperties: false })
export type LabelFormatsPatch = Static<typeof LabelFormatsPatch>

export const labelsAdminRoutes = {
  'GET /labels': { response: { 200: LabelsResponse } },
  'PATCH /labels/formats': {
    body: LabelFormatsPatch,
    response: { 200: LabelsResponse, 400: ErrorBody },
  },
} as const
