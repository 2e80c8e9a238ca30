import type { KeyObject } from 'node:crypto'
import type { SandboxWallet } from '../sandbox/sandboxWallet.js'

/** What the wallet feature needs from the sandbox wallet (server/sandbox), when it runs. */
export interface SandboxIdentity {
  /** The sandbox's base URL (its http origin). */
  url: string
  streamerWalletAddress: string
  /** The viewer wallets with play money. */
  viewers: string[]
  client: { walletAddress: string; keyId: string; privateKey: KeyObject }
}

/** The sandbox as the wallet service sees it: its identity while it runs, and a way to start it. */
export interface SandboxHost {
  /** The running sandbox's identity, or null. */
  running(): SandboxIdentity | null
  /** Starts the sandbox on demand ("use the sandbox wallet" in one click), when the host can. */
  start?(): Promise<SandboxIdentity | null>
}

export function sandboxIdentity(wallet: SandboxWallet | null): SandboxIdentity | null {
  if (!wallet) return null
  return {
    url: wallet.url,
    streamerWalletAddress: wallet.streamer.address,
    viewers: wallet.viewers.map((viewer) => viewer.address),
    client: {
      walletAddress: wallet.client.walletAddress,
      keyId: wallet.client.keyId,
      privateKey: wallet.client.privateKey,
    },
  }
}

/** Adapts the sandbox feature (or a sandbox started by a test) to what the wallet service needs. */
export function sandboxHost(sandbox: {
  instance(): SandboxWallet | null
  ensureStarted?(): Promise<SandboxWallet>
}): SandboxHost {
  return {
    running: () => sandboxIdentity(sandbox.instance()),
    start: sandbox.ensureStarted
      ? async () => sandboxIdentity(await sandbox.ensureStarted!())
      : undefined,
  }
}
