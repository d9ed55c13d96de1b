import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { GpuRequirement as _idlegrid_common_v1_GpuRequirement, GpuRequirement__Output as _idlegrid_common_v1_GpuRequirement__Output } from './idlegrid/common/v1/GpuRequirement.js';
import type { JobInput as _idlegrid_common_v1_JobInput, JobInput__Output as _idlegrid_common_v1_JobInput__Output } from './idlegrid/common/v1/JobInput.js';
import type { JobSpec as _idlegrid_common_v1_JobSpec, JobSpec__Output as _idlegrid_common_v1_JobSpec__Output } from './idlegrid/common/v1/JobSpec.js';
import type { Problem as _idlegrid_common_v1_Problem, Problem__Output as _idlegrid_common_v1_Problem__Output } from './idlegrid/common/v1/Problem.js';
import type { TraceContext as _idlegrid_common_v1_TraceContext, TraceContext__Output as _idlegrid_common_v1_TraceContext__Output } from './idlegrid/common/v1/TraceContext.js';
import type { Candidate as _idlegrid_matching_v1_Candidate, Candidate__Output as _idlegrid_matching_v1_Candidate__Output } from './idlegrid/matching/v1/Candidate.js';
import type { CheckJobOutcome as _idlegrid_matching_v1_CheckJobOutcome, CheckJobOutcome__Output as _idlegrid_matching_v1_CheckJobOutcome__Output } from './idlegrid/matching/v1/CheckJobOutcome.js';
import type { CheckJobRequest as _idlegrid_matching_v1_CheckJobRequest, CheckJobRequest__Output as _idlegrid_matching_v1_CheckJobRequest__Output } from './idlegrid/matching/v1/CheckJobRequest.js';
import type { CheckJobResponse as _idlegrid_matching_v1_CheckJobResponse, CheckJobResponse__Output as _idlegrid_matching_v1_CheckJobResponse__Output } from './idlegrid/matching/v1/CheckJobResponse.js';
import type { CheckJobsRequest as _idlegrid_matching_v1_CheckJobsRequest, CheckJobsRequest__Output as _idlegrid_matching_v1_CheckJobsRequest__Output } from './idlegrid/matching/v1/CheckJobsRequest.js';
import type { CheckJobsResponse as _idlegrid_matching_v1_CheckJobsResponse, CheckJobsResponse__Output as _idlegrid_matching_v1_CheckJobsResponse__Output } from './idlegrid/matching/v1/CheckJobsResponse.js';
import type { DemandLevel as _idlegrid_matching_v1_DemandLevel, DemandLevel__Output as _idlegrid_matching_v1_DemandLevel__Output } from './idlegrid/matching/v1/DemandLevel.js';
import type { ExplainJobRequest as _idlegrid_matching_v1_ExplainJobRequest, ExplainJobRequest__Output as _idlegrid_matching_v1_ExplainJobRequest__Output } from './idlegrid/matching/v1/ExplainJobRequest.js';
import type { ExplainJobResponse as _idlegrid_matching_v1_ExplainJobResponse, ExplainJobResponse__Output as _idlegrid_matching_v1_ExplainJobResponse__Output } from './idlegrid/matching/v1/ExplainJobResponse.js';
import type { ForgetJobRequest as _idlegrid_matching_v1_ForgetJobRequest, ForgetJobRequest__Output as _idlegrid_matching_v1_ForgetJobRequest__Output } from './idlegrid/matching/v1/ForgetJobRequest.js';
import type { ForgetJobResponse as _idlegrid_matching_v1_ForgetJobResponse, ForgetJobResponse__Output as _idlegrid_matching_v1_ForgetJobResponse__Output } from './idlegrid/matching/v1/ForgetJobResponse.js';
import type { MarketDepthRequest as _idlegrid_matching_v1_MarketDepthRequest, MarketDepthRequest__Output as _idlegrid_matching_v1_MarketDepthRequest__Output } from './idlegrid/matching/v1/MarketDepthRequest.js';
import type { MarketDepthResponse as _idlegrid_matching_v1_MarketDepthResponse, MarketDepthResponse__Output as _idlegrid_matching_v1_MarketDepthResponse__Output } from './idlegrid/matching/v1/MarketDepthResponse.js';
import type { MatchingServiceClient as _idlegrid_matching_v1_MatchingServiceClient, MatchingServiceDefinition as _idlegrid_matching_v1_MatchingServiceDefinition } from './idlegrid/matching/v1/MatchingService.js';
import type { Offer as _idlegrid_matching_v1_Offer, Offer__Output as _idlegrid_matching_v1_Offer__Output } from './idlegrid/matching/v1/Offer.js';
import type { OfferedGpu as _idlegrid_matching_v1_OfferedGpu, OfferedGpu__Output as _idlegrid_matching_v1_OfferedGpu__Output } from './idlegrid/matching/v1/OfferedGpu.js';
import type { RejectionCount as _idlegrid_matching_v1_RejectionCount, RejectionCount__Output as _idlegrid_matching_v1_RejectionCount__Output } from './idlegrid/matching/v1/RejectionCount.js';
import type { SearchOffersRequest as _idlegrid_matching_v1_SearchOffersRequest, SearchOffersRequest__Output as _idlegrid_matching_v1_SearchOffersRequest__Output } from './idlegrid/matching/v1/SearchOffersRequest.js';
import type { SearchOffersResponse as _idlegrid_matching_v1_SearchOffersResponse, SearchOffersResponse__Output as _idlegrid_matching_v1_SearchOffersResponse__Output } from './idlegrid/matching/v1/SearchOffersResponse.js';
import type { SupplyLevel as _idlegrid_matching_v1_SupplyLevel, SupplyLevel__Output as _idlegrid_matching_v1_SupplyLevel__Output } from './idlegrid/matching/v1/SupplyLevel.js';

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
    matching: {
      v1: {
        Candidate: MessageTypeDefinition<_idlegrid_matching_v1_Candidate, _idlegrid_matching_v1_Candidate__Output>
        CheckJobOutcome: MessageTypeDefinition<_idlegrid_matching_v1_CheckJobOutcome, _idlegrid_matching_v1_CheckJobOutcome__Output>
        CheckJobRequest: MessageTypeDefinition<_idlegrid_matching_v1_CheckJobRequest, _idlegrid_matching_v1_CheckJobRequest__Output>
        CheckJobResponse: MessageTypeDefinition<_idlegrid_matching_v1_CheckJobResponse, _idlegrid_matching_v1_CheckJobResponse__Output>
        CheckJobsRequest: MessageTypeDefinition<_idlegrid_matching_v1_CheckJobsRequest, _idlegrid_matching_v1_CheckJobsRequest__Output>
        CheckJobsResponse: MessageTypeDefinition<_idlegrid_matching_v1_CheckJobsResponse, _idlegrid_matching_v1_CheckJobsResponse__Output>
        DemandLevel: MessageTypeDefinition<_idlegrid_matching_v1_DemandLevel, _idlegrid_matching_v1_DemandLevel__Output>
        ExplainJobRequest: MessageTypeDefinition<_idlegrid_matching_v1_ExplainJobRequest, _idlegrid_matching_v1_ExplainJobRequest__Output>
        ExplainJobResponse: MessageTypeDefinition<_idlegrid_matching_v1_ExplainJobResponse, _idlegrid_matching_v1_ExplainJobResponse__Output>
        ForgetJobRequest: MessageTypeDefinition<_idlegrid_matching_v1_ForgetJobRequest, _idlegrid_matching_v1_ForgetJobRequest__Output>
        ForgetJobResponse: MessageTypeDefinition<_idlegrid_matching_v1_ForgetJobResponse, _idlegrid_matching_v1_ForgetJobResponse__Output>
        MarketDepthRequest: MessageTypeDefinition<_idlegrid_matching_v1_MarketDepthRequest, _idlegrid_matching_v1_MarketDepthRequest__Output>
        MarketDepthResponse: MessageTypeDefinition<_idlegrid_matching_v1_MarketDepthResponse, _idlegrid_matching_v1_MarketDepthResponse__Output>
        /**
         * Jobs reach matching through the `match-job` queue; this service explains
         * what it decided.
         */
        MatchingService: SubtypeConstructor<typeof grpc.Client, _idlegrid_matching_v1_MatchingServiceClient> & { service: _idlegrid_matching_v1_MatchingServiceDefinition }
        Offer: MessageTypeDefinition<_idlegrid_matching_v1_Offer, _idlegrid_matching_v1_Offer__Output>
        OfferedGpu: MessageTypeDefinition<_idlegrid_matching_v1_OfferedGpu, _idlegrid_matching_v1_OfferedGpu__Output>
        RejectionCount: MessageTypeDefinition<_idlegrid_matching_v1_RejectionCount, _idlegrid_matching_v1_RejectionCount__Output>
        SearchOffersRequest: MessageTypeDefinition<_idlegrid_matching_v1_SearchOffersRequest, _idlegrid_matching_v1_SearchOffersRequest__Output>
        SearchOffersResponse: MessageTypeDefinition<_idlegrid_matching_v1_SearchOffersResponse, _idlegrid_matching_v1_SearchOffersResponse__Output>
        SupplyLevel: MessageTypeDefinition<_idlegrid_matching_v1_SupplyLevel, _idlegrid_matching_v1_SupplyLevel__Output>
      }
    }
  }
}

