import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as grpc from '@grpc/grpc-js'
import { loadSync, type Options } from '@grpc/proto-loader'
import type { ProtoGrpcType as BillingProto } from './generated/billing.js'
import type { ProtoGrpcType as HealthProto } from './generated/health.js'
import type { ProtoGrpcType as MatchingProto } from './generated/matching.js'
import type { ProtoGrpcType as PricingProto } from './generated/pricing.js'
import type { ProtoGrpcType as RegistryProto } from './generated/registry.js'

/** Where the .proto contracts live (the repository's /proto, or /app/proto in images). */
export const protoRoot =
  process.env.IDLEGRID_PROTO_ROOT ?? join(dirname(fileURLToPath(import.meta.url)), '../../../proto')

/** Must match the flags in scripts/gen.mjs so runtime values have the generated types. */
export const protoLoaderOptions: Options = {
  keepCase: false,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [protoRoot],
}

const protoFiles = [
  'grpc/health/v1/health.proto',
  'idlegrid/common/v1/job.proto',
  'idlegrid/common/v1/problem.proto',
  'idlegrid/registry/v1/registry.proto',
  'idlegrid/pricing/v1/pricing.proto',
  'idlegrid/matching/v1/matching.proto',
  'idlegrid/billing/v1/billing.proto',
]

export type IdlegridProtos = RegistryProto & PricingProto & MatchingProto & BillingProto & HealthProto

let loaded: IdlegridProtos | undefined

/** Loads every contract once per process. */
export function loadProtos(): IdlegridProtos {
  loaded ??= grpc.loadPackageDefinition(loadSync(protoFiles, protoLoaderOptions)) as unknown as IdlegridProtos
  return loaded
}
