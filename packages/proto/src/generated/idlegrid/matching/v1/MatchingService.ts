// Original file: proto/idlegrid/matching/v1/matching.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CheckJobRequest as _idlegrid_matching_v1_CheckJobRequest, CheckJobRequest__Output as _idlegrid_matching_v1_CheckJobRequest__Output } from '../../../idlegrid/matching/v1/CheckJobRequest.js';
import type { CheckJobResponse as _idlegrid_matching_v1_CheckJobResponse, CheckJobResponse__Output as _idlegrid_matching_v1_CheckJobResponse__Output } from '../../../idlegrid/matching/v1/CheckJobResponse.js';
import type { CheckJobsRequest as _idlegrid_matching_v1_CheckJobsRequest, CheckJobsRequest__Output as _idlegrid_matching_v1_CheckJobsRequest__Output } from '../../../idlegrid/matching/v1/CheckJobsRequest.js';
import type { CheckJobsResponse as _idlegrid_matching_v1_CheckJobsResponse, CheckJobsResponse__Output as _idlegrid_matching_v1_CheckJobsResponse__Output } from '../../../idlegrid/matching/v1/CheckJobsResponse.js';
import type { ExplainJobRequest as _idlegrid_matching_v1_ExplainJobRequest, ExplainJobRequest__Output as _idlegrid_matching_v1_ExplainJobRequest__Output } from '../../../idlegrid/matching/v1/ExplainJobRequest.js';
import type { ExplainJobResponse as _idlegrid_matching_v1_ExplainJobResponse, ExplainJobResponse__Output as _idlegrid_matching_v1_ExplainJobResponse__Output } from '../../../idlegrid/matching/v1/ExplainJobResponse.js';
import type { ForgetJobRequest as _idlegrid_matching_v1_ForgetJobRequest, ForgetJobRequest__Output as _idlegrid_matching_v1_ForgetJobRequest__Output } from '../../../idlegrid/matching/v1/ForgetJobRequest.js';
import type { ForgetJobResponse as _idlegrid_matching_v1_ForgetJobResponse, ForgetJobResponse__Output as _idlegrid_matching_v1_ForgetJobResponse__Output } from '../../../idlegrid/matching/v1/ForgetJobResponse.js';
import type { MarketDepthRequest as _idlegrid_matching_v1_MarketDepthRequest, MarketDepthRequest__Output as _idlegrid_matching_v1_MarketDepthRequest__Output } from '../../../idlegrid/matching/v1/MarketDepthRequest.js';
import type { MarketDepthResponse as _idlegrid_matching_v1_MarketDepthResponse, MarketDepthResponse__Output as _idlegrid_matching_v1_MarketDepthResponse__Output } from '../../../idlegrid/matching/v1/MarketDepthResponse.js';
import type { SearchOffersRequest as _idlegrid_matching_v1_SearchOffersRequest, SearchOffersRequest__Output as _idlegrid_matching_v1_SearchOffersRequest__Output } from '../../../idlegrid/matching/v1/SearchOffersRequest.js';
import type { SearchOffersResponse as _idlegrid_matching_v1_SearchOffersResponse, SearchOffersResponse__Output as _idlegrid_matching_v1_SearchOffersResponse__Output } from '../../../idlegrid/matching/v1/SearchOffersResponse.js';

/**
 * Jobs reach matching through the `match-job` queue; this service explains
 * what it decided.
 */
