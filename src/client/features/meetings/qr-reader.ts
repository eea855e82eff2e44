import jsQR from 'jsqr'

/**
 * Read QR codes from the camera: the browser's own BarcodeDetector where it exists (fast, on
 * most Android phones), jsQR on canvas frames elsewhere.
 */
interface Detector {
  detect(source: CanvasImageSource): Promise<{ rawValue: string }[]>
}
type DetectorCtor = new (opts: { formats: string[] }) => Detector

export async function startReader(video: HTMLVideoElement, onText: (text: string) => void): Promise<() => void> {
  const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false })
  video.srcObject = stream
  video.setAttribute('playsinline', 'true')
  await video.play()
  const Ctor = (globalThis as { BarcodeDetector?: DetectorCtor }).BarcodeDetector
  const detector = Ctor ? new Ctor({ formats: ['qr_code'] }) : null
  const canvas = document.createElement('canvas')
  const g = canvas.getContext('2d', { willReadFrequently: true })
  let stopped = false
  const loop = async () => {
    if (stopped) return
    try {
      if (video.readyState >= 2) {
        let text: string | null = null
        if (detector) text = (await detector.detect(video))[0]?.rawValue ?? null
        else if (g) {
          canvas.width = video.videoWidth
          canvas.height = video.videoHeight
          g.drawImage(video, 0, 0)
          text =
            jsQR(g.getImageData(0, 0, canvas.width, canvas.height).data, canvas.width, canvas.height, { inversionAttempts: 'dontInvert' })
              ?.data ?? null
        }
        if (text) onText(text)
      }
    } catch {
      // a frame that could not be read: try the next one
    }
    setTimeout(() => void loop(), 200)
  }
  void loop()
  return () => {
    stopped = true
    for (const t of stream.getTracks()) t.stop()
  }
}
