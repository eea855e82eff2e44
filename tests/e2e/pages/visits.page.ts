import { expect, type Page } from '@playwright/test'

/** 走访: record a visit (offline), see it, the secretary's ledger. */
export class VisitsPages {
  constructor(private readonly page: Page) {}

  async record(v: {
    place: string
    findings: string
    followup: { text: string; due: string }
    photos: { name: string; buffer: Buffer }[]
  }): Promise<void> {
    await this.page.getByTestId('visit-new').click()
    await this.page.getByLabel('走访地点').fill(v.place)
    await this.page.getByLabel('走访情况').fill(v.findings)
    await this.page.getByTestId('followup-add').click()
    await this.page.getByTestId('followup-text').fill(v.followup.text)
    await this.page.getByTestId('followup-due').fill(v.followup.due)
    await this.page
      .getByTestId('visit-photos')
      .setInputFiles(v.photos.map((p) => ({ name: p.name, mimeType: 'image/jpeg', buffer: p.buffer })))
    await expect(this.page.locator('.thumb img')).toHaveCount(v.photos.length, { timeout: 30_000 })
    await this.page.getByTestId('visit-save').click()
    await expect(this.page.getByRole('heading', { name: v.place })).toBeVisible()
  }

  photos() {
    return this.page.getByTestId('visit-photo')
  }

  followups() {
    return this.page.getByTestId('followup-row')
  }

  /** What the phone keeps of the photos (IndexedDB). */
  storedPhotos(): Promise<{ width: number; height: number; size: number; state: string }[]> {
    return this.page.evaluate(async () => {
      const name = (await indexedDB.databases()).map((d) => d.name ?? '').find((n) => n.startsWith('suixing-account-')) ?? ''
      if (!name) return []
      return new Promise((resolve, reject) => {
        const open = indexedDB.open(name)
        open.onerror = () => reject(open.error)
        open.onsuccess = () => {
          try {
            const all = open.result.transaction('photo_blobs').objectStore('photo_blobs').getAll()
            all.onsuccess = () =>
              resolve(
                (all.result as { width: number; height: number; size: number; state: string }[]).map(({ width, height, size, state }) => ({
                  width,
                  height,
                  size,
                  state,
                })),
              )
          } catch {
            resolve([])
          } finally {
            open.result.close()
          }
        }
      })
    })
  }
}