export interface MatchingServiceClient extends grpc.Client {
  /**
   * Could any enrolled node (online or not, busy or idle) ever run this job?
   * The gateway refuses a job at submission when none could.
   */
  CheckJob(argument: _idlegrid_matching_v1_CheckJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_matching_v1_CheckJobResponse__Output>): grpc.ClientUnaryCall;
  CheckJob(argument: _idlegrid_matching_v1_CheckJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_matching_v1_CheckJobResponse__Output>): grpc.ClientUnaryCall;
  CheckJob(argument: _idlegrid_matching_v1_CheckJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_matching_v1_CheckJobResponse__Output>): grpc.ClientUnaryCall;
  CheckJob(argument: _idlegrid_matching_v1_CheckJobRequest, callback: grpc.requestCallback<_idlegrid_matching_v1_CheckJobResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Could any enrolled node (online or not, busy or idle) ever run this job?
   * The gateway refuses a job at submission when none could.
   */
  checkJob(argument: _idlegrid_matching_v1_CheckJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_matching_v1_CheckJobResponse__Output>): grpc.ClientUnaryCall;
  checkJob(argument: _idlegrid_matching_v1_CheckJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_matching_v1_CheckJobResponse__Output>): grpc.ClientUnaryCall;
  checkJob(argument: _idlegrid_matching_v1_CheckJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_matching_v1_CheckJobResponse__Output>): grpc.ClientUnaryCall;
  checkJob(argument: _idlegrid_matching_v1_CheckJobRequest, callback: grpc.requestCallback<_idlegrid_matching_v1_CheckJobResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * CheckJob for many specs in one call (the gateway batches submissions):
   * one outcome per check, in order; a bad spec is refused alone.
   */
  CheckJobs(argument: _idlegrid_matching_v1_CheckJobsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_matching_v1_CheckJobsResponse__Output>): grpc.ClientUnaryCall;
  CheckJobs(argument: _idlegrid_matching_v1_CheckJobsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_matching_v1_CheckJobsResponse__Output>): grpc.ClientUnaryCall;
  CheckJobs(argument: _idlegrid_matching_v1_CheckJobsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_matching_v1_CheckJobsResponse__Output>): grpc.ClientUnaryCall;
  CheckJobs(argument: _idlegrid_matching_v1_CheckJobsRequest, callback: grpc.requestCallback<_idlegrid_matching_v1_CheckJobsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * CheckJob for many specs in one call (the gateway batches submissions):
   * one outcome per check, in order; a bad spec is refused alone.
   */
  checkJobs(argument: _idlegrid_matching_v1_CheckJobsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_matching_v1_CheckJobsResponse__Output>): grpc.ClientUnaryCall;
  checkJobs(argument: _idlegrid_matching_v1_CheckJobsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_matching_v1_CheckJobsResponse__Output>): grpc.ClientUnaryCall;
  checkJobs(argument: _idlegrid_matching_v1_CheckJobsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_matching_v1_CheckJobsResponse__Output>): grpc.ClientUnaryCall;
  checkJobs(argument: _idlegrid_matching_v1_CheckJobsRequest, callback: grpc.requestCallback<_idlegrid_matching_v1_CheckJobsResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Why a job was placed where it was, or why it is still waiting.
   */
  ExplainJob(argument: _idlegrid_matching_v1_ExplainJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_matching_v1_ExplainJobResponse__Output>): grpc.ClientUnaryCall;
  ExplainJob(argument: _idlegrid_matching_v1_ExplainJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_matching_v1_ExplainJobResponse__Output>): grpc.ClientUnaryCall;
  ExplainJob(argument: _idlegrid_matching_v1_ExplainJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_matching_v1_ExplainJobResponse__Output>): grpc.ClientUnaryCall;
  ExplainJob(argument: _idlegrid_matching_v1_ExplainJobRequest, callback: grpc.requestCallback<_idlegrid_matching_v1_ExplainJobResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Why a job was placed where it was, or why it is still waiting.
   */
  explainJob(argument: _idlegrid_matching_v1_ExplainJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_matching_v1_ExplainJobResponse__Output>): grpc.ClientUnaryCall;
  explainJob(argument: _idlegrid_matching_v1_ExplainJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_matching_v1_ExplainJobResponse__Output>): grpc.ClientUnaryCall;
  explainJob(argument: _idlegrid_matching_v1_ExplainJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_matching_v1_ExplainJobResponse__Output>): grpc.ClientUnaryCall;
  explainJob(argument: _idlegrid_matching_v1_ExplainJobRequest, callback: grpc.requestCallback<_idlegrid_matching_v1_ExplainJobResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * A cancelled job: it is no longer retried when capacity frees. Idempotent.
   */
  ForgetJob(argument: _idlegrid_matching_v1_ForgetJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_matching_v1_ForgetJobResponse__Output>): grpc.ClientUnaryCall;
  ForgetJob(argument: _idlegrid_matching_v1_ForgetJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_matching_v1_ForgetJobResponse__Output>): grpc.ClientUnaryCall;
  ForgetJob(argument: _idlegrid_matching_v1_ForgetJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_matching_v1_ForgetJobResponse__Output>): grpc.ClientUnaryCall;
  ForgetJob(argument: _idlegrid_matching_v1_ForgetJobRequest, callback: grpc.requestCallback<_idlegrid_matching_v1_ForgetJobResponse__Output>): grpc.ClientUnaryCall;
  /**
   * A cancelled job: it is no longer retried when capacity frees. Idempotent.
   */
  forgetJob(argument: _idlegrid_matching_v1_ForgetJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_matching_v1_ForgetJobResponse__Output>): grpc.ClientUnaryCall;
  forgetJob(argument: _idlegrid_matching_v1_ForgetJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_matching_v1_ForgetJobResponse__Output>): grpc.ClientUnaryCall;
  forgetJob(argument: _idlegrid_matching_v1_ForgetJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_matching_v1_ForgetJobResponse__Output>): grpc.ClientUnaryCall;
  forgetJob(argument: _idlegrid_matching_v1_ForgetJobRequest, callback: grpc.requestCallback<_idlegrid_matching_v1_ForgetJobResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Supply and demand as this replica sees them, for pricing's market
   * multipliers: GPUs by model, region and asking price, and the GPUs that
   * waiting and recently decided jobs want.
   */
  MarketDepth(argument: _idlegrid_matching_v1_MarketDepthRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_matching_v1_MarketDepthResponse__Output>): grpc.ClientUnaryCall;
  MarketDepth(argument: _idlegrid_matching_v1_MarketDepthRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_matching_v1_MarketDepthResponse__Output>): grpc.ClientUnaryCall;
  MarketDepth(argument: _idlegrid_matching_v1_MarketDepthRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_matching_v1_MarketDepthResponse__Output>): grpc.ClientUnaryCall;
  MarketDepth(argument: _idlegrid_matching_v1_MarketDepthRequest, callback: grpc.requestCallback<_idlegrid_matching_v1_MarketDepthResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Supply and demand as this replica sees them, for pricing's market
   * multipliers: GPUs by model, region and asking price, and the GPUs that
   * waiting and recently decided jobs want.
   */
  marketDepth(argument: _idlegrid_matching_v1_MarketDepthRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_matching_v1_MarketDepthResponse__Output>): grpc.ClientUnaryCall;
  marketDepth(argument: _idlegrid_matching_v1_MarketDepthRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_matching_v1_MarketDepthResponse__Output>): grpc.ClientUnaryCall;
  marketDepth(argument: _idlegrid_matching_v1_MarketDepthRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_matching_v1_MarketDepthResponse__Output>): grpc.ClientUnaryCall;
  marketDepth(argument: _idlegrid_matching_v1_MarketDepthRequest, callback: grpc.requestCallback<_idlegrid_matching_v1_MarketDepthResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Capacity a job could be placed on now, by the same filters and scores as
   * placement (every feasible node scored, no sampling).
   */
  SearchOffers(argument: _idlegrid_matching_v1_SearchOffersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_matching_v1_SearchOffersResponse__Output>): grpc.ClientUnaryCall;
  SearchOffers(argument: _idlegrid_matching_v1_SearchOffersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_matching_v1_SearchOffersResponse__Output>): grpc.ClientUnaryCall;
  SearchOffers(argument: _idlegrid_matching_v1_SearchOffersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_matching_v1_SearchOffersResponse__Output>): grpc.ClientUnaryCall;
  SearchOffers(argument: _idlegrid_matching_v1_SearchOffersRequest, callback: grpc.requestCallback<_idlegrid_matching_v1_SearchOffersResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Capacity a job could be placed on now, by the same filters and scores as
   * placement (every feasible node scored, no sampling).
   */
  searchOffers(argument: _idlegrid_matching_v1_SearchOffersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_matching_v1_SearchOffersResponse__Output>): grpc.ClientUnaryCall;
  searchOffers(argument: _idlegrid_matching_v1_SearchOffersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_matching_v1_SearchOffersResponse__Output>): grpc.ClientUnaryCall;
  searchOffers(argument: _idlegrid_matching_v1_SearchOffersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_matching_v1_SearchOffersResponse__Output>): grpc.ClientUnaryCall;
  searchOffers(argument: _idlegrid_matching_v1_SearchOffersRequest, callback: grpc.requestCallback<_idlegrid_matching_v1_SearchOffersResponse__Output>): grpc.ClientUnaryCall;
  
}

/**
 * Jobs reach matching through the `match-job` queue; this service explains
 * what it decided.
 */
export interface MatchingServiceHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Could any enrolled node (online or not, busy or idle) ever run this job?
   * The gateway refuses a job at submission when none could.
   */
  CheckJob: grpc.handleUnaryCall<_idlegrid_matching_v1_CheckJobRequest__Output, _idlegrid_matching_v1_CheckJobResponse>;
  
  /**
   * CheckJob for many specs in one call (the gateway batches submissions):
   * one outcome per check, in order; a bad spec is refused alone.
   */
  CheckJobs: grpc.handleUnaryCall<_idlegrid_matching_v1_CheckJobsRequest__Output, _idlegrid_matching_v1_CheckJobsResponse>;
  
  /**
   * Why a job was placed where it was, or why it is still waiting.
   */
  ExplainJob: grpc.handleUnaryCall<_idlegrid_matching_v1_ExplainJobRequest__Output, _idlegrid_matching_v1_ExplainJobResponse>;
  
  /**
   * A cancelled job: it is no longer retried when capacity frees. Idempotent.
   */
  ForgetJob: grpc.handleUnaryCall<_idlegrid_matching_v1_ForgetJobRequest__Output, _idlegrid_matching_v1_ForgetJobResponse>;
  
  /**
   * Supply and demand as this replica sees them, for pricing's market
   * multipliers: GPUs by model, region and asking price, and the GPUs that
   * waiting and recently decided jobs want.
   */
  MarketDepth: grpc.handleUnaryCall<_idlegrid_matching_v1_MarketDepthRequest__Output, _idlegrid_matching_v1_MarketDepthResponse>;
  
  /**
   * Capacity a job could be placed on now, by the same filters and scores as
   * placement (every feasible node scored, no sampling).
   */
  SearchOffers: grpc.handleUnaryCall<_idlegrid_matching_v1_SearchOffersRequest__Output, _idlegrid_matching_v1_SearchOffersResponse>;
  
}

export interface MatchingServiceDefinition extends grpc.ServiceDefinition {
  CheckJob: MethodDefinition<_idlegrid_matching_v1_CheckJobRequest, _idlegrid_matching_v1_CheckJobResponse, _idlegrid_matching_v1_CheckJobRequest__Output, _idlegrid_matching_v1_CheckJobResponse__Output>
  CheckJobs: MethodDefinition<_idlegrid_matching_v1_CheckJobsRequest, _idlegrid_matching_v1_CheckJobsResponse, _idlegrid_matching_v1_CheckJobsRequest__Output, _idlegrid_matching_v1_CheckJobsResponse__Output>
  ExplainJob: MethodDefinition<_idlegrid_matching_v1_ExplainJobRequest, _idlegrid_matching_v1_ExplainJobResponse, _idlegrid_matching_v1_ExplainJobRequest__Output, _idlegrid_matching_v1_ExplainJobResponse__Output>
  ForgetJob: MethodDefinition<_idlegrid_matching_v1_ForgetJobRequest, _idlegrid_matching_v1_ForgetJobResponse, _idlegrid_matching_v1_ForgetJobRequest__Output, _idlegrid_matching_v1_ForgetJobResponse__Output>
  MarketDepth: MethodDefinition<_idlegrid_matching_v1_MarketDepthRequest, _idlegrid_matching_v1_MarketDepthResponse, _idlegrid_matching_v1_MarketDepthRequest__Output, _idlegrid_matching_v1_MarketDepthResponse__Output>
  SearchOffers: MethodDefinition<_idlegrid_matching_v1_SearchOffersRequest, _idlegrid_matching_v1_SearchOffersResponse, _idlegrid_matching_v1_SearchOffersRequest__Output, _idlegrid_matching_v1_SearchOffersResponse__Output>
}
