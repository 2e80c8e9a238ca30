/**
 * "Start when I log in" (off by default), starting hidden in the tray. Windows and macOS register a
 * login item through Electron (`app.setLoginItemSettings`); Linux has no such API in Electron, so the
 * app writes an XDG autostart entry (`$XDG_CONFIG_HOME/autostart/wm-companion.desktop`, per the XDG
 * Autostart and Desktop Entry specifications) and removes it when switched off. Pure apart from
 * writeAutostartFile; tested under Node.
 */
import fs from 'node:fs'
import path from 'node:path'
import { PRODUCT_NAME } from './appIdentity.js'

/** Given to the app by the login item: start in the tray, without opening the window. */
export const HIDDEN_FLAG = '--hidden'
/** Same base name as the Linux executable and the .deb's desktop file (electron-builder.yml). */
export const AUTOSTART_FILE_NAME = 'wm-companion.desktop'

/** The fields of Electron's `Settings` (app.setLoginItemSettings) this app sets. */
export interface LoginItemSettings {
  openAtLogin: boolean
  /** Windows: the executable to run. */
  path?: string
  /** Windows: its arguments (paths quoted). */
  args?: string[]
}

export interface AutostartContext {
  platform: NodeJS.Platform
  /** `process.execPath`: the app's executable (Electron itself in a source checkout). */
  execPath: string
  /** The app folder when started as `electron <folder>` (`process.defaultApp`); null when packaged. */
  appPath: string | null
  /** Linux: `$APPIMAGE`, the AppImage file; execPath points into its temporary mount. */
  appImage?: string
  /** Linux: reads XDG_CONFIG_HOME. */
  env: NodeJS.ProcessEnv
  home: string
  /** Linux: an icon file for the entry. */
  iconPath?: string
}

export type AutostartPlan =
  | { kind: 'login-item'; settings: LoginItemSettings }
  /** content null: remove the file. */
  | { kind: 'desktop-file'; path: string; content: string | null }

/** What to apply for the setting's value; applied at every start too, so a moved app is followed. */
export function autostartPlan(enabled: boolean, context: AutostartContext): AutostartPlan {
  if (context.platform === 'win32') {
    const args = [...(context.appPath ? [`"${context.appPath}"`] : []), HIDDEN_FLAG]
    return { kind: 'login-item', settings: { openAtLogin: enabled, path: context.execPath, args } }
  }
  if (context.platform === 'darwin') {
    // macOS passes no arguments to a login item: the app asks `wasOpenedAtLogin` (startsHidden).
    return { kind: 'login-item', settings: { openAtLogin: enabled } }
  }
  return {
    kind: 'desktop-file',
    path: autostartFilePath(context.env, context.home),
    content: enabled ? desktopEntry(context) : null,
  }
}

/** `$XDG_CONFIG_HOME/autostart`, or `~/.config/autostart` when it is unset or not absolute (XDG spec). */
export function autostartFilePath(env: NodeJS.ProcessEnv, home: string): string {
  const configHome =
    env.XDG_CONFIG_HOME && path.posix.isAbsolute(env.XDG_CONFIG_HOME)
      ? env.XDG_CONFIG_HOME
      : path.posix.join(home, '.config')
  return path.posix.join(configHome, 'autostart', AUTOSTART_FILE_NAME)
}

export function desktopEntry(context: AutostartContext): string {
  const command = context.appImage
    ? [context.appImage]
    : [context.execPath, ...(context.appPath ? [context.appPath] : [])]
  const lines = [
    '[Desktop Entry]',
    'Type=Application',
    'Version=1.0',
    `Name=${escapeString(PRODUCT_NAME)}`,
    'Comment=Tips and OBS alerts for your live streams, in the tray',
    `Exec=${escapeString(execLine([...command, HIDDEN_FLAG]))}`,
    ...(context.iconPath ? [`Icon=${escapeString(context.iconPath)}`] : []),
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
  ]
  return `${lines.join('\n')}\n`
}

// Desktop Entry spec, "The Exec key": an argument with a reserved character is quoted in whole, and
// inside quotes ", `, $ and \ take a backslash; a literal % is %%.
const RESERVED = /[\s"'\\><~|&;$*?#()`]/
function quoteArg(arg: string): string {
  const quoted = RESERVED.test(arg) ? `"${arg.replace(/["`$\\]/g, (c) => `\\${c}`)}"` : arg
  return quoted.replace(/%/g, '%%')
}

function execLine(args: readonly string[]): string {
  return args.map(quoteArg).join(' ')
}

/** The string escapes of every value, applied after the Exec quoting (so a literal \ becomes \\\\). */
function escapeString(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/\n/g, '\\n')
    .replace(/\t/g, '\\t')
    .replace(/\r/g, '\\r')
}

/** Applies a desktop-file plan: writes the entry (creating the folder) or removes it. */
export function writeAutostartFile(plan: { path: string; content: string | null }): void {
  if (plan.content === null) {
    fs.rmSync(plan.path, { force: true })
    return
  }
  fs.mkdirSync(path.dirname(plan.path), { recursive: true })
  const pending = `${plan.path}.tmp`
  fs.writeFileSync(pending, plan.content, { mode: 0o644 })
  fs.renameSync(pending, plan.path)
}

/** Whether this start came from the login item, so the app stays in the tray without a window. */
export function startsHidden(input: {
  argv: readonly string[]
  platform: NodeJS.Platform
  /** macOS: `app.getLoginItemSettings().wasOpenedAtLogin`. */
  wasOpenedAtLogin: boolean
}): boolean {
  return input.argv.includes(HIDDEN_FLAG) || (input.platform === 'darwin' && input.wasOpenedAtLogin)
}
