// Who is logged in, shared by every page. The server keeps the session (an
// HttpOnly cookie); the UI only remembers the user it answered.
import { reactive } from 'vue'
import { get, post, ApiError } from './api/client'
import type { Role, State, User } from './api/types'

export const session = reactive({
  user: null as User | null,
  loaded: false,
  counts: {} as Partial<Record<State, number>>,
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
  const res = await post<{ token: string; user: User }>('/auth/login', { username, password })
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
    session.user = null
    session.counts = {}
    remember(false)
  }
}

/** The states whose requests wait for a user of the role to act. */
export function actionableStates(role: Role | undefined): State[] {
  switch (role) {
    case 'submitter':
      return ['draft', 'returned']
    case 'legal_reviewer':
      return ['legal_review']
    case 'approver':
      return ['approval', 'approved']
  }
  return []
}

/** The page a user starts on after logging in: what waits for their role. */
export function homeOf(u: User | null): string {
  switch (u?.role) {
    case 'legal_reviewer':
      return '/queue/legal_review'
    case 'approver':
      return '/queue/approval'
    case 'region_admin':
      return '/admin/users'
  }
  return '/requests'
}

/** Whether the user administers agencies and people (everywhere, or in their region). */
export function isAdministrator(u: User | null): boolean {
  return u?.role === 'admin' || u?.role === 'region_admin'
}

/** Forgets the user whose session the server no longer knows. */
export function sessionEnded() {
  session.user = null
  session.counts = {}
  remember(false)
}

/** Counts of what waits for the user, for the menu badges. */
export async function refreshCounts() {
  const states = actionableStates(session.user?.role)
  const counts: Partial<Record<State, number>> = {}
  await Promise.all(
    states.map(async (state) => {
      try {
        const res = await get<{ change_requests: unknown[] }>('/change-requests', { state })
        counts[state] = res.change_requests.length
      } catch {
        // A badge is a hint; the page itself shows the error.
      }
    }),
  )
  session.counts = counts
}
