import { onUnmounted, shallowRef, type Ref } from 'vue'
import type { CompressedPhoto } from '../../photos/compress.ts'
import { usePhotosStore } from '../../photos/photos.store.ts'

/** The photos of a visit being recorded: compressed on the phone as they are taken, shown until saved. */
export function useVisitPhotos(busy: Ref<boolean>, error: Ref<string | null>) {
  const photoStore = usePhotosStore()
  const photos = shallowRef<{ photo: CompressedPhoto; url: string }[]>([])

  async function addPhotos(e: Event): Promise<void> {
    const files = [...((e.target as HTMLInputElement).files ?? [])]
    busy.value = true
    error.value = null
    try {
      for (const f of files) {
        const photo = await photoStore.compress(f)
        photos.value = [...photos.value, { photo, url: URL.createObjectURL(photo.blob) }]
      }
    } catch {
      error.value = '照片处理失败，请换一张或重新拍摄'
    } finally {
      busy.value = false
      ;(e.target as HTMLInputElement).value = ''
    }
  }
  const removePhoto = (i: number) => (photos.value = photos.value.filter((_, j) => j !== i))
  onUnmounted(() => photos.value.forEach((p) => URL.revokeObjectURL(p.url)))
  return { photos, addPhotos, removePhoto }
}
