/**
 * The app's identity, shared by the shell and the packaging config (tests/unit/packaging.test.ts checks
 * that electron-builder.yml says the same). On Windows the AppUserModelID must equal the installer's
 * appId, or notifications are not shown.
 */
export const APP_ID = 'org.wmcompanion.desktop'
export const PRODUCT_NAME = 'WM Companion'
