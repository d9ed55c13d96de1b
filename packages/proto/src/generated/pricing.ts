import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { GpuRequirement as _idlegrid_common_v1_GpuRequirement, GpuRequirement__Output as _idlegrid_common_v1_GpuRequirement__Output } from './idlegrid/common/v1/GpuRequirement.js';
import type { JobInput as _idlegrid_common_v1_JobInput, JobInput__Output as _idlegrid_common_v1_JobInput__Output } from './idlegrid/common/v1/JobInput.js';
import type { JobSpec as _idlegrid_common_v1_JobSpec, JobSpec__Output as _idlegrid_common_v1_JobSpec__Output } from './idlegrid/common/v1/JobSpec.js';
import type { Problem as _idlegrid_common_v1_Problem, Problem__Output as _idlegrid_common_v1_Problem__Output } from './idlegrid/common/v1/Problem.js';
import type { TraceContext as _idlegrid_common_v1_TraceContext, TraceContext__Output as _idlegrid_common_v1_TraceContext__Output } from './idlegrid/common/v1/TraceContext.js';
import type { Fee as _idlegrid_pricing_v1_Fee, Fee__Output as _idlegrid_pricing_v1_Fee__Output } from './idlegrid/pricing/v1/Fee.js';
import type { GetMarketRequest as _idlegrid_pricing_v1_GetMarketRequest, GetMarketRequest__Output as _idlegrid_pricing_v1_GetMarketRequest__Output } from './idlegrid/pricing/v1/GetMarketRequest.js';
import type { GetMarketResponse as _idlegrid_pricing_v1_GetMarketResponse, GetMarketResponse__Output as _idlegrid_pricing_v1_GetMarketResponse__Output } from './idlegrid/pricing/v1/GetMarketResponse.js';
import type { GetPriceBookRequest as _idlegrid_pricing_v1_GetPriceBookRequest, GetPriceBookRequest__Output as _idlegrid_pricing_v1_GetPriceBookRequest__Output } from './idlegrid/pricing/v1/GetPriceBookRequest.js';
import type { GetQuoteRequest as _idlegrid_pricing_v1_GetQuoteRequest, GetQuoteRequest__Output as _idlegrid_pricing_v1_GetQuoteRequest__Output } from './idlegrid/pricing/v1/GetQuoteRequest.js';
import type { ListFeesRequest as _idlegrid_pricing_v1_ListFeesRequest, ListFeesRequest__Output as _idlegrid_pricing_v1_ListFeesRequest__Output } from './idlegrid/pricing/v1/ListFeesRequest.js';
import type { ListFeesResponse as _idlegrid_pricing_v1_ListFeesResponse, ListFeesResponse__Output as _idlegrid_pricing_v1_ListFeesResponse__Output } from './idlegrid/pricing/v1/ListFeesResponse.js';
import type { MarketBucket as _idlegrid_pricing_v1_MarketBucket, MarketBucket__Output as _idlegrid_pricing_v1_MarketBucket__Output } from './idlegrid/pricing/v1/MarketBucket.js';
import type { PriceBook as _idlegrid_pricing_v1_PriceBook, PriceBook__Output as _idlegrid_pricing_v1_PriceBook__Output } from './idlegrid/pricing/v1/PriceBook.js';
import type { PriceExplanation as _idlegrid_pricing_v1_PriceExplanation, PriceExplanation__Output as _idlegrid_pricing_v1_PriceExplanation__Output } from './idlegrid/pricing/v1/PriceExplanation.js';
import type { PriceJob as _idlegrid_pricing_v1_PriceJob, PriceJob__Output as _idlegrid_pricing_v1_PriceJob__Output } from './idlegrid/pricing/v1/PriceJob.js';
import type { PriceJobsRequest as _idlegrid_pricing_v1_PriceJobsRequest, PriceJobsRequest__Output as _idlegrid_pricing_v1_PriceJobsRequest__Output } from './idlegrid/pricing/v1/PriceJobsRequest.js';
import type { PriceJobsResponse as _idlegrid_pricing_v1_PriceJobsResponse, PriceJobsResponse__Output as _idlegrid_pricing_v1_PriceJobsResponse__Output } from './idlegrid/pricing/v1/PriceJobsResponse.js';
import type { PriceOutcome as _idlegrid_pricing_v1_PriceOutcome, PriceOutcome__Output as _idlegrid_pricing_v1_PriceOutcome__Output } from './idlegrid/pricing/v1/PriceOutcome.js';
import type { PricingServiceClient as _idlegrid_pricing_v1_PricingServiceClient, PricingServiceDefinition as _idlegrid_pricing_v1_PricingServiceDefinition } from './idlegrid/pricing/v1/PricingService.js';
import type { QuoteRequest as _idlegrid_pricing_v1_QuoteRequest, QuoteRequest__Output as _idlegrid_pricing_v1_QuoteRequest__Output } from './idlegrid/pricing/v1/QuoteRequest.js';
import type { QuoteResponse as _idlegrid_pricing_v1_QuoteResponse, QuoteResponse__Output as _idlegrid_pricing_v1_QuoteResponse__Output } from './idlegrid/pricing/v1/QuoteResponse.js';
import type { ReferencePrice as _idlegrid_pricing_v1_ReferencePrice, ReferencePrice__Output as _idlegrid_pricing_v1_ReferencePrice__Output } from './idlegrid/pricing/v1/ReferencePrice.js';
import type { SetFeeRequest as _idlegrid_pricing_v1_SetFeeRequest, SetFeeRequest__Output as _idlegrid_pricing_v1_SetFeeRequest__Output } from './idlegrid/pricing/v1/SetFeeRequest.js';
import type { VerifyQuoteRequest as _idlegrid_pricing_v1_VerifyQuoteRequest, VerifyQuoteRequest__Output as _idlegrid_pricing_v1_VerifyQuoteRequest__Output } from './idlegrid/pricing/v1/VerifyQuoteRequest.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  idlegrid: {
    common: {
      v1: {
        GpuRequirement: MessageTypeDefinition<_idlegrid_common_v1_GpuRequirement, _idlegrid_common_v1_GpuRequirement__Output>
        JobInput: MessageTypeDefinition<_idlegrid_common_v1_JobInput, _idlegrid_common_v1_JobInput__Output>
        JobSpec: MessageTypeDefinition<_idlegrid_common_v1_JobSpec, _idlegrid_common_v1_JobSpec__Output>
        Problem: MessageTypeDefinition<_idlegrid_common_v1_Problem, _idlegrid_common_v1_Problem__Output>
        TraceContext: MessageTypeDefinition<_idlegrid_common_v1_TraceContext, _idlegrid_common_v1_TraceContext__Output>
      }
    }
    pricing: {
      v1: {
        Fee: MessageTypeDefinition<_idlegrid_pricing_v1_Fee, _idlegrid_pricing_v1_Fee__Output>
        GetMarketRequest: MessageTypeDefinition<_idlegrid_pricing_v1_GetMarketRequest, _idlegrid_pricing_v1_GetMarketRequest__Output>
        GetMarketResponse: MessageTypeDefinition<_idlegrid_pricing_v1_GetMarketResponse, _idlegrid_pricing_v1_GetMarketResponse__Output>
        GetPriceBookRequest: MessageTypeDefinition<_idlegrid_pricing_v1_GetPriceBookRequest, _idlegrid_pricing_v1_GetPriceBookRequest__Output>
        GetQuoteRequest: MessageTypeDefinition<_idlegrid_pricing_v1_GetQuoteRequest, _idlegrid_pricing_v1_GetQuoteRequest__Output>
        ListFeesRequest: MessageTypeDefinition<_idlegrid_pricing_v1_ListFeesRequest, _idlegrid_pricing_v1_ListFeesRequest__Output>
        ListFeesResponse: MessageTypeDefinition<_idlegrid_pricing_v1_ListFeesResponse, _idlegrid_pricing_v1_ListFeesResponse__Output>
        MarketBucket: MessageTypeDefinition<_idlegrid_pricing_v1_MarketBucket, _idlegrid_pricing_v1_MarketBucket__Output>
        PriceBook: MessageTypeDefinition<_idlegrid_pricing_v1_PriceBook, _idlegrid_pricing_v1_PriceBook__Output>
        PriceExplanation: MessageTypeDefinition<_idlegrid_pricing_v1_PriceExplanation, _idlegrid_pricing_v1_PriceExplanation__Output>
        PriceJob: MessageTypeDefinition<_idlegrid_pricing_v1_PriceJob, _idlegrid_pricing_v1_PriceJob__Output>
        PriceJobsRequest: MessageTypeDefinition<_idlegrid_pricing_v1_PriceJobsRequest, _idlegrid_pricing_v1_PriceJobsRequest__Output>
        PriceJobsResponse: MessageTypeDefinition<_idlegrid_pricing_v1_PriceJobsResponse, _idlegrid_pricing_v1_PriceJobsResponse__Output>
        PriceOutcome: MessageTypeDefinition<_idlegrid_pricing_v1_PriceOutcome, _idlegrid_pricing_v1_PriceOutcome__Output>
        /**
         * Prices job specs from providers' asking prices and a market multiplier per
         * GPU model and region, issues signed quotes that lock a price until they
         * expire, and keeps the platform fee schedule.
         */
        PricingService: SubtypeConstructor<typeof grpc.Client, _idlegrid_pricing_v1_PricingServiceClient> & { service: _idlegrid_pricing_v1_PricingServiceDefinition }
        QuoteRequest: MessageTypeDefinition<_idlegrid_pricing_v1_QuoteRequest, _idlegrid_pricing_v1_QuoteRequest__Output>
        QuoteResponse: MessageTypeDefinition<_idlegrid_pricing_v1_QuoteResponse, _idlegrid_pricing_v1_QuoteResponse__Output>
        ReferencePrice: MessageTypeDefinition<_idlegrid_pricing_v1_ReferencePrice, _idlegrid_pricing_v1_ReferencePrice__Output>
        SetFeeRequest: MessageTypeDefinition<_idlegrid_pricing_v1_SetFeeRequest, _idlegrid_pricing_v1_SetFeeRequest__Output>
        VerifyQuoteRequest: MessageTypeDefinition<_idlegrid_pricing_v1_VerifyQuoteRequest, _idlegrid_pricing_v1_VerifyQuoteRequest__Output>
      }
    }
  }
}

