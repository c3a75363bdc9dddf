// Sending a dialog's form: busy while it goes, the server's field errors
// beside their fields, any other error as a message.
import { ref } from 'vue'
import { ElMessage } from 'element-plus'
import { errorMessage, fieldErrors } from '../api/client'

export function useFormSubmit(send: () => Promise<void>) {
  const saving = ref(false)
  const errors = ref<Record<string, string>>({})
  async function submit() {
    saving.value = true
    errors.value = {}
    try {
      await send()
    } catch (e) {
      errors.value = fieldErrors(e)
      if (!Object.keys(errors.value).length) ElMessage.error(errorMessage(e))
    } finally {
      saving.value = false
    }
  }
  return { saving, errors, submit }
}
