// Original file: proto/idlegrid/matching/v1/matching.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { ExplainJobRequest as _idlegrid_matching_v1_ExplainJobRequest, ExplainJobRequest__Output as _idlegrid_matching_v1_ExplainJobRequest__Output } from '../../../idlegrid/matching/v1/ExplainJobRequest.js';
import type { ExplainJobResponse as _idlegrid_matching_v1_ExplainJobResponse, ExplainJobResponse__Output as _idlegrid_matching_v1_ExplainJobResponse__Output } from '../../../idlegrid/matching/v1/ExplainJobResponse.js';

/**
 * Jobs reach matching through the `match-job` queue; this service explains
 * what it decided.
 */
export interface MatchingServiceClient extends grpc.Client {
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
  
}

/**
 * Jobs reach matching through the `match-job` queue; this service explains
 * what it decided.
 */
export interface MatchingServiceHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Why a job was placed where it was, or why it is still waiting.
   */
  ExplainJob: grpc.handleUnaryCall<_idlegrid_matching_v1_ExplainJobRequest__Output, _idlegrid_matching_v1_ExplainJobResponse>;
  
}

export interface MatchingServiceDefinition extends grpc.ServiceDefinition {
  ExplainJob: MethodDefinition<_idlegrid_matching_v1_ExplainJobRequest, _idlegrid_matching_v1_ExplainJobResponse, _idlegrid_matching_v1_ExplainJobRequest__Output, _idlegrid_matching_v1_ExplainJobResponse__Output>
}
