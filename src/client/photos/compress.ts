import imageCompression from 'browser-image-compression'

/** About 1600 px on the long side, JPEG: a visit photo keeps what matters and uploads on weak signal. */
export const PHOTO_MAX_SIDE = 1600
export const PHOTO_MAX_BYTES = 600 * 1024

export interface CompressedPhoto {
  blob: Blob
  width: number
  height: number
}

/**
 * Compress on the phone, in the page (no worker loaded from elsewhere: the CSP allows none).
 * The camera's EXIF orientation is applied, so the picture stands the right way up.
 */
export async function compressPhoto(file: File): Promise<CompressedPhoto> {
  const blob = await imageCompression(file, {
    maxWidthOrHeight: PHOTO_MAX_SIDE,
    maxSizeMB: PHOTO_MAX_BYTES / 1024 / 1024,
    useWebWorker: false,
    fileType: 'image/jpeg',
    initialQuality: 0.8,
  })
  const bitmap = await createImageBitmap(blob)
  const out = { blob, width: bitmap.width, height: bitmap.height }
  bitmap.close()
  return out
}
