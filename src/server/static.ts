import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import fastifyStatic from '@fastify/static'
import { errorBody } from '../core/errors.ts'
import { firstScreenShells, type BuildManifest } from './first-screens.ts'

/** The shells of the pages a visit can start on, with their preloads (first-screens.ts); none without a build manifest. */
function loadFirstScreens(clientDir: string): (path: string) => string | null {
  const manifestFile = join(clientDir, '.vite', 'manifest.json')
  if (!existsSync(manifestFile)) return () => null
  try {
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as BuildManifest
    return firstScreenShells(readFileSync(join(clientDir, 'index.html'), 'utf8'), manifest)
  } catch {
    return () => null
  }
}

/**
 * Serves the built PWA. Hashed assets are immutable; the shell, manifest and service worker are
 * revalidated on every load so a new deployment is seen. Unknown non-API paths get the shell
 * (client-side routes); unknown API paths get a JSON 404.
 */
export async function registerStatic(app: FastifyInstance, clientDir: string | null): Promise<void> {
  const hasClient = clientDir !== null && existsSync(join(clientDir, 'index.html'))
  if (hasClient) {
    await app.register(fastifyStatic, {
      root: clientDir,
      wildcard: false,
      index: 'index.html',
      setHeaders(res, path) {
        if (/[\\/]assets[\\/]/.test(path)) res.header('Cache-Control', 'public, max-age=31536000, immutable')
        else res.header('Cache-Control', 'no-cache')
      },
    })
  }
  const firstScreen = hasClient && clientDir !== null ? loadFirstScreens(clientDir) : () => null
  app.setNotFoundHandler((request, reply) => {
    const wantsPage = request.method === 'GET' && !request.url.startsWith('/api/') && (request.headers.accept ?? '').includes('text/html')
    const shell = wantsPage ? firstScreen(request.url.split('?')[0] ?? '') : null
    if (shell) return reply.header('Cache-Control', 'no-cache').type('text/html; charset=utf-8').send(shell)
    if (hasClient && wantsPage) return reply.header('Cache-Control', 'no-cache').sendFile('index.html')
    return reply.status(404).send(errorBody('not_found'))
  })
}
