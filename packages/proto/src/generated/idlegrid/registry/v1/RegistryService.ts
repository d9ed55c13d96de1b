// Original file: proto/idlegrid/registry/v1/registry.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AgentMessage as _idlegrid_registry_v1_AgentMessage, AgentMessage__Output as _idlegrid_registry_v1_AgentMessage__Output } from '../../../idlegrid/registry/v1/AgentMessage.js';
import type { ControlMessage as _idlegrid_registry_v1_ControlMessage, ControlMessage__Output as _idlegrid_registry_v1_ControlMessage__Output } from '../../../idlegrid/registry/v1/ControlMessage.js';
import type { ListNodesRequest as _idlegrid_registry_v1_ListNodesRequest, ListNodesRequest__Output as _idlegrid_registry_v1_ListNodesRequest__Output } from '../../../idlegrid/registry/v1/ListNodesRequest.js';
import type { ListNodesResponse as _idlegrid_registry_v1_ListNodesResponse, ListNodesResponse__Output as _idlegrid_registry_v1_ListNodesResponse__Output } from '../../../idlegrid/registry/v1/ListNodesResponse.js';
import type { ReserveGpusRequest as _idlegrid_registry_v1_ReserveGpusRequest, ReserveGpusRequest__Output as _idlegrid_registry_v1_ReserveGpusRequest__Output } from '../../../idlegrid/registry/v1/ReserveGpusRequest.js';
import type { ReserveGpusResponse as _idlegrid_registry_v1_ReserveGpusResponse, ReserveGpusResponse__Output as _idlegrid_registry_v1_ReserveGpusResponse__Output } from '../../../idlegrid/registry/v1/ReserveGpusResponse.js';

/**
 * Node agents hold one Connect stream each; matching asks for capacity and
 * reserves it. The registry owns nodes, GPUs and assignments.
 */
