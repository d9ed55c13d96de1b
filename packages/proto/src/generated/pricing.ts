import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { GpuRequirement as _idlegrid_common_v1_GpuRequirement, GpuRequirement__Output as _idlegrid_common_v1_GpuRequirement__Output } from './idlegrid/common/v1/GpuRequirement.js';
import type { JobSpec as _idlegrid_common_v1_JobSpec, JobSpec__Output as _idlegrid_common_v1_JobSpec__Output } from './idlegrid/common/v1/JobSpec.js';
import type { PricingServiceClient as _idlegrid_pricing_v1_PricingServiceClient, PricingServiceDefinition as _idlegrid_pricing_v1_PricingServiceDefinition } from './idlegrid/pricing/v1/PricingService.js';
import type { QuoteRequest as _idlegrid_pricing_v1_QuoteRequest, QuoteRequest__Output as _idlegrid_pricing_v1_QuoteRequest__Output } from './idlegrid/pricing/v1/QuoteRequest.js';
import type { QuoteResponse as _idlegrid_pricing_v1_QuoteResponse, QuoteResponse__Output as _idlegrid_pricing_v1_QuoteResponse__Output } from './idlegrid/pricing/v1/QuoteResponse.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  idlegrid: {
    common: {
      v1: {
        GpuRequirement: MessageTypeDefinition<_idlegrid_common_v1_GpuRequirement, _idlegrid_common_v1_GpuRequirement__Output>
        JobSpec: MessageTypeDefinition<_idlegrid_common_v1_JobSpec, _idlegrid_common_v1_JobSpec__Output>
      }
    }
    pricing: {
      v1: {
        /**
         * Prices job specs and keeps the platform fee schedule.
         */
        PricingService: SubtypeConstructor<typeof grpc.Client, _idlegrid_pricing_v1_PricingServiceClient> & { service: _idlegrid_pricing_v1_PricingServiceDefinition }
        QuoteRequest: MessageTypeDefinition<_idlegrid_pricing_v1_QuoteRequest, _idlegrid_pricing_v1_QuoteRequest__Output>
        QuoteResponse: MessageTypeDefinition<_idlegrid_pricing_v1_QuoteResponse, _idlegrid_pricing_v1_QuoteResponse__Output>
      }
    }
  }
}

