// Who is logged in, shared by every page. The server keeps the session (an
// HttpOnly cookie); the UI only remembers the user it answered.
import { reactive } from 'vue'
import { get, post, ApiError } from './api/client'
import type { ChangeRequestCounts, Login, State, UnreadCount, User } from './api/types'

export const session = reactive({
  user: null as User | null,
  loaded: false,
  counts: {} as Partial<Record<State, number>>,
  unread: 0, // unread messages of the message centre
  waiting: 0, // what waits for the user's action, as the server counts it: the menu badge
  drafts: 0,
})

// The session cookie is HttpOnly, so the page cannot see it; this flag only
// spares anonymous readers a /me call that would answer 401.
const hint = 'qingdan.loggedIn'

function remember(on: boolean) {
  try {
    if (on) localStorage.setItem(hint, '1')
    else localStorage.removeItem(hint)
  } catch {
    // Storage may be disabled; then /me is simply always asked.
  }
}

function mayBeLoggedIn(): boolean {
  try {
    return localStorage.getItem(hint) === '1'
  } catch {
    return true
  }
}

export async function loadMe(): Promise<User | null> {
  if (!mayBeLoggedIn()) {
    session.loaded = true
    return null
  }
  try {
    session.user = await get<User>('/me')
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 401) throw e
    session.user = null
    remember(false)
  } finally {
    session.loaded = true
  }
  return session.user
}

export async function login(username: string, password: string): Promise<User> {
  const res = await post<Login>('/auth/login', { username, password })
  session.user = res.user
  session.loaded = true
  remember(true)
  await refreshCounts()
  return res.user
}

export async function logout() {
  try {
    await post('/auth/logout')
  } finally {
    forget()
  }
}

function forget() {
  session.user = null
  session.counts = {}
  session.waiting = 0
  session.drafts = 0
  session.unread = 0
  remember(false)
}

/** The page a person lands on after logging in: their workbench; a region administrator's people. */
export function homeOf(u: User | null): string {
  return u?.role === 'region_admin' ? '/admin/users' : '/workbench'
}

/** Whether the user administers agencies and people (everywhere, or in their region). */
export function isAdministrator(u: User | null): boolean {
  return u?.role === 'admin' || u?.role === 'region_admin'
}

/** Forgets the user whose session the server no longer knows. */
export function sessionEnded() {
    forget()
}

/** Counts of what waits for the user, for the menu badge (the server decides what waits). */
export async function refreshCounts() {
  if (!session.user) return
  try {
    const res = await get<ChangeRequestCounts>('/change-requests/counts')
    session.counts = res.counts
    session.waiting = res.waiting
    session.drafts = res.drafts
  } catch {
    // A badge is a hint; the page itself shows the error.
  }
  await refreshUnread()
}

/** The unread count of the message centre, for its menu badge. */
export async function refreshUnread() {
  if (!session.user) return
  try {
    session.unread = (await get<UnreadCount>('/notifications/unread-count')).unread
  } catch {
    // A badge is a hint.
  }
}
