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

export async function loadMe(): Promise<User | null> {
  try {
    const me = await get<User | { user: User }>('/me')
    session.user = 'user' in me ? me.user : me
  } catch (e) {
    if (!(e instanceof ApiError) || (e.status !== 401 && e.status !== 404)) throw e
    session.user = null
  } finally {
    session.loaded = true
  }
  return session.user
}

export async function login(username: string, password: string): Promise<User> {
  const res = await post<{ token: string; user: User }>('/auth/login', { username, password })
  session.user = res.user
  session.loaded = true
  await refreshCounts()
  return res.user
}

export async function logout() {
  try {
    await post('/auth/logout')
  } finally {
    session.user = null
    session.counts = {}
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

/** Counts of what waits for the user, for the menu badges. */
export async function refreshCounts() {
  const states = actionableStates(session.user?.role)
  const counts: Partial<Record<State, number>> = {}
  await Promise.all(
    states.map(async (state) => {
      try {
        const res = await get<{ change_requests?: unknown[]; total?: number }>('/change-requests', { state })
        counts[state] = res.total ?? res.change_requests?.length ?? 0
      } catch {
        // A badge is a hint; the page itself shows the error.
      }
    }),
  )
  session.counts = counts
}
