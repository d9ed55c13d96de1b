import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'

/**
 * The contract check: every JSON answer a test receives from a gateway is
 * validated against that gateway's own OpenAPI document (its status must be
 * documented for the operation, its body must match the schema). A mismatch
 * makes the very `fetch` that received it throw, so the test that saw it
 * fails and says where. Installed by startCluster; it patches `fetch` once
 * per test process and watches every gateway registered with it.
 */
interface OpenApiDoc {
  paths: Record<string, Record<string, { responses?: Record<string, unknown> }>>
}

const gateways = new Map<string, Promise<Checker>>()
let installed = false
const realFetch = globalThis.fetch

export function checkContract(baseUrl: string): void {
  if (!gateways.has(baseUrl)) gateways.set(baseUrl, loadChecker(baseUrl))
  if (installed) return
  installed = true
  globalThis.fetch = async (input, init) => {
    const res = await realFetch(input, init)
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url)
    const checker = gateways.get(url.origin)
    // Only JSON answers are checked; a stream (SSE) is left alone, never cloned.
    if (!checker || !(res.headers.get('content-type') ?? '').includes('json')) return res
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toLowerCase()
    await (await checker)(method, url.pathname, res.clone())
    return res
  }
}

type Checker = (method: string, path: string, res: Response) => Promise<void>

async function loadChecker(baseUrl: string): Promise<Checker> {
  const doc = (await (await realFetch(`${baseUrl}/openapi.json`)).json()) as OpenApiDoc
  const ajv = new Ajv2020({ strict: false, allErrors: true })
  addFormats.default(ajv)
  ajv.addSchema(doc, 'openapi')
  const routes = Object.keys(doc.paths).map((template) => ({
    template,
    pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
  }))
  const pointer = (...parts: string[]) =>
    `openapi#/${parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/')}`

  return async (method, path, res) => {
    const route = routes.find((r) => r.pattern.test(path))
    // Undocumented paths (ops routes, /docs, unknown routes) are not part of the contract.
    if (!route) return
    const operation = doc.paths[route.template]?.[method]
    if (!operation) return
    const type = res.headers.get('content-type') ?? ''
    if (!type.includes('json')) return
    const where = `${method.toUpperCase()} ${route.template} → ${res.status}`
    const responses = operation.responses ?? {}
    if (!(String(res.status) in responses))
      throw new Error(`contract: ${where} is not a documented status (${Object.keys(responses).join(', ')})`)
    const schemaRef = pointer(
      'paths',
      route.template,
      method,
      'responses',
      String(res.status),
      'content',
      'application/json',
      'schema',
    )
    const validate = ajv.getSchema(schemaRef)
    if (!validate) return // documented without a body schema
    const body: unknown = await res.json()
    if (!validate(body))
      throw new Error(
        `contract: ${where} body does not match the OpenAPI document: ${ajv.errorsText(validate.errors)}`,
      )
  }
}
