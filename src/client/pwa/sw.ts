/// <reference lib="webworker" />
import { cleanupOutdatedCaches, createHandlerBoundToURL, matchPrecache, precacheAndRoute } from 'workbox-precaching'
import { NavigationRoute, registerRoute } from 'workbox-routing'
import type { PushPayload } from '../../core/schemas/push.ts'
import { chinaToday } from '../../core/domain/china-time.ts'
import { paintSnapshot, readSnapshot, SNAPSHOT_CACHE, SNAPSHOT_KEY } from './snapshot-format.ts'

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<{ url: string; revision: string | null }> }

// The app shell, from the build's manifest: the app opens with no network after the first visit.
cleanupOutdatedCaches()
// No directory index: `/` is a navigation like any other (below), so the home screen's snapshot is painted.
precacheAndRoute(self.__WB_MANIFEST, { directoryIndex: '' })

// Every in-app address opens the shell offline; the API is never answered from a cache.
const shell = createHandlerBoundToURL('index.html')
registerRoute(
  new NavigationRoute(
    async (options) => {
      // Read before the shell's handler, which points options.request at index.html.
      const home = new URL(options.request.url).pathname === '/'
      const response = await shell(options)
      return home ? withHomeSnapshot(response) : response
    },
    { denylist: [/^\/api\//] },
  ),
)

/**
 * The home screen opens with the snapshot the app saved of it (snapshot-format.ts) painted in,
 * when there is one of today whose stylesheets this version still has; the live app replaces it.
 * Any doubt serves the plain shell. The shell's headers (its CSP among them) are kept.
 */
async function withHomeSnapshot(response: Response): Promise<Response> {
  try {
    const stored = await (await caches.open(SNAPSHOT_CACHE)).match(SNAPSHOT_KEY)
    const snapshot = stored ? readSnapshot(await stored.json()) : null
    if (!snapshot || snapshot.day !== chinaToday(new Date()) || !response.ok) return response
    for (const href of snapshot.styles) if (!(await matchPrecache(href))) return response
    const html = paintSnapshot(await response.clone().text(), snapshot)
    return new Response(html, { status: response.status, statusText: response.statusText, headers: response.headers })
  } catch {
    return response
  }
}

// A new version waits until the user accepts the update prompt (新版本可用).
self.addEventListener('message', (event) => {
  if ((event.data as { type?: string } | null)?.type === 'SKIP_WAITING') void self.skipWaiting()
})

/** The server's push payload (core/schemas/push.ts); any field may be missing from a message that is not ours. */
type PushMessage = Partial<PushPayload>

function readPush(event: PushEvent): PushMessage {
  try {
    return (event.data?.json() as PushMessage | null) ?? {}
  } catch {
    return { body: event.data?.text() }
  }
}

// Reminders sent by the server (political birthday, the branch's week ahead…): shown even when
// the app is closed. Only the app's own paths are opened on tap.
self.addEventListener('push', (event) => {
  const m = readPush(event)
  const url = typeof m.url === 'string' && m.url.startsWith('/') && !m.url.startsWith('//') ? m.url : '/'
  event.waitUntil(
    self.registration.showNotification(m.title ?? '党建随行', {
      body: m.body ?? '',
      tag: m.tag,
      icon: '/icons/icon-192.png',
      badge: '/icons/icon-192.png',
      lang: 'zh-CN',
      data: { url },
    }),
  )
})

self.addEventListener('notificationclick', (event) => {
  event.notification.close()
  const url = (event.notification.data as { url?: string } | null)?.url ?? '/'
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true })
      const open = windows[0]
      if (open) {
        await open.focus()
        await open.navigate(url).catch(() => undefined)
        return
      }
      await self.clients.openWindow(url)
    })(),
  )
})
