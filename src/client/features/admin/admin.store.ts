import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { adminApi as api } from '../../api/admin-client.ts'
import { ApiError, createHttpClient } from '../../api/http.ts'
import type { ResponseOf } from '../../../core/contracts/contract.ts'
import type { resetTwoFactor } from '../../../core/contracts/security.ts'
import { useRequest } from '../../composables/use-request.ts'
import { useSessionStore } from '../../session/session.store.ts'
import { ValidationError } from '../../db/errors.ts'
import type { AuditEntry, ImportPreview, IssuedCode, MembershipEvent, OrgTree, Person, PersonPatch } from '../../../core/schemas/people.ts'
import type { Role } from '../../../core/domain/roles.ts'

/**
 * Administration of the organisation. Online only: these acts need the server's authority and
 * are written to its audit log; what they change reaches every phone through sync.
 */
export const useAdminStore = defineStore('admin', () => {
  const tree = shallowRef<OrgTree | null>(null)
  const people = shallowRef<Person[]>([])
  const events = shallowRef<MembershipEvent[]>([])
  const audit = shallowRef<AuditEntry[]>([])
  /** Codes just issued: shown (and printable) until the page is left. */
  const issued = ref<IssuedCode[]>([])
  const preview = shallowRef<ImportPreview | null>(null)
  const { busy, error, run: request } = useRequest('需要联网才能进行管理操作')
  // The managers' idle timeout (README, Security): an administrative request after a long pause
  // opens 登录 again, keeping this phone's data and outbox, and comes back here afterwards.
  const run = (work: () => Promise<void>) =>
    request(async () => {
      try {
        await work()
      } catch (err) {
        if (err instanceof ApiError && err.code === 'reauth_required') {
          const phone = useSessionStore().user?.phone ?? ''
          location.assign(`/login?reauth=1&phone=${encodeURIComponent(phone)}&next=${encodeURIComponent(location.pathname)}`)
        }
        throw err
      }
    })

  const branchName = computed(() => new Map((tree.value?.branches ?? []).map((b) => [b.id, b.name])))
  const groupName = computed(() => new Map((tree.value?.branches ?? []).flatMap((b) => b.groups.map((g) => [g.id, g.name] as const))))

  const load = () =>
    run(async () => {
      const [t, p] = await Promise.all([api.orgTree(), api.people()])
      tree.value = t
      people.value = p.people
    })
  const reload = async () => {
    const [t, p] = await Promise.all([api.orgTree(), api.people()])
    tree.value = t
    people.value = p.people
  }
  const act = (work: () => Promise<unknown>) =>
    run(async () => {
      await work()
      await reload()
    })

  return {
    tree,
    people,
    events,
    audit,
    issued,
    preview,
    busy,
    error,
    branchName,
    groupName,
    load,
    addBranch: (name: string) => act(() => api.createBranch(name)),
    renameBranch: (id: string, name: string) => act(() => api.updateBranch(id, { name })),
    archiveBranch: (id: string, archived: boolean) => act(() => api.updateBranch(id, { archived })),
    addGroup: (branchId: string, name: string) => act(() => api.createGroup(branchId, name)),
    archiveGroup: (id: string) => act(() => api.updateGroup(id, { archived: true })),
    create: (body: Parameters<typeof api.createPerson>[0]) =>
      act(async () => {
        issued.value = [(await api.createPerson(body)).activation]
      }),
    update: (id: string, patch: PersonPatch) => act(() => api.updatePerson(id, patch)),
    setRole: (id: string, role: Role) => act(() => api.setRole(id, role)),
    move: (id: string, body: Parameters<typeof api.movePerson>[1]) => act(() => api.movePerson(id, body)),
    remove: (id: string, body: Parameters<typeof api.removePerson>[1]) => act(() => api.removePerson(id, body)),
    signOutAll: (id: string) => act(() => api.signOutPerson(id)),
    /** Clears the person's two-factor login (a lost phone); they enrol again at their next sign-in. */
    resetTwoFactor: (id: string) =>
      act(() => createHttpClient().post<ResponseOf<typeof resetTwoFactor>>(`/api/admin/people/${encodeURIComponent(id)}/two-factor/reset`)),
    issueCode: (id: string) =>
      run(async () => {
        issued.value = [(await api.issueActivation(id)).activation]
      }),
    /** New codes for everyone in scope not yet activated (their earlier codes end). */
    issueBatch: (branchId?: string) =>
      run(async () => {
        issued.value = (await api.issueBatch(branchId)).activations
      }),
    loadEvents: (id: string) =>
      run(async () => {
        events.value = (await api.personEvents(id)).events
      }),
    loadAudit: (more = false) =>
      run(async () => {
        const before = more ? audit.value.at(-1)?.id : undefined
        const page = (await api.auditLog(before)).entries
        audit.value = more ? [...audit.value, ...page] : page
      }),
    previewFile: (file: { fileName: string; content: string }) =>
      run(async () => {
        preview.value = await api.previewImport(file)
      }),
    /** `createMissing`: the branches and 党小组 the preview listed are created in the same apply. */
    applyFile: (file: { fileName: string; content: string }, createMissing = false) =>
      act(async () => {
        issued.value = (await api.applyImport({ ...file, createMissing })).activations
        preview.value = null
      }),
    clearIssued: () => (issued.value = []),
  }
})

/** A file as the import routes take it: base64 in JSON. */
export async function readFileForUpload(file: File): Promise<{ fileName: string; content: string }> {
  if (file.size > 1_400_000) throw new ValidationError('文件过大（最多约 1.4 MB），请分批导入')
  const bytes = new Uint8Array(await file.arrayBuffer())
  let bin = ''
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return { fileName: file.name, content: btoa(bin) }
}