export interface RegistryServiceClient extends grpc.Client {
  /**
   * The agent's single bidirectional stream. The first message must be a
   * Register; after it: heartbeats, acks, progress and completions upstream,
   * assignments downstream.
   */
  Connect(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_idlegrid_registry_v1_AgentMessage, _idlegrid_registry_v1_ControlMessage__Output>;
  Connect(options?: grpc.CallOptions): grpc.ClientDuplexStream<_idlegrid_registry_v1_AgentMessage, _idlegrid_registry_v1_ControlMessage__Output>;
  /**
   * The agent's single bidirectional stream. The first message must be a
   * Register; after it: heartbeats, acks, progress and completions upstream,
   * assignments downstream.
   */
  connect(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_idlegrid_registry_v1_AgentMessage, _idlegrid_registry_v1_ControlMessage__Output>;
  connect(options?: grpc.CallOptions): grpc.ClientDuplexStream<_idlegrid_registry_v1_AgentMessage, _idlegrid_registry_v1_ControlMessage__Output>;
  
  /**
   * Connected nodes with their free GPUs, for matching.
   */
  ListNodes(argument: _idlegrid_registry_v1_ListNodesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_registry_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  ListNodes(argument: _idlegrid_registry_v1_ListNodesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_registry_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  ListNodes(argument: _idlegrid_registry_v1_ListNodesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_registry_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  ListNodes(argument: _idlegrid_registry_v1_ListNodesRequest, callback: grpc.requestCallback<_idlegrid_registry_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Connected nodes with their free GPUs, for matching.
   */
  listNodes(argument: _idlegrid_registry_v1_ListNodesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_registry_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  listNodes(argument: _idlegrid_registry_v1_ListNodesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_registry_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  listNodes(argument: _idlegrid_registry_v1_ListNodesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_registry_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  listNodes(argument: _idlegrid_registry_v1_ListNodesRequest, callback: grpc.requestCallback<_idlegrid_registry_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Atomically takes free GPUs on one node for a job (all or nothing) and
   * delivers the assignment to the node's agent. FAILED_PRECONDITION when the
   * GPUs are no longer free, ALREADY_EXISTS when the job is already placed.
   */
  ReserveGpus(argument: _idlegrid_registry_v1_ReserveGpusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_registry_v1_ReserveGpusResponse__Output>): grpc.ClientUnaryCall;
  ReserveGpus(argument: _idlegrid_registry_v1_ReserveGpusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_registry_v1_ReserveGpusResponse__Output>): grpc.ClientUnaryCall;
  ReserveGpus(argument: _idlegrid_registry_v1_ReserveGpusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_registry_v1_ReserveGpusResponse__Output>): grpc.ClientUnaryCall;
  ReserveGpus(argument: _idlegrid_registry_v1_ReserveGpusRequest, callback: grpc.requestCallback<_idlegrid_registry_v1_ReserveGpusResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Atomically takes free GPUs on one node for a job (all or nothing) and
   * delivers the assignment to the node's agent. FAILED_PRECONDITION when the
   * GPUs are no longer free, ALREADY_EXISTS when the job is already placed.
   */
  reserveGpus(argument: _idlegrid_registry_v1_ReserveGpusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_registry_v1_ReserveGpusResponse__Output>): grpc.ClientUnaryCall;
  reserveGpus(argument: _idlegrid_registry_v1_ReserveGpusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_registry_v1_ReserveGpusResponse__Output>): grpc.ClientUnaryCall;
  reserveGpus(argument: _idlegrid_registry_v1_ReserveGpusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_registry_v1_ReserveGpusResponse__Output>): grpc.ClientUnaryCall;
  reserveGpus(argument: _idlegrid_registry_v1_ReserveGpusRequest, callback: grpc.requestCallback<_idlegrid_registry_v1_ReserveGpusResponse__Output>): grpc.ClientUnaryCall;
  
}

/**
 * Node agents hold one Connect stream each; matching asks for capacity and
 * reserves it. The registry owns nodes, GPUs and assignments.
 */
export interface RegistryServiceHandlers extends grpc.UntypedServiceImplementation {
  /**
   * The agent's single bidirectional stream. The first message must be a
   * Register; after it: heartbeats, acks, progress and completions upstream,
   * assignments downstream.
   */
  Connect: grpc.handleBidiStreamingCall<_idlegrid_registry_v1_AgentMessage__Output, _idlegrid_registry_v1_ControlMessage>;
  
  /**
   * Connected nodes with their free GPUs, for matching.
   */
  ListNodes: grpc.handleUnaryCall<_idlegrid_registry_v1_ListNodesRequest__Output, _idlegrid_registry_v1_ListNodesResponse>;
  
  /**
   * Atomically takes free GPUs on one node for a job (all or nothing) and
   * delivers the assignment to the node's agent. FAILED_PRECONDITION when the
   * GPUs are no longer free, ALREADY_EXISTS when the job is already placed.
   */
  ReserveGpus: grpc.handleUnaryCall<_idlegrid_registry_v1_ReserveGpusRequest__Output, _idlegrid_registry_v1_ReserveGpusResponse>;
  
}

export interface RegistryServiceDefinition extends grpc.ServiceDefinition {
  Connect: MethodDefinition<_idlegrid_registry_v1_AgentMessage, _idlegrid_registry_v1_ControlMessage, _idlegrid_registry_v1_AgentMessage__Output, _idlegrid_registry_v1_ControlMessage__Output>
  ListNodes: MethodDefinition<_idlegrid_registry_v1_ListNodesRequest, _idlegrid_registry_v1_ListNodesResponse, _idlegrid_registry_v1_ListNodesRequest__Output, _idlegrid_registry_v1_ListNodesResponse__Output>
  ReserveGpus: MethodDefinition<_idlegrid_registry_v1_ReserveGpusRequest, _idlegrid_registry_v1_ReserveGpusResponse, _idlegrid_registry_v1_ReserveGpusRequest__Output, _idlegrid_registry_v1_ReserveGpusResponse__Output>
}
