import { ValidationError } from '@idlegrid/errors'
import { logRpcFailure, unary } from '@idlegrid/grpc'
import { newId } from '@idlegrid/ids'
import type { EnrollNodeRequest__Output, EnrollNodeResponse } from '@idlegrid/proto/registry'
import type { AppContext } from '../../context.js'
import { mintNodeCredential } from '../../credentials.js'
import { insertEnrolledNode } from '../../db/node-admin.js'
import { checkProviderId } from './node-change.js'

/**
 * Creates a node and its credential. The token goes back once, in this
 * response; only its hash is stored, so a lost token means revoke and enrol anew.
 */
export const enrollNode = (ctx: AppContext) =>
  unary<EnrollNodeRequest__Output, EnrollNodeResponse>(
    'registry.EnrollNode',
    async (req) => {
      const providerId = checkProviderId('providerId', req.providerId)
      const name = req.name.trim()
      if (name.length < 1 || name.length > 100) throw new ValidationError('name', 'must be 1-100 characters')
      const nodeId = newId('node')
      const credential = mintNodeCredential(nodeId)
      await insertEnrolledNode(ctx.db, { id: nodeId, providerId, name, credentialHash: credential.hash })
      ctx.logger.info({ nodeId, providerId }, 'node enrolled')
      return { nodeId, token: credential.token }
    },
    logRpcFailure(ctx.logger),
  )
