import { Type, type Static } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { Infrastructure } from '../app/infrastructure.js'
import { decimalToMinor, MoneyFormatError } from '../contracts/money.js'
import type { OverlayDisplaySettings, OverlayLinksResponse } from '../contracts/overlays.js'
import type { GoalService, OverlayGoal } from '../gamification/goalService.js'
import { MAX_CUSTOM_CSS, type AlertConfigStore } from '../alerts/alertConfig.js'
import { AlertError, AlertErrorCode } from '../alerts/errors.js'
import {
  ConnectionsSchema,
  ErrorBodySchema,
  OverlayDisplayPatchSchema,
  OverlayDisplaySettingsSchema,
  OverlayIdSchema,
} from '../alerts/schemas.js'
import type { OverlayHub } from './overlayHub.js'
import { OVERLAY_PAGES } from './pages.js'

export interface OverlayAdminDeps {
  ctx: Infrastructure
  hub: OverlayHub
  config: AlertConfigStore
  /** The goal system: the display's `goal` is its overlay goal. */
  goals: Pick<GoalService, 'overlayGoal' | 'setOverlayGoal'>
  /** The display settings changed: overlays showing them refresh. */
  onDisplayChanged(): void
}

/** The display settings as the API gives them: the overlay goal's settings with the others. */
function displaySettings(goal: OverlayGoal, config: AlertConfigStore): OverlayDisplaySettings {
  return {
    goal: { title: goal.title, target: goal.target, startAt: goal.startAt },
    ...config.display(),
  }
}

const LinksSchema = Type.Object({
  overlays: Type.Array(
    Type.Object({
      id: OverlayIdSchema,
      title: Type.String(),
      url: Type.String(),
      width: Type.Integer(),
      height: Type.Integer(),
      connected: Type.Integer(),
    }),
  ),
  connections: ConnectionsSchema,
})
const OverlayParams = Type.Object({ overlay: OverlayIdSchema })
const CssBody = Type.Object({ css: Type.String() }, { additionalProperties: false })
const CssResponse = Type.Object({ overlay: OverlayIdSchema, css: Type.String() })

/** The overlay URLs with the key (for OBS and the Overlays page), connections, CSS and display settings. */
export function overlayLinks(ctx: Infrastructure, hub: OverlayHub): OverlayLinksResponse {
  const key = encodeURIComponent(ctx.overlayKeys.current())
  const connections = hub.connections()
  return {
    overlays: OVERLAY_PAGES.map((page) => ({
      id: page.id,
      title: page.title,
      url: `${ctx.urls.local()}/overlay/${page.id}?key=${key}`,
      width: page.width,
      height: page.height,
      connected: connections.byOverlay[page.id],
    })),
    connections,
  }
}

export function registerOverlayAdminRoutes(
  app: FastifyInstance,
  { ctx, hub, config, goals, onDisplayChanged }: OverlayAdminDeps,
) {
  app.get('/overlays/links', { schema: { response: { 200: LinksSchema } } }, async () =>
    overlayLinks(ctx, hub),
  )

  app.get('/overlays/connections', { schema: { response: { 200: ConnectionsSchema } } }, async () =>
    hub.connections(),
  )

  // Ends every overlay stream; pages reconnect and resume by themselves (e.g. after rotating the key).
  app.post(
    '/overlays/connections/reset',
    { schema: { response: { 200: Type.Object({ disconnected: Type.Integer() }) } } },
    async () => ({ disconnected: hub.disconnectAll() }),
  )

  app.get<{ Params: Static<typeof OverlayParams> }>(
    '/overlays/css/:overlay',
    { schema: { params: OverlayParams, response: { 200: CssResponse, 400: ErrorBodySchema } } },
    async (request) => ({
      overlay: request.params.overlay,
      css: config.customCss(request.params.overlay),
    }),
  )

  app.put<{ Params: Static<typeof OverlayParams>; Body: Static<typeof CssBody> }>(
    '/overlays/css/:overlay',
    {
      schema: {
        params: OverlayParams,
        body: CssBody,
        response: { 200: CssResponse, 400: ErrorBodySchema, 413: ErrorBodySchema },
      },
    },
    async (request) => {
      const { css } = request.body
      if (css.length > MAX_CUSTOM_CSS)
        throw new AlertError(
          AlertErrorCode.CssTooLarge,
          `body.css is ${css.length} characters; the limit is ${MAX_CUSTOM_CSS}.`,
          'body.css',
        )
      config.saveCustomCss(request.params.overlay, css)
      // Pages pick up new CSS on reload: tell them to reload their stylesheet.
      hub.broadcast(request.params.overlay, 'css', { changedAt: Date.now() })
      return { overlay: request.params.overlay, css }
    },
  )

  app.get(
    '/overlays/display',
    { schema: { response: { 200: OverlayDisplaySettingsSchema } } },
    async () => displaySettings(goals.overlayGoal(), config),
  )

  app.patch<{ Body: Static<typeof OverlayDisplayPatchSchema> }>(
    '/overlays/display',
    {
      schema: {
        body: OverlayDisplayPatchSchema,
        response: { 200: OverlayDisplaySettingsSchema, 400: ErrorBodySchema },
      },
    },
    async (request) => {
      const next: OverlayDisplaySettings = {
        ...displaySettings(goals.overlayGoal(), config),
        ...request.body,
      }
      try {
        decimalToMinor(next.goal.target, ctx.streamerAsset().assetScale)
      } catch (error) {
        if (error instanceof MoneyFormatError)
          throw new AlertError(
            AlertErrorCode.InvalidAmount,
            `body.goal.target: ${error.message}`,
            'body.goal.target',
          )
        throw error
      }
      const { goal, ...rest } = next
      const saved = goals.setOverlayGoal(goal)
      config.saveDisplay(rest)
      onDisplayChanged()
      return displaySettings(saved, config)
    },
  )
}
