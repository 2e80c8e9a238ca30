import { integrations } from '../api/endpoints.js'
import { useResource } from '../lib/useResource.js'
import { CopyField, ErrorNote, Loading } from './ui.js'

/**
 * One OSP webhook per trigger: OSP has no signing, so each template carries the secret header, names
 * its event in the URL, and is pasted field by field into OSP's channel → Webhooks form.
 */
export function OspTemplates() {
  const templates = useResource(() => integrations.ospTemplates(), [])
  const { resource } = templates
  if (resource.state === 'loading') return <Loading what="the OSP templates" />
  if (resource.state === 'error') {
    return <ErrorNote error={resource.error} what="the OSP templates" onRetry={templates.reload} />
  }
  if (!resource.data) return null
  return (
    <div className="osp-templates">
      <p>
        In OSP, open your channel's settings → Webhooks and add one webhook per event below: Request
        Type POST, then paste the URL, the header and the payload.
      </p>
      {resource.data.templates.map((template) => (
        <details key={template.trigger}>
          <summary>
            {template.title}
            {template.firedByOsp ? '' : ' (not sent by OSP 0.7 and later)'}
          </summary>
          <CopyField
            id={`osp-${template.trigger}-url`}
            label="Endpoint URL"
            value={template.endpointUrl}
          />
          <CopyField
            id={`osp-${template.trigger}-header`}
            label="Request Header"
            value={template.header}
          />
          <CopyField
            id={`osp-${template.trigger}-payload`}
            label="Request Payload"
            value={template.payload}
            multiline
          />
        </details>
      ))}
    </div>
  )
}
