import { useSyncExternalStore } from 'react'

export const ROUTES = [
  { id: 'setup', title: 'Setup' },
  { id: 'dashboard', title: 'Dashboard' },
  { id: 'supporters', title: 'Supporters' },
  { id: 'events', title: 'Events' },
  { id: 'overlays', title: 'Overlays' },
  { id: 'integrations', title: 'Integrations' },
  { id: 'settings', title: 'Settings' },
] as const

export type RouteId = (typeof ROUTES)[number]['id']

const subscribe = (listener: () => void) => {
  window.addEventListener('hashchange', listener)
  return () => window.removeEventListener('hashchange', listener)
}

/** Hash routing (`#/events`): the listener serves the same index.html at `/` and `/plugins/wm/admin`. */
export function currentRoute(): RouteId | null {
  const id = window.location.hash.replace(/^#\/?/, '').split(/[/?]/)[0] ?? ''
  return ROUTES.some((route) => route.id === id) ? (id as RouteId) : null
}

export function useRoute(): RouteId | null {
  return useSyncExternalStore(subscribe, currentRoute)
}

export function navigate(id: RouteId): void {
  window.location.hash = `#/${id}`
}
