import type {
  OspHeaderResponse,
  OspTemplatesResponse,
  ospWebhookRoutes,
} from '../../contracts/integrations.js'
import { splitRouteKey } from '../../contracts/route.js'
import type { IntegrationConfigService } from '../configService.js'
import { ospHeaderJson, ospTemplates } from './events.js'

/** Where OSP posts: the route table's own path, so the URL shown and the route cannot drift. */
export const OSP_WEBHOOK_PATH = splitRouteKey(
  'POST /webhooks/osp' satisfies keyof typeof ospWebhookRoutes,
)[1]

export interface OspServiceDeps {
  config: IntegrationConfigService
  /** WM_PUBLIC_URL, else the public listener's own address. */
  publicUrl(): string
}

/** What the streamer pastes into OSP: the webhook URL, the secret header, one template per event. */
export interface OspService {
  webhookUrl(): string
  /** The shared secret OSP sends back in its header (created on first use). */
  token(): string
  /** The header JSON to paste, secret included. */
  header(): string
  templates(): OspTemplatesResponse
  rotateToken(): OspHeaderResponse
}

export function createOspService({ config, publicUrl }: OspServiceDeps): OspService {
  const webhookUrl = () => `${publicUrl()}${OSP_WEBHOOK_PATH}`
  const token = () => config.generatedSecret('ospToken')
  const header = () => ospHeaderJson(token())
  return {
    webhookUrl,
    token,
    header,
    templates: () => ({ header: header(), templates: ospTemplates(webhookUrl(), token()) }),
    rotateToken() {
      config.rotate('ospToken')
      return { header: header() }
    },
  }
}
