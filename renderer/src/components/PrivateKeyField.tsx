import { useId, useState } from 'react'

/** The largest key file read: an Ed25519 key in PEM is about 120 bytes; anything huge is not a key. */
const MAX_KEY_FILE_BYTES = 16 * 1024

/**
 * A key file's content as the wallet API takes it: PEM or base64 text as it is, anything binary (a
 * DER key) as base64. The server decides whether it is a usable Ed25519 key.
 */
export async function keyFileText(file: Blob): Promise<string> {
  if (file.size > MAX_KEY_FILE_BYTES)
    throw new Error('That file is too large to be a private key: choose the key file itself.')
  const bytes = new Uint8Array(await file.arrayBuffer())
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes).trim()
  if (text.includes('-----BEGIN') || /^[A-Za-z0-9+/=_\s-]+$/.test(text)) return text
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary)
}

/** The private key: pasted (PEM or base64), or read from a key file picked or dropped here. */
export function PrivateKeyField({
  value,
  invalid,
  onChange,
}: {
  value: string
  invalid?: boolean
  onChange: (value: string) => void
}) {
  const id = useId()
  const [fileNote, setFileNote] = useState<{ ok: boolean; text: string } | null>(null)
  const [dragging, setDragging] = useState(false)

  const readFile = (file: File | undefined) => {
    if (!file) return
    keyFileText(file).then(
      (text) => {
        onChange(text)
        setFileNote({ ok: true, text: `Read ${file.name}. It is checked when you save.` })
      },
      (error: unknown) =>
        setFileNote({ ok: false, text: error instanceof Error ? error.message : String(error) }),
    )
  }

  return (
    <div className="private-key-field">
      <label htmlFor={`${id}-text`}>Private key (PEM or base64, or drop the key file here)</label>
      <textarea
        id={`${id}-text`}
        name="privateKey"
        rows={4}
        spellCheck={false}
        autoComplete="off"
        placeholder="-----BEGIN PRIVATE KEY-----"
        className={dragging ? 'dropping' : undefined}
        value={value}
        aria-invalid={invalid}
        aria-describedby={invalid ? 'err-privateKey' : undefined}
        onChange={(event) => onChange(event.target.value)}
        onDragOver={(event) => {
          event.preventDefault()
          setDragging(true)
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(event) => {
          event.preventDefault()
          setDragging(false)
          readFile(event.dataTransfer.files[0])
        }}
      />
      <div className="key-file-row">
        <label className="button" htmlFor={`${id}-file`}>
          Choose the key file…
        </label>
        <input
          id={`${id}-file`}
          className="sr-only"
          type="file"
          accept=".pem,.key,.txt,.der,application/x-pem-file"
          data-testid="private-key-file"
          onChange={(event) => {
            readFile(event.target.files?.[0])
            event.target.value = ''
          }}
        />
        {fileNote ? (
          <span className={fileNote.ok ? 'muted small' : 'field-error'} role="status">
            {fileNote.text}
          </span>
        ) : null}
      </div>
    </div>
  )
}
