import { createRouter, createWebHistory, type Router, type RouteRecordRaw } from 'vue-router'
import { useSessionStore } from '../session/session.store.ts'
import { rememberPosition, scrollBehavior } from './scroll.ts'

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

/** The first screens; every other page is in routes-more.ts, added by `loadMoreRoutes`. */
const FIRST_SCREENS: RouteRecordRaw[] = [
  // Lazy like every page: the login page loads neither the home screen nor the account database.
  { path: '/', component: () => import('../features/home/HomePage.vue'), meta: { tab: true } },
  // Public: it keeps the scan's time before sending a member who is not signed in here to log in.
  { path: '/s/:meetingId/:window/:token', component: () => import('../features/meetings/SignInLinkPage.vue'), meta: { public: true } },
  { path: '/login', component: () => import('../features/auth/LoginPage.vue'), meta: { public: true, keepsInput: true } },
  { path: '/activate', component: () => import('../features/auth/ActivatePage.vue'), meta: { public: true, keepsInput: true } },
  { path: '/setup', component: () => import('../features/auth/SetupPage.vue'), meta: { public: true, keepsInput: true } },
]
const ANY = '/:rest(.*)*'
const loaded = new WeakMap<Router, Promise<void>>()

/** Adds every page but the first screens to `router`, once; main.ts calls it beside the first paint. */
export function loadMoreRoutes(router: Router): Promise<void> {
  let done = loaded.get(router)
  if (!done) {
    done = import('./routes-more.ts').then(({ moreRoutes }) => {
      for (const r of moreRoutes) router.addRoute(r)
    })
    loaded.set(router, done)
  }
  return done
}

export function createAppRouter() {
  const router: Router = createRouter({
    history: createWebHistory(),
    routes: [
      ...FIRST_SCREENS,
      // Any other path: the rest of the table is loaded, then the path resolved again (首页 if it names no page).
      {
        path: ANY,
        component: () => import('../features/home/HomePage.vue'),
        beforeEnter: async (to) => {
          await loadMoreRoutes(router)
          return router.resolve(to.fullPath).matched.some((r) => r.path === ANY) ? '/' : to.fullPath
        },
      },
    ],
    scrollBehavior,
  })
  router.beforeEach((to, from) => {
    rememberPosition(from)
    const session = useSessionStore()
    if (!to.meta.public && !session.signedIn) return { path: '/login', query: to.fullPath === '/' ? {} : { next: to.fullPath } }
    // ?reauth: the session expired on the server; signing in again keeps this phone's data and outbox.
    if (to.path === '/login' && session.signedIn && to.query.reauth === undefined) return '/'
    // An administrator who has not enrolled two-factor login: enrolment first (the server refuses the rest meanwhile).
    if (session.user?.mustEnrolTwoFactor && !to.meta.public && to.path !== '/me/two-factor') return '/me/two-factor'
    return true
  })
  // The 个人信息保护说明 (features/privacy/privacy-gate.ts): checked once the page is on screen, never part of the home page.
  router.afterEach((to) => {
    if (!to.meta.public && useSessionStore().signedIn)
      void import('../features/privacy/privacy-gate.ts').then((m) => m.checkPrivacy(router))
  })
  return router
}
