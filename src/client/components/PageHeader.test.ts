// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createRouter, createWebHistory } from 'vue-router'
import PageHeader from './PageHeader.vue'

const page = { template: '<div />' }
const makeRouter = () =>
  createRouter({ history: createWebHistory(), routes: ['/', '/study', '/study/new'].map((path) => ({ path, component: page })) })

describe('PageHeader 返回', () => {
  it('on a page opened by a link goes to 首页, not out of the app', async () => {
    const router = makeRouter()
    await router.push('/study/new')
    const w = mount(PageHeader, { props: { title: '新增学习记录', back: true }, global: { plugins: [router] } })
    await w.get('button[aria-label="返回"]').trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.path).toBe('/')
  })

  it('goes back to the page it came from inside the app', async () => {
    const router = makeRouter()
    await router.push('/study')
    await router.push('/study/new')
    const w = mount(PageHeader, { props: { title: '新增学习记录', back: true }, global: { plugins: [router] } })
    const done = new Promise<void>((ok) => router.afterEach(() => ok()))
    await w.get('button[aria-label="返回"]').trigger('click')
    await done
    expect(router.currentRoute.value.path).toBe('/study')
  })
})
