import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import { useSessionStore } from '../session/session.store.ts'
import { scrollBehavior } from './scroll.ts'

declare module 'vue-router' {
  interface RouteMeta {
    /** Shows the bottom tab bar. */
    tab?: boolean
    /** Open without signing in. */
    public?: boolean
    /** A form: the update prompt waits until the user leaves it. */
    keepsInput?: boolean
  }
}

const routes: RouteRecordRaw[] = [
  // Lazy like every page: the login page loads neither the home screen nor the account database.
  { path: '/', component: () => import('../features/home/HomePage.vue'), meta: { tab: true } },
  { path: '/study', component: () => import('../features/study/StudyPage.vue'), meta: { tab: true } },
  { path: '/study/new', component: () => import('../features/study/StudyFormPage.vue'), meta: { keepsInput: true } },
  { path: '/study/branch', component: () => import('../features/study/BranchStudyPage.vue') },
  { path: '/study/:id', component: () => import('../features/study/StudyFormPage.vue'), meta: { keepsInput: true } },
  { path: '/meetings', component: () => import('../features/meetings/MeetingsPage.vue'), meta: { tab: true } },
  { path: '/meetings/new', component: () => import('../features/meetings/MeetingFormPage.vue'), meta: { keepsInput: true } },
  { path: '/meetings/record', component: () => import('../features/meetings/MyOrgLifePage.vue') },
  { path: '/meetings/ledger', component: () => import('../features/meetings/LedgerPage.vue') },
  { path: '/meetings/pending', component: () => import('../features/meetings/PendingPage.vue') },
  { path: '/meetings/:id', component: () => import('../features/meetings/MeetingPage.vue'), meta: { keepsInput: true } },
  { path: '/meetings/:id/edit', component: () => import('../features/meetings/MeetingFormPage.vue'), meta: { keepsInput: true } },
  { path: '/meetings/:id/code', component: () => import('../features/meetings/SignInCodePage.vue') },
  // The year's review: /review, /review/manage, /review/<cycle>/ballot (one entry: ReviewRoutes.vue picks the page).
  { path: '/review/:sub(.*)*', component: () => import('../features/review/ReviewRoutes.vue'), meta: { keepsInput: true } },
  { path: '/visits', component: () => import('../features/visits/VisitsPage.vue'), meta: { tab: true } },
  { path: '/visits/new', component: () => import('../features/visits/VisitFormPage.vue'), meta: { keepsInput: true } },
  { path: '/visits/ledger', component: () => import('../features/visits/VisitsLedgerPage.vue') },
  { path: '/visits/:id', component: () => import('../features/visits/VisitPage.vue'), meta: { keepsInput: true } },
  { path: '/households/new', component: () => import('../features/visits/HouseholdFormPage.vue'), meta: { keepsInput: true } },
  { path: '/households/:id', component: () => import('../features/visits/HouseholdPage.vue') },
  { path: '/households/:id/edit', component: () => import('../features/visits/HouseholdFormPage.vue'), meta: { keepsInput: true } },
  { path: '/me/storage', component: () => import('../features/visits/StoragePage.vue') },
  { path: '/scan', component: () => import('../features/meetings/ScanPage.vue') },
  // Public: it keeps the scan's time before sending a member who is not signed in here to log in.
  { path: '/s/:meetingId/:window/:token', component: () => import('../features/meetings/SignInLinkPage.vue'), meta: { public: true } },
  { path: '/me', component: () => import('../features/me/MePage.vue'), meta: { tab: true } },
  { path: '/me/sync', component: () => import('../features/sync/SyncPage.vue') },
  { path: '/admin', component: () => import('../features/admin/AdminPage.vue') },
  { path: '/admin/people', component: () => import('../features/admin/PeoplePage.vue') },
  { path: '/admin/people/new', component: () => import('../features/admin/PersonNewPage.vue'), meta: { keepsInput: true } },
  { path: '/admin/people/:id', component: () => import('../features/admin/PersonPage.vue'), meta: { keepsInput: true } },
  { path: '/admin/import', component: () => import('../features/admin/ImportPage.vue') },
  { path: '/admin/audit', component: () => import('../features/admin/AuditPage.vue') },
  { path: '/me/devices', component: () => import('../features/account/DevicesPage.vue') },
  { path: '/me/reminders', component: () => import('../features/reminders/RemindersPage.vue') },
  { path: '/party/birthdays', component: () => import('../features/party/BranchBirthdaysPage.vue') },
  { path: '/me/party', component: () => import('../features/party/PartyDatesPage.vue'), meta: { keepsInput: true } },
  { path: '/login', component: () => import('../features/auth/LoginPage.vue'), meta: { public: true, keepsInput: true } },
  { path: '/activate', component: () => import('../features/auth/ActivatePage.vue'), meta: { public: true, keepsInput: true } },
  { path: '/setup', component: () => import('../features/auth/SetupPage.vue'), meta: { public: true, keepsInput: true } },
  { path: '/:rest(.*)*', redirect: '/' },
]

export function createAppRouter() {
  const router = createRouter({ history: createWebHistory(), routes, scrollBehavior })
  router.beforeEach((to) => {
    const session = useSessionStore()
    if (!to.meta.public && !session.signedIn) return { path: '/login', query: to.fullPath === '/' ? {} : { next: to.fullPath } }
    // ?reauth: the session expired on the server; signing in again keeps this phone's data and outbox.
    if (to.path === '/login' && session.signedIn && to.query.reauth === undefined) return '/'
    return true
  })
  return router
}
