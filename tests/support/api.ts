/**
 * The public REST API as the e2e tests call it: JSON in and out, a bearer key
 * when given. Every answer is checked against the OpenAPI document by the
 * cluster's contract check (contract.ts), so these stay loose.
 */

/** An account as POST /v1/accounts answers it: its id and its API key, shown once. */
export interface Account {
  id: string
  apiKey: string
}

// biome-ignore lint/suspicious/noExplicitAny: JSON answers, each checked against the OpenAPI document (tests/support/contract.ts)
export type Body = Record<string, any>

/** One call: status, headers and parsed body; `headers` adds to the request's (an Idempotency-Key, say). */
export async function callApi(
  baseUrl: string,
  method: string,
  path: string,
  key: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; body: Body }> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  })
  return { status: res.status, headers: res.headers, body: (await res.json()) as Body }
}

/** Signs up a customer or a provider (public sign-up, no key). */
export async function signUp(baseUrl: string, name: string, role: 'customer' | 'provider'): Promise<Account> {
  const res = await fetch(`${baseUrl}/v1/accounts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, role }),
  })
  return (await res.json()) as Account
}
