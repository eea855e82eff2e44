// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'

vi.mock('./photos.store.ts', () => ({ usePhotosStore: () => ({ url: () => Promise.resolve('data:image/png;base64,iVBORw0KGgo=') }) }))
const { default: PhotoThumb } = await import('./PhotoThumb.vue')

describe('a visit photo', () => {
  it('opens full size when tapped, and closes with a large 关闭 button or Esc', async () => {
    const photo = mount(PhotoThumb, { props: { id: 'p1', label: '走访照片 1' }, attachTo: document.body })
    await flushPromises()
    expect(document.querySelector('[data-testid="photo-viewer"]')).toBeNull()
    await photo.find('[data-testid="visit-photo-open"]').trigger('click')
    await flushPromises()
    const viewer = document.querySelector('[data-testid="photo-viewer"]')
    expect(viewer?.getAttribute('role')).toBe('dialog')
    expect(viewer?.querySelector('img')?.getAttribute('src')).toBe('data:image/png;base64,iVBORw0KGgo=')
    const close = document.querySelector<HTMLButtonElement>('[data-testid="photo-viewer-close"]')
    expect(close?.textContent).toBe('关闭')
    expect(document.activeElement).toBe(close)
    close?.click()
    await flushPromises()
    expect(document.querySelector('[data-testid="photo-viewer"]')).toBeNull()

    await photo.find('[data-testid="visit-photo-open"]').trigger('click')
    await flushPromises()
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }))
    await flushPromises()
    expect(document.querySelector('[data-testid="photo-viewer"]')).toBeNull()
    photo.unmount()
  })
})
