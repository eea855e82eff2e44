import { gzipSync } from 'node:zlib'
import { launch, signedInPage } from './browser.ts'
import { AppServer } from '../e2e/support/server.ts'

export interface FirstLoad {
  transferredBytes: number
  gzipBytes: number
  files: { url: string; type: string; transferred: number; gzip: number }[]
}

/**
 * The JS and CSS a real browser requests for the home screen of a signed-in member, with the
 * service worker and the HTTP cache out of the way: what a first visit costs on the network.
 * Reports what was transferred (the server may choose brotli) and the gzip size of the same files.
 */
export async function measureFirstLoad(port: number): Promise<FirstLoad> {
  const server = new AppServer(port)
  await server.start()
  const browser = await launch()
  try {
    const { context, page } = await signedInPage(browser, server, { serviceWorkers: 'block' })

    const cdp = await context.newCDPSession(page)
    await cdp.send('Network.enable')
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true })
    const seen = new Map<string, { url: string; type: string; transferred: number }>()
    cdp.on('Network.responseReceived', (e) => seen.set(e.requestId, { url: e.response.url, type: e.type, transferred: 0 }))
    cdp.on('Network.loadingFinished', (e) => {
      const r = seen.get(e.requestId)
      if (r) r.transferred = e.encodedDataLength
    })
    await page.reload({ waitUntil: 'networkidle' })
    await page.getByRole('heading', { name: /您好/ }).waitFor()

    const files: FirstLoad['files'] = []
    const counted = new Set<string>()
    for (const r of seen.values()) {
      if (r.type !== 'Script' && r.type !== 'Stylesheet') continue
      // A module both preloaded and imported is requested twice with the cache off; count it once.
      if (counted.has(r.url)) continue
      counted.add(r.url)
      const body = Buffer.from(await (await fetch(r.url)).arrayBuffer())
      files.push({ url: new URL(r.url).pathname, type: r.type, transferred: r.transferred, gzip: gzipSync(body, { level: 9 }).length })
    }
    return {
      transferredBytes: files.reduce((a, f) => a + f.transferred, 0),
      gzipBytes: files.reduce((a, f) => a + f.gzip, 0),
      files,
    }
  } finally {
    await browser.close()
    await server.stop()
  }
}
