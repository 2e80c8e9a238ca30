import { lazy, Suspense, useCallback, useEffect, useState } from 'react'
import type { AppSettings } from '../../server/contracts/api.js'
import { core } from './api/endpoints.js'
import { ConnectionIndicator } from './components/ConnectionIndicator.js'
import { PageErrorBoundary } from './components/PageErrorBoundary.js'
import type { SettingsHandle } from './lib/settingsHandle.js'
import { Loading } from './components/ui.js'
import { useConnectionStatus } from './live/hooks.js'
import { live } from './live/liveConnection.js'
import { navigate, ROUTES, useRoute, type RouteId } from './lib/router.js'
import { applyTheme } from './lib/theme.js'
import { EventsPage } from './pages/EventsPage.js'
import { IntegrationsPage } from './pages/IntegrationsPage.js'
import { OverlaysPage } from './pages/OverlaysPage.js'
import { SettingsPage } from './pages/SettingsPage.js'
import { SetupWizard } from './pages/SetupWizard.js'
import { SignedOut } from './pages/SignedOut.js'
import { SupportersPage } from './pages/SupportersPage.js'
import { NotificationOffer } from './desktop/NotificationOffer.js'
import { UpdateBanner } from './desktop/UpdateBanner.js'
import { useBrowserNotifications } from './desktop/browserNotifications.js'

// recharts is large: the Dashboard page and its charts load on demand, keeping the first load small.
const DashboardPage = lazy(() => import('./pages/DashboardPage.js'))

const ROUTE_TITLES = Object.fromEntries(ROUTES.map((item) => [item.id, item.title])) as Record<
  RouteId,
  string
>

export function App() {
  const status = useConnectionStatus()
  const route = useRoute()
  const [settings, setSettings] = useState<AppSettings | null>(null)

  useEffect(() => {
    live.start()
    core.settings().then(
      (loaded) => {
        setSettings(loaded)
        applyTheme(loaded.theme)
        if (!window.location.hash) navigate(loaded.setupCompleted ? 'dashboard' : 'setup')
      },
      () => {
        if (!window.location.hash) navigate('dashboard')
      },
    )
  }, [])

  const update = useCallback(async (patch: Partial<AppSettings>) => {
    const next = await core.updateSettings(patch)
    setSettings(next)
    applyTheme(next.theme)
    return next
  }, [])

  useBrowserNotifications(settings)
  const handle: SettingsHandle = { settings, update }
  const active: RouteId = route ?? 'dashboard'

  return (
    <div className="shell">
      <a
        className="skip-link"
        href="#main"
        onClick={(event) => {
          event.preventDefault()
          document.getElementById('main')?.focus()
        }}
      >
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">
          <span aria-hidden="true" className="brand-mark">
            ◆
          </span>{' '}
          WM Companion
        </span>
        <ConnectionIndicator status={status} />
      </header>
      <div className="layout">
        <nav className="sidenav" aria-label="Main">
          <ul>
            {ROUTES.map((item) => (
              <li key={item.id}>
                <a href={`#/${item.id}`} aria-current={active === item.id ? 'page' : undefined}>
                  {item.title}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <main id="main" tabIndex={-1}>
          {status === 'signed-out' ? (
            <SignedOut />
          ) : (
            <Suspense fallback={<Loading what="the page" />}>
              <UpdateBanner />
              <NotificationOffer enabled={settings?.notificationsEnabled ?? false} />
              <PageErrorBoundary key={active} page={ROUTE_TITLES[active]}>
                <Page route={active} settings={handle} />
              </PageErrorBoundary>
            </Suspense>
          )}
        </main>
      </div>
    </div>
  )
}

function Page({ route, settings }: { route: RouteId; settings: SettingsHandle }) {
  switch (route) {
    case 'setup':
      return <SetupWizard settings={settings} />
    case 'dashboard':
      return <DashboardPage />
    case 'supporters':
      return <SupportersPage />
    case 'events':
      return <EventsPage />
    case 'overlays':
      return <OverlaysPage />
    case 'integrations':
      return <IntegrationsPage />
    case 'settings':
      return <SettingsPage settings={settings} />
  }
}
