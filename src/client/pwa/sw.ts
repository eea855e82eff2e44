/// <reference lib="webworker" />
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching'
import { NavigationRoute, registerRoute } from 'workbox-routing'
import type { PushPayload } from '../../core/schemas/push.ts'

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<{ url: string; revision: string | null }> }

// The app shell, from the build's manifest: the app opens with no network after the first visit.
cleanupOutdatedCaches()
precacheAndRoute(self.__WB_MANIFEST)

// Every in-app address opens the shell offline; the API is never answered from a cache.
registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html'), { denylist: [/^\/api\//] }))

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
