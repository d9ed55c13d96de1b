import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { normaliseGpuModels } from '@idlegrid/fleet-core'
import { callUnary } from '@idlegrid/grpc'
import type { FastifyInstance } from '@idlegrid/http'
import { jobSpecPayload } from '@idlegrid/queue'
import Type from 'typebox'
import type { AppContext } from '../../context.js'
import { authenticate } from './authenticate.js'
import { GpuModelName, problemResponses } from './schemas.js'

const Version = Type.String({ pattern: '^\\d{1,4}(\\.\\d{1,4}){0,3}$' })

const OfferQuery = Type.Object(
  {
    gpus: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 64, description: 'GPUs on one node (default 1)' }),
    ),
    model: Type.Optional(
      Type.Array(GpuModelName, {
        maxItems: 16,
        description: 'any of these models (repeat the parameter)',
      }),
    ),
    minVramMib: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_048_576 })),
    minCudaVersion: Type.Optional(Version),
    minComputeCapability: Type.Optional(Version),
    region: Type.Optional(
      Type.Array(Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,31}$' }), { maxItems: 32 }),
    ),
    country: Type.Optional(Type.Array(Type.String({ pattern: '^[A-Z]{2}$' }), { maxItems: 64 })),
    maxPricePerGpuHourMicros: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000_000 })),
    minReputation: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    interruptible: Type.Optional(
      Type.Boolean({ description: 'include nodes that only take interruptible work' }),
    ),
    maxDurationS: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 30 * 86_400,
        description:
          "how long the job may run: leaves out nodes whose provider's hours close before it could end (default: any)",
      }),
    ),
    sort: Type.Optional(Type.Union([Type.Literal('price'), Type.Literal('score')], { default: 'price' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false },
)

const Offer = Type.Object({
  nodeId: Type.String(),
  providerId: Type.String(),
  region: Type.String(),
  country: Type.String(),
  gpus: Type.Array(
    Type.Object({
      index: Type.Integer(),
      model: Type.String(),
      vramMib: Type.Integer(),
      computeCapability: Type.String(),
      cudaVersion: Type.String(),
      driverVersion: Type.String(),
    }),
    { description: 'the exact GPUs a job would get on this node now' },
  ),
  freeGpus: Type.Integer(),
  totalGpus: Type.Integer(),
  pricePerGpuHourMicros: Type.Integer(),
  availableUntil: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
    description: "lent only in its provider's hours: when they close (a job must end by then); null: no end",
  }),
  reputation: Type.Number({ description: 'reliability from the node history, 0..1' }),
  score: Type.Number({ description: 'how much matching would prefer this node, 0..100' }),
})

/** Vast.ai-style search over capacity a job could be placed on right now. */
export function offerRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>()
  r.get(
    '/v1/offers',
    {
      preHandler: authenticate(ctx),
      schema: {
        tags: ['offers'],
        summary: 'Search GPUs available now, by the same filters and scores as placement',
        security: [{ apiKey: [] }],
        querystring: OfferQuery,
        response: {
          200: Type.Object({ data: Type.Array(Offer), nodesConsidered: Type.Integer() }),
          ...problemResponses,
          503: Type.Ref('Problem'),
        },
      },
    },
    async (request) => {
      const q = request.query
      const spec = jobSpecPayload({
        kind: 'training',
        command: ['true'],
        maxDurationS: q.maxDurationS ?? 1,
        gpus: {
          count: q.gpus ?? 1,
          models: normaliseGpuModels(q.model ?? []),
          minVramMib: q.minVramMib ?? 0,
        },
        maxPricePerGpuHourMicros: String(q.maxPricePerGpuHourMicros ?? 0),
        minCudaVersion: q.minCudaVersion ?? '',
        minComputeCapability: q.minComputeCapability ?? '',
        regions: q.region ?? [],
        countries: q.country ?? [],
        minReputation: q.minReputation ?? 0,
        interruptible: q.interruptible ?? false,
      })
      const found = await callUnary(
        ctx.matching,
        'searchOffers',
        { spec, sort: q.sort ?? 'price', limit: q.limit ?? 20 },
        { peer: 'matching' },
      )
      return {
        nodesConsidered: found.nodesConsidered,
        data: found.offers.map(({ openUntilMs, ...o }) => ({
          ...o,
          pricePerGpuHourMicros: Number(o.pricePerGpuHourMicros),
          availableUntil: Number(openUntilMs) > 0 ? new Date(Number(openUntilMs)).toISOString() : null,
        })),
      }
    },
  )
}
