// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest'
import { createApp, defineComponent, h } from 'vue'
import { createMemoryHistory, createRouter } from 'vue-router'
import { answered, asked } from '../db/live-answered.ts'
import { mountApp } from './snapshot-swap.ts'

const Live = defineComponent({ render: () => h('p', 'live') })

function setup(path: string) {
  document.body.innerHTML =
    '<div id="app"><div data-snapshot inert aria-busy="true"><main class="snap">张三，您好（上次）</main></div></div>'
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', component: Live },
      { path: '/login', component: Live },
    ],
  })
  void router.push(path)
  const app = createApp(Live)
  return { app, router }
}

afterEach(() => (document.body.innerHTML = ''))

describe('the live app replaces the painted snapshot', () => {
  it('keeps the snapshot on screen until the live queries have answered, then swaps', async () => {
    const { app, router } = setup('/')
    asked() // a live query of the home screen, not answered yet
    let done = false
    const mounted = mountApp(app, router).then((root) => ((done = true), root))
    await new Promise((r) => setTimeout(r, 50))
    expect(done).toBe(false)
    expect(document.querySelector('[data-snapshot]')).not.toBeNull()
    expect((document.querySelector('#app > div:not([data-snapshot])') as HTMLElement).hidden).toBe(true)
    answered()
    const root = await mounted
    expect(document.querySelector('[data-snapshot]')).toBeNull()
    expect(root.hidden).toBe(false)
    expect(root.parentElement?.id).toBe('app')
  })

  it('swaps at once on another page (a signed-out phone goes to the login page)', async () => {
    const { app, router } = setup('/login')
    asked()
    const root = await mountApp(app, router)
    expect(document.querySelector('[data-snapshot]')).toBeNull()
    expect(root.hidden).toBe(false)
    answered()
  })

  it('mounts visibly when no snapshot was painted', async () => {
    document.body.innerHTML = '<div id="app"></div>'
    const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/', component: Live }] })
    const root = await mountApp(createApp(Live), router)
    expect(root.hidden).toBe(false)
    expect(root.textContent).toBe('live')
  })
})
