/**
 * The one HTML escape of the server's few hand-written pages (overlay pages, the tip callback page, the
 * sandbox consent page): text and attribute values from anyone else (names, URLs, keys) become inert
 * text. Pages put escaped values only in text and in quoted attributes.
 */
const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ENTITIES[char] as string)
}
