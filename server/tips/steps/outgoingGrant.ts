import type { TipFlowData, TipFlowRecord } from '../tipFlowRepository.js'
import { required, saveFlow, type StreamerSide, type TipStepDeps } from './context.js'

export /** The access token of the flow's outgoing-payment grant, rotated through its manage URL when due. */
async function outgoingToken(
  deps: TipStepDeps,
  flow: TipFlowRecord,
  streamer: StreamerSide,
  force = false,
): Promise<string> {
  const grant = required(flow.data.outgoingGrant, 'its payment authorization')
  if (!force && (grant.expiresAt === null || grant.expiresAt - 5_000 > deps.now()))
    return grant.token
  const rotated = await streamer.gateway.rotate(grant.manage, grant.token)
  const data: TipFlowData = {
    ...flow.data,
    outgoingGrant: {
      token: rotated.value,
      manage: rotated.manage,
      expiresAt: rotated.expires_in === undefined ? null : deps.now() + rotated.expires_in * 1000,
    },
  }
  flow.data = data
  saveFlow(deps, flow)
  return rotated.value
}
