import type { FastifyReply } from 'fastify'

/** Send a workbook as a download, its (Chinese) file name encoded for every browser. */
export function sendXlsx(reply: FastifyReply, fileName: string, workbook: Buffer): FastifyReply {
  return reply
    .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`)
    .send(workbook)
}
