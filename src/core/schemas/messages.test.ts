import { describe, expect, it } from 'vitest'
import * as v from 'valibot'
import { fieldLabel, issuesToMessage } from './common.ts'
import { LoginRequest, SetupRequest } from './auth.ts'
import {
  ActivateRequest,
  BranchInput,
  BranchPatch,
  GroupInput,
  IdParams,
  ImportRequest,
  MoveInput,
  PersonInput,
  PersonPatch,
  RemoveInput,
  RoleInput,
} from './people.ts'
import { PushEndpointInput, PushSubscriptionInput } from './push.ts'
import {
  attendanceWriteFields,
  followupCloseFields,
  followupFields,
  householdFields,
  makeupFields,
  meetingFields,
  meetingKeyField,
  oathRenewalFields,
  partyDateFields,
  reminderSettingsFields,
  studyRecordFields,
  visitFields,
} from './entities.ts'

/** Every input the app or the server validates with a shared schema, by name. */
const SCHEMAS: Record<string, Record<string, v.GenericSchema>> = {
  setup: SetupRequest.entries,
  login: LoginRequest.entries,
  activate: ActivateRequest.entries,
  person: PersonInput.entries,
  personPatch: PersonPatch.entries,
  role: RoleInput.entries,
  move: MoveInput.entries,
  remove: RemoveInput.entries,
  branch: BranchInput.entries,
  branchPatch: BranchPatch.entries,
  group: GroupInput.entries,
  id: IdParams.entries,
  roster: ImportRequest.entries,
  push: PushSubscriptionInput.entries,
  pushEndpoint: PushEndpointInput.entries,
  study: studyRecordFields,
  meeting: { ...meetingFields, ...meetingKeyField },
  attendance: attendanceWriteFields,
  makeup: makeupFields,
  household: householdFields,
  visit: visitFields,
  followup: followupFields,
  followupClose: followupCloseFields,
  oath: oathRenewalFields,
  reminders: reminderSettingsFields,
  partyDates: partyDateFields,
}

const ALL_KEYS = [...new Set(Object.values(SCHEMAS).flatMap((entries) => Object.keys(entries)))]
/** A schema key as a word of its own ("topic", "orgName", "scan.window"): never in what a person reads. */
const KEY_WORD = new RegExp(`(^|[^A-Za-z])(${ALL_KEYS.join('|')})([^A-Za-z]|$)`)

/** Values a person or a broken client may send: missing, wrong type, empty, too long, malformed. */
const BAD_VALUES: unknown[] = [
  undefined,
  null,
  12345,
  -1,
  1.5,
  'x',
  '',
  '   ',
  '字'.repeat(30_000),
  true,
  [],
  ['not-an-id'],
  {},
  { window: 'x', token: 1, scannedAt: 'yesterday' },
]

function messagesFor(entries: Record<string, v.GenericSchema>, key: string): string[] {
  const schema = v.object({ [key]: entries[key] as v.GenericSchema })
  const out: string[] = []
  for (const value of BAD_VALUES) {
    const r = v.safeParse(schema, value === undefined ? {} : { [key]: value })
    if (!r.success) out.push(issuesToMessage(r.issues, schema))
  }
  return out
}

describe('validation messages', () => {
  it('every field of the shared schemas has a Chinese name', () => {
    const missing = Object.entries(SCHEMAS).flatMap(([name, entries]) =>
      Object.entries(entries)
        .filter(([, s]) => !fieldLabel(s))
        .map(([k]) => `${name}.${k}`),
    )
    expect(missing).toEqual([])
  })

  for (const [name, entries] of Object.entries(SCHEMAS)) {
    it(`${name}: every message names its field in Chinese and shows no schema key`, () => {
      for (const key of Object.keys(entries)) {
        const label = fieldLabel(entries[key])
        for (const message of messagesFor(entries, key)) {
          expect(message, `${name}.${key}`).not.toMatch(KEY_WORD)
          expect(message, `${name}.${key}`).not.toMatch(/[A-Za-z]\w*：/)
          expect(message, `${name}.${key}`).toContain(label)
          expect(message).toMatch(/[\u4e00-\u9fff]/)
        }
      }
    })
  }

  it('reads as the forms say it: first-run setup, 安排会议, 新增学习记录, 新增联系户, 激活', () => {
    const say = (schema: v.GenericSchema, input: unknown) => {
      const r = v.safeParse(schema, input)
      return r.success ? '' : issuesToMessage(r.issues, schema)
    }
    expect(say(SetupRequest, { orgName: 'x', adminName: '张三', phone: '13900000000', password: 'long-enough' })).toBe('请填写组织名称')
    expect(say(SetupRequest, {})).toBe('组织名称：缺少必填项；管理员姓名：缺少必填项；手机号：缺少必填项')
    expect(say(v.object(meetingFields), { topic: ' ' })).toMatch(/^会议类型：|^党支部：/)
    expect(say(v.object({ topic: meetingFields.topic }), { topic: ' ' })).toBe('请填写会议主题')
    expect(say(v.object({ durationMinutes: meetingFields.durationMinutes }), { durationMinutes: Number.NaN })).toBe('时长应为数字')
    expect(say(v.object({ title: studyRecordFields.title }), { title: '' })).toBe('请填写学习内容')
    expect(say(v.object({ name: householdFields.name }), { name: '' })).toBe('请填写户主姓名')
    expect(say(v.object({ expectedIds: meetingFields.expectedIds }), { expectedIds: ['x'] })).toBe('应到人员：编号格式不正确')
    expect(say(ActivateRequest, { phone: '13900000000', code: '12', password: 'long-enough' })).toBe('激活码为 8 位字母或数字')
    expect(say(PersonPatch, { unknown: 1 })).toBe('含有不支持的字段')
  })
})
