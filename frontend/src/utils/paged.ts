// A collection paged by the server: ?limit=&offset= with the filters the
// page gives, answering the rows under `key` and the total.
import { ref, type Ref } from 'vue'
import { errorMessage, get, type Query } from '../api/client'

export function usePaged<T>(path: string, key: string, filters: () => Query, size = 50) {
  const rows = ref([]) as Ref<T[]>
  const total = ref(0)
  const page = ref(1)
  const pageSize = ref(size)
  const loading = ref(false)
  const error = ref('')

  async function load(toPage = page.value) {
    page.value = toPage
    loading.value = true
    error.value = ''
    try {
      const res = await get<Record<string, unknown> & { total: number }>(path, { ...filters(), limit: pageSize.value, offset: (toPage - 1) * pageSize.value })
      rows.value = res[key] as T[]
      total.value = res.total
    } catch (e) {
      error.value = errorMessage(e)
    } finally {
      loading.value = false
    }
  }
  return { rows, total, page, pageSize, loading, error, load }
}
