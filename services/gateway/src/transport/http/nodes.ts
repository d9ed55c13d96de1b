import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { NotFoundError, ValidationError } from '@idlegrid/errors'
import { checkedHours } from '@idlegrid/fleet-core'
import { callUnary } from '@idlegrid/grpc'
import type { FastifyInstance, FastifyRequest } from '@idlegrid/http'
import Type from 'typebox'
import type { AppContext } from '../../context.js'
import { authenticate, callerOf, requireRole } from './authenticate.js'
import { nodeView } from './node-view.js'
import { Node, NodeHours, NodeId, OperatorReason, problemResponses } from './schemas.js'

const strict = { additionalProperties: false } as const
const peer = { peer: 'registry' }
const refusals = {
  ...problemResponses,
  403: Type.Ref('Problem'),
  409: Type.Ref('Problem'),
  503: Type.Ref('Problem'),
}

/**
 * Providers manage their own nodes: the provider id sent to the registry is
 * always the caller's account id, so another provider's node is simply not
 * found. Operators quarantine and release any node.
 */
export function nodeRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>()
  const providers = [authenticate(ctx), requireRole('provider', 'only provider accounts manage nodes')]
  const operators = [authenticate(ctx), requireRole('operator', 'only operator accounts quarantine nodes')]
  const ref = (request: FastifyRequest<{ Params: { id: string } }>) => ({
    providerId: callerOf(request).accountId,
    nodeId: request.params.id,
  })
  const myNodes = async (providerId: string) =>
    (await callUnary(ctx.registry, 'listProviderNodes', { providerId }, peer)).nodes
  const myNode = async (providerId: string, nodeId: string) => {
    const node = (await myNodes(providerId)).find((n) => n.nodeId === nodeId)
    if (!node) throw new NotFoundError('node', nodeId)
    return nodeView(node)
  }
  const security = [{ apiKey: [] }]

  r.post(
    '/v1/nodes',
    {
      preHandler: providers,
      schema: {
        tags: ['nodes'],
        summary: "Enrol a machine; its agent's credential is shown once, in this response",
        security,
        body: Type.Object(
          {
            name: Type.String({
              minLength: 1,
              maxLength: 100,
              pattern: '\\S',
              description: 'e.g. rig-amsterdam-1',
            }),
          },
          strict,
        ),
        response: {
          201: Type.Object({
            nodeId: Type.String(),
            token: Type.String({
              description: 'start the agent with IDLEGRID_NODE_TOKEN=<token>; only its hash is kept',
            }),
            registryAddress: Type.Union([Type.String(), Type.Null()], {
              description:
                "host:port the agent dials (idlegrid-agent --registry); null when this deployment doesn't say",
            }),
            node: Node,
          }),
          ...refusals,
        },
      },
    },
    async (request, reply) => {
      const providerId = callerOf(request).accountId
      const { nodeId, token } = await callUnary(
        ctx.registry,
        'enrollNode',
        { providerId, name: request.body.name },
        peer,
      )
      return reply
        .status(201)
        .header('location', `/v1/nodes/${nodeId}`)
        .header('cache-control', 'no-store')
        .send({
          nodeId,
          token,
          registryAddress: ctx.config.AGENT_REGISTRY_ADDRESS || null,
          node: await myNode(providerId, nodeId),
        })
    },
  )

  r.get(
    '/v1/nodes',
    {
      preHandler: providers,
      schema: {
        tags: ['nodes'],
        summary: 'My nodes and their state',
        security,
        response: { 200: Type.Object({ data: Type.Array(Node) }), ...refusals },
      },
    },
    async (request) => ({ data: (await myNodes(callerOf(request).accountId)).map(nodeView) }),
  )

  r.get(
    '/v1/nodes/:id',
    {
      preHandler: providers,
      schema: {
        tags: ['nodes'],
        summary: 'One of my nodes',
        security,
        params: NodeId,
        response: { 200: Node, ...refusals },
      },
    },
    async (request) => myNode(callerOf(request).accountId, request.params.id),
  )

  r.patch(
    '/v1/nodes/:id',
    {
      preHandler: providers,
      schema: {
        tags: ['nodes'],
        summary: 'Set the asking price for new work; work already placed keeps its agreed price',
        security,
        params: NodeId,
        body: Type.Object(
          { pricePerGpuHourMicros: Type.Integer({ minimum: 1, maximum: 1_000_000_000 }) },
          strict,
        ),
        response: { 200: Node, ...refusals },
      },
    },
    async (request) =>
      nodeView(
        await callUnary(
          ctx.registry,
          'setNodePrice',
          { node: ref(request), pricePerGpuHourMicros: String(request.body.pricePerGpuHourMicros) },
          peer,
        ),
      ),
  )

  r.put(
    '/v1/nodes/:id/hours',
    {
      preHandler: providers,
      schema: {
        tags: ['nodes'],
        summary:
          'Lend the node only in weekly hours (e.g. Mon–Fri 22:00–08:00 in your time zone): outside them it takes no new work, in them only work that ends before they close',
        security,
        params: NodeId,
        body: NodeHours,
        response: { 200: Node, ...refusals },
      },
    },
    async (request) => {
      // Checked here too, so the field named is the request's own (the registry checks them again).
      const checked = checkedHours(request.body)
      if ('problem' in checked)
        throw new ValidationError(`body.${checked.problem.field}`, checked.problem.detail)
      return nodeView(
        await callUnary(ctx.registry, 'setNodeHours', { node: ref(request), hours: checked.hours }, peer),
      )
    },
  )

  r.delete(
    '/v1/nodes/:id/hours',
    {
      preHandler: providers,
      schema: {
        tags: ['nodes'],
        summary: 'Lend the node at all hours again',
        security,
        params: NodeId,
        response: { 200: Node, ...refusals },
      },
    },
    async (request) =>
      nodeView(await callUnary(ctx.registry, 'setNodeHours', { node: ref(request), hours: null }, peer)),
  )

  for (const [action, draining, summary] of [
    ['drain', true, 'Finish current work and take no new work'],
    ['undrain', false, 'Take new work again'],
  ] as const) {
    r.post(
      `/v1/nodes/:id/${action}`,
      {
        preHandler: providers,
        schema: { tags: ['nodes'], summary, security, params: NodeId, response: { 200: Node, ...refusals } },
      },
      async (request) =>
        nodeView(await callUnary(ctx.registry, 'setNodeDraining', { node: ref(request), draining }, peer)),
    )
  }

  r.post(
    '/v1/nodes/:id/revoke',
    {
      preHandler: providers,
      schema: {
        tags: ['nodes'],
        summary: "Revoke the node's credential: its agent is disconnected now and refused from now on",
        security,
        params: NodeId,
        response: { 200: Node, ...refusals },
      },
    },
    async (request) => nodeView(await callUnary(ctx.registry, 'revokeNodeCredential', ref(request), peer)),
  )

  r.post(
    '/v1/operator/nodes/:id/quarantine',
    {
      preHandler: operators,
      schema: {
        tags: ['operator'],
        summary: 'Quarantine a node: it takes no new work until released',
        security,
        params: NodeId,
        body: Type.Object({ reason: OperatorReason('why, shown with the node') }, strict),
        response: { 200: Node, ...refusals },
      },
    },
    async (request) =>
      nodeView(
        await callUnary(
          ctx.registry,
          'setNodeQuarantine',
          { nodeId: request.params.id, quarantined: true, reason: request.body.reason },
          peer,
        ),
      ),
  )

  r.post(
    '/v1/operator/nodes/:id/release',
    {
      preHandler: operators,
      schema: {
        tags: ['operator'],
        summary: 'Release a quarantined node',
        security,
        params: NodeId,
        response: { 200: Node, ...refusals },
      },
    },
    async (request) =>
      nodeView(
        await callUnary(
          ctx.registry,
          'setNodeQuarantine',
          { nodeId: request.params.id, quarantined: false, reason: '' },
          peer,
        ),
      ),
  )
}
