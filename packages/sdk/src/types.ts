import type { components, paths } from './generated/openapi.js'

/**
 * Names for the shapes of the API, all derived from the generated OpenAPI
 * types: when a route's schema changes, `pnpm sdk:gen` changes these too.
 */
type Schemas = components['schemas']
type Get<P extends keyof paths> = paths[P] extends { get: infer O } ? O : never
type Post<P extends keyof paths> = paths[P] extends { post: infer O } ? O : never
type Patch<P extends keyof paths> = paths[P] extends { patch: infer O } ? O : never
type Put<P extends keyof paths> = paths[P] extends { put: infer O } ? O : never
type Ok<O> = O extends { responses: infer R } ? R[Extract<keyof R, 200 | 201>] : never
type Query<O> = O extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never
type Body<O> = O extends { requestBody?: infer B } ? NonNullable<B> : never

export type Problem = Schemas['Problem']
export type UnprocessableProblem = Schemas['UnprocessableProblem']
export type JobSpec = Schemas['JobSpec']
export type Job = Schemas['Job']
export type JobStatus = Job['status']
export type Node = Schemas['Node']
/** The weekly hours a provider lends a node (PUT /v1/nodes/{id}/hours). */
export type NodeHours = NonNullable<Node['hours']>
export type NodeState = Node['state']

export type SignupRequest = Body<Post<'/v1/accounts'>>
export type Account = Ok<Post<'/v1/accounts'>>
/** The account an API key belongs to, and that key (GET /v1/account). */
export type Whoami = Ok<Get<'/v1/account'>>

export type OfferQuery = Query<Get<'/v1/offers'>>
export type OfferSearch = Ok<Get<'/v1/offers'>>
export type Offer = OfferSearch['data'][number]

export type JobListQuery = Query<Get<'/v1/jobs'>>
export type JobPage = Ok<Get<'/v1/jobs'>>
export type Explanation = Ok<Get<'/v1/jobs/{id}/explanation'>>
export type Invoice = Ok<Get<'/v1/jobs/{id}/invoice'>>

export type Balance = Ok<Get<'/v1/balance'>>
export type BalanceQuery = Query<Get<'/v1/balance'>>
export type DepositRequest = Body<Post<'/v1/deposits'>>
export type StatementQuery = Query<Get<'/v1/statements'>>
export type Statement = Ok<Get<'/v1/statements'>>
export type UsageQuery = Query<Get<'/v1/usage'>>
export type UsageReport = Ok<Get<'/v1/usage'>>
/** A monthly spending limit in one currency, with what this month spent and holds. */
export type SpendLimit = Ok<Get<'/v1/spend-limits'>>['data'][number]
export type SpendLimitRequest = Body<Put<'/v1/spend-limits/{currency}'>>
export type PayoutRequest = Body<Post<'/v1/payouts'>>
export type Payout = Ok<Post<'/v1/payouts'>>

export type ApiKeyRequest = Body<Post<'/v1/keys'>>
/** A new key: `apiKey` is its secret, in this answer only. */
export type CreatedApiKey = Ok<Post<'/v1/keys'>>
export type ApiKey = Ok<Get<'/v1/keys'>>['data'][number]

export type WebhookRequest = Body<Post<'/v1/webhooks'>>
/** A new endpoint: `secret` signs its deliveries, in this answer only. */
export type CreatedWebhook = Ok<Post<'/v1/webhooks'>>
export type Webhook = Ok<Get<'/v1/webhooks'>>['data'][number]
export type WebhookUpdate = Body<Patch<'/v1/webhooks/{id}'>>
export type WebhookEventType = Webhook['events'][number]
export type WebhookDeliveryQuery = Query<Get<'/v1/webhooks/{id}/deliveries'>>
export type WebhookDeliveryPage = Ok<Get<'/v1/webhooks/{id}/deliveries'>>
/** One event for one endpoint: its tries and the endpoint's last answer. */
export type WebhookDelivery = WebhookDeliveryPage['data'][number]
/** A rolled secret: `secret` (shown once) signs from now on, the old one too until `previousSecretExpiresAt`. */
export type RolledWebhookSecret = Ok<Post<'/v1/webhooks/{id}/roll-secret'>>
/** What the endpoint answered a test event. */
export type WebhookTest = Ok<Post<'/v1/webhooks/{id}/test'>>

export type EnrolledNode = Ok<Post<'/v1/nodes'>>
export type NodeList = Ok<Get<'/v1/nodes'>>
export type NodePriceRequest = Body<Patch<'/v1/nodes/{id}'>>

export type Quote = Ok<Post<'/v1/quotes'>>
export type QuoteExplanation = Quote['explanation']
export type EarningsQuery = Query<Get<'/v1/provider/earnings'>>
export type ProviderEarnings = Ok<Get<'/v1/provider/earnings'>>

/** Job states after which a job never changes status again (it may still settle). */
export const FINAL_STATUSES: readonly JobStatus[] = ['succeeded', 'failed', 'cancelled']
