// Original file: proto/idlegrid/registry/v1/registry.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AgentMessage as _idlegrid_registry_v1_AgentMessage, AgentMessage__Output as _idlegrid_registry_v1_AgentMessage__Output } from '../../../idlegrid/registry/v1/AgentMessage.js';
import type { Availability as _idlegrid_registry_v1_Availability, Availability__Output as _idlegrid_registry_v1_Availability__Output } from '../../../idlegrid/registry/v1/Availability.js';
import type { CancelJobRequest as _idlegrid_registry_v1_CancelJobRequest, CancelJobRequest__Output as _idlegrid_registry_v1_CancelJobRequest__Output } from '../../../idlegrid/registry/v1/CancelJobRequest.js';
import type { CancelJobResponse as _idlegrid_registry_v1_CancelJobResponse, CancelJobResponse__Output as _idlegrid_registry_v1_CancelJobResponse__Output } from '../../../idlegrid/registry/v1/CancelJobResponse.js';
import type { ControlMessage as _idlegrid_registry_v1_ControlMessage, ControlMessage__Output as _idlegrid_registry_v1_ControlMessage__Output } from '../../../idlegrid/registry/v1/ControlMessage.js';
import type { EnrollNodeRequest as _idlegrid_registry_v1_EnrollNodeRequest, EnrollNodeRequest__Output as _idlegrid_registry_v1_EnrollNodeRequest__Output } from '../../../idlegrid/registry/v1/EnrollNodeRequest.js';
import type { EnrollNodeResponse as _idlegrid_registry_v1_EnrollNodeResponse, EnrollNodeResponse__Output as _idlegrid_registry_v1_EnrollNodeResponse__Output } from '../../../idlegrid/registry/v1/EnrollNodeResponse.js';
import type { GetAvailabilityRequest as _idlegrid_registry_v1_GetAvailabilityRequest, GetAvailabilityRequest__Output as _idlegrid_registry_v1_GetAvailabilityRequest__Output } from '../../../idlegrid/registry/v1/GetAvailabilityRequest.js';
import type { ListNodesRequest as _idlegrid_registry_v1_ListNodesRequest, ListNodesRequest__Output as _idlegrid_registry_v1_ListNodesRequest__Output } from '../../../idlegrid/registry/v1/ListNodesRequest.js';
import type { ListNodesResponse as _idlegrid_registry_v1_ListNodesResponse, ListNodesResponse__Output as _idlegrid_registry_v1_ListNodesResponse__Output } from '../../../idlegrid/registry/v1/ListNodesResponse.js';
import type { ListProviderNodesRequest as _idlegrid_registry_v1_ListProviderNodesRequest, ListProviderNodesRequest__Output as _idlegrid_registry_v1_ListProviderNodesRequest__Output } from '../../../idlegrid/registry/v1/ListProviderNodesRequest.js';
import type { ListProviderNodesResponse as _idlegrid_registry_v1_ListProviderNodesResponse, ListProviderNodesResponse__Output as _idlegrid_registry_v1_ListProviderNodesResponse__Output } from '../../../idlegrid/registry/v1/ListProviderNodesResponse.js';
import type { NodeRef as _idlegrid_registry_v1_NodeRef, NodeRef__Output as _idlegrid_registry_v1_NodeRef__Output } from '../../../idlegrid/registry/v1/NodeRef.js';
import type { NodeStatus as _idlegrid_registry_v1_NodeStatus, NodeStatus__Output as _idlegrid_registry_v1_NodeStatus__Output } from '../../../idlegrid/registry/v1/NodeStatus.js';
import type { PreemptRunsRequest as _idlegrid_registry_v1_PreemptRunsRequest, PreemptRunsRequest__Output as _idlegrid_registry_v1_PreemptRunsRequest__Output } from '../../../idlegrid/registry/v1/PreemptRunsRequest.js';
import type { PreemptRunsResponse as _idlegrid_registry_v1_PreemptRunsResponse, PreemptRunsResponse__Output as _idlegrid_registry_v1_PreemptRunsResponse__Output } from '../../../idlegrid/registry/v1/PreemptRunsResponse.js';
import type { ReserveGpusBatchRequest as _idlegrid_registry_v1_ReserveGpusBatchRequest, ReserveGpusBatchRequest__Output as _idlegrid_registry_v1_ReserveGpusBatchRequest__Output } from '../../../idlegrid/registry/v1/ReserveGpusBatchRequest.js';
import type { ReserveGpusBatchResponse as _idlegrid_registry_v1_ReserveGpusBatchResponse, ReserveGpusBatchResponse__Output as _idlegrid_registry_v1_ReserveGpusBatchResponse__Output } from '../../../idlegrid/registry/v1/ReserveGpusBatchResponse.js';
import type { ReserveGpusRequest as _idlegrid_registry_v1_ReserveGpusRequest, ReserveGpusRequest__Output as _idlegrid_registry_v1_ReserveGpusRequest__Output } from '../../../idlegrid/registry/v1/ReserveGpusRequest.js';
import type { ReserveGpusResponse as _idlegrid_registry_v1_ReserveGpusResponse, ReserveGpusResponse__Output as _idlegrid_registry_v1_ReserveGpusResponse__Output } from '../../../idlegrid/registry/v1/ReserveGpusResponse.js';
import type { SetNodeDrainingRequest as _idlegrid_registry_v1_SetNodeDrainingRequest, SetNodeDrainingRequest__Output as _idlegrid_registry_v1_SetNodeDrainingRequest__Output } from '../../../idlegrid/registry/v1/SetNodeDrainingRequest.js';
import type { SetNodeHoursRequest as _idlegrid_registry_v1_SetNodeHoursRequest, SetNodeHoursRequest__Output as _idlegrid_registry_v1_SetNodeHoursRequest__Output } from '../../../idlegrid/registry/v1/SetNodeHoursRequest.js';
import type { SetNodePriceRequest as _idlegrid_registry_v1_SetNodePriceRequest, SetNodePriceRequest__Output as _idlegrid_registry_v1_SetNodePriceRequest__Output } from '../../../idlegrid/registry/v1/SetNodePriceRequest.js';
import type { SetNodeQuarantineRequest as _idlegrid_registry_v1_SetNodeQuarantineRequest, SetNodeQuarantineRequest__Output as _idlegrid_registry_v1_SetNodeQuarantineRequest__Output } from '../../../idlegrid/registry/v1/SetNodeQuarantineRequest.js';

/**
 * Node agents hold one Connect stream each; matching asks for capacity and
 * reserves it; the gateway manages nodes on behalf of providers and operators.
 * The registry owns nodes, their credentials, GPUs and assignments.
 */
export interface RegistryServiceClient extends grpc.Client {
  /**
   * The customer cancelled the job: it is never placed again (ReserveGpus
   * answers FAILED_PRECONDITION job_cancelled), its live runs end with what
   * their progress proves and their agents are told to stop; a `cancelled`
   * job event follows, and a settlement when any run delivered work.
   * Idempotent.
   */
  CancelJob(argument: _idlegrid_registry_v1_CancelJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_registry_v1_CancelJobResponse__Output>): grpc.ClientUnaryCall;
  CancelJob(argument: _idlegrid_registry_v1_CancelJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_registry_v1_CancelJobResponse__Output>): grpc.ClientUnaryCall;
  CancelJob(argument: _idlegrid_registry_v1_CancelJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_registry_v1_CancelJobResponse__Output>): grpc.ClientUnaryCall;
  CancelJob(argument: _idlegrid_registry_v1_CancelJobRequest, callback: grpc.requestCallback<_idlegrid_registry_v1_CancelJobResponse__Output>): grpc.ClientUnaryCall;
  /**
   * The customer cancelled the job: it is never placed again (ReserveGpus
   * answers FAILED_PRECONDITION job_cancelled), its live runs end with what
   * their progress proves and their agents are told to stop; a `cancelled`
   * job event follows, and a settlement when any run delivered work.
   * Idempotent.
   */
  cancelJob(argument: _idlegrid_registry_v1_CancelJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_registry_v1_CancelJobResponse__Output>): grpc.ClientUnaryCall;
  cancelJob(argument: _idlegrid_registry_v1_CancelJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_registry_v1_CancelJobResponse__Output>): grpc.ClientUnaryCall;
  cancelJob(argument: _idlegrid_registry_v1_CancelJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_registry_v1_CancelJobResponse__Output>): grpc.ClientUnaryCall;
  cancelJob(argument: _idlegrid_registry_v1_CancelJobRequest, callback: grpc.requestCallback<_idlegrid_registry_v1_CancelJobResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * The agent's single bidirectional stream. It must carry the node's
   * credential in metadata (`authorization: Bearer <node token>`); the first
   * message must be a Register; after it: heartbeats, acks, progress and
   * completions upstream, assignments and cancellations downstream.
   * UNAUTHENTICATED for a missing, wrong or revoked credential.
   */
  Connect(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_idlegrid_registry_v1_AgentMessage, _idlegrid_registry_v1_ControlMessage__Output>;
  Connect(options?: grpc.CallOptions): grpc.ClientDuplexStream<_idlegrid_registry_v1_AgentMessage, _idlegrid_registry_v1_ControlMessage__Output>;
  /**
   * The agent's single bidirectional stream. It must carry the node's
   * credential in metadata (`authorization: Bearer <node token>`); the first
   * message must be a Register; after it: heartbeats, acks, progress and
   * completions upstream, assignments and cancellations downstream.
   * UNAUTHENTICATED for a missing, wrong or revoked credential.
   */
  connect(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_idlegrid_registry_v1_AgentMessage, _idlegrid_registry_v1_ControlMessage__Output>;
  connect(options?: grpc.CallOptions): grpc.ClientDuplexStream<_idlegrid_registry_v1_AgentMessage, _idlegrid_registry_v1_ControlMessage__Output>;
  
  /**
   * Creates a node for a provider and its credential, shown once.
   */
  EnrollNode(argument: _idlegrid_registry_v1_EnrollNodeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_registry_v1_EnrollNodeResponse__Output>): grpc.ClientUnaryCall;
  EnrollNode(argument: _idlegrid_registry_v1_EnrollNodeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_registry_v1_EnrollNodeResponse__Output>): grpc.ClientUnaryCall;
  EnrollNode(argument: _idlegrid_registry_v1_EnrollNodeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_registry_v1_EnrollNodeResponse__Output>): grpc.ClientUnaryCall;
  EnrollNode(argument: _idlegrid_registry_v1_EnrollNodeRequest, callback: grpc.requestCallback<_idlegrid_registry_v1_EnrollNodeResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Creates a node for a provider and its credential, shown once.
   */
  enrollNode(argument: _idlegrid_registry_v1_EnrollNodeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_registry_v1_EnrollNodeResponse__Output>): grpc.ClientUnaryCall;
  enrollNode(argument: _idlegrid_registry_v1_EnrollNodeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_registry_v1_EnrollNodeResponse__Output>): grpc.ClientUnaryCall;
  enrollNode(argument: _idlegrid_registry_v1_EnrollNodeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_registry_v1_EnrollNodeResponse__Output>): grpc.ClientUnaryCall;
  enrollNode(argument: _idlegrid_registry_v1_EnrollNodeRequest, callback: grpc.requestCallback<_idlegrid_registry_v1_EnrollNodeResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * What each provider's nodes offered during one epoch, as the registry sampled it: the
   * inputs of that epoch's idle-GPU incentives.
   */
  GetAvailability(argument: _idlegrid_registry_v1_GetAvailabilityRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_registry_v1_Availability__Output>): grpc.ClientUnaryCall;
  GetAvailability(argument: _idlegrid_registry_v1_GetAvailabilityRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_registry_v1_Availability__Output>): grpc.ClientUnaryCall;
  GetAvailability(argument: _idlegrid_registry_v1_GetAvailabilityRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_registry_v1_Availability__Output>): grpc.ClientUnaryCall;
  GetAvailability(argument: _idlegrid_registry_v1_GetAvailabilityRequest, callback: grpc.requestCallback<_idlegrid_registry_v1_Availability__Output>): grpc.ClientUnaryCall;
  /**
   * What each provider's nodes offered during one epoch, as the registry sampled it: the
   * inputs of that epoch's idle-GPU incentives.
   */
  getAvailability(argument: _idlegrid_registry_v1_GetAvailabilityRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_registry_v1_Availability__Output>): grpc.ClientUnaryCall;
  getAvailability(argument: _idlegrid_registry_v1_GetAvailabilityRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_registry_v1_Availability__Output>): grpc.ClientUnaryCall;
  getAvailability(argument: _idlegrid_registry_v1_GetAvailabilityRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_registry_v1_Availability__Output>): grpc.ClientUnaryCall;
  getAvailability(argument: _idlegrid_registry_v1_GetAvailabilityRequest, callback: grpc.requestCallback<_idlegrid_registry_v1_Availability__Output>): grpc.ClientUnaryCall;
  
  /**
   * Connected nodes with their free GPUs, for matching. With since_version
   * (a `version` an earlier answer gave), only the nodes whose capacity
   * changed since then: a change feed that keeps a view of the fleet current
   * without listing the whole fleet again.
   */
  ListNodes(argument: _idlegrid_registry_v1_ListNodesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_registry_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  ListNodes(argument: _idlegrid_registry_v1_ListNodesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_registry_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  ListNodes(argument: _idlegrid_registry_v1_ListNodesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_registry_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  ListNodes(argument: _idlegrid_registry_v1_ListNodesRequest, callback: grpc.requestCallback<_idlegrid_registry_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Connected nodes with their free GPUs, for matching. With since_version
   * (a `version` an earlier answer gave), only the nodes whose capacity
   * changed since then: a change feed that keeps a view of the fleet current
   * without listing the whole fleet again.
   */
  listNodes(argument: _idlegrid_registry_v1_ListNodesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_registry_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  listNodes(argument: _idlegrid_registry_v1_ListNodesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_registry_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  listNodes(argument: _idlegrid_registry_v1_ListNodesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_registry_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  listNodes(argument: _idlegrid_registry_v1_ListNodesRequest, callback: grpc.requestCallback<_idlegrid_registry_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * A provider's nodes with their state.
   */
  ListProviderNodes(argument: _idlegrid_registry_v1_ListProviderNodesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_registry_v1_ListProviderNodesResponse__Output>): grpc.ClientUnaryCall;
  ListProviderNodes(argument: _idlegrid_registry_v1_ListProviderNodesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_registry_v1_ListProviderNodesResponse__Output>): grpc.ClientUnaryCall;
  ListProviderNodes(argument: _idlegrid_registry_v1_ListProviderNodesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_registry_v1_ListProviderNodesResponse__Output>): grpc.ClientUnaryCall;
  ListProviderNodes(argument: _idlegrid_registry_v1_ListProviderNodesRequest, callback: grpc.requestCallback<_idlegrid_registry_v1_ListProviderNodesResponse__Output>): grpc.ClientUnaryCall;
  /**
   * A provider's nodes with their state.
   */
  listProviderNodes(argument: _idlegrid_registry_v1_ListProviderNodesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_registry_v1_ListProviderNodesResponse__Output>): grpc.ClientUnaryCall;
  listProviderNodes(argument: _idlegrid_registry_v1_ListProviderNodesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_registry_v1_ListProviderNodesResponse__Output>): grpc.ClientUnaryCall;
  listProviderNodes(argument: _idlegrid_registry_v1_ListProviderNodesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_registry_v1_ListProviderNodesResponse__Output>): grpc.ClientUnaryCall;
  listProviderNodes(argument: _idlegrid_registry_v1_ListProviderNodesRequest, callback: grpc.requestCallback<_idlegrid_registry_v1_ListProviderNodesResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Reclaims GPUs from interruptible runs for a higher-priority job: each
   * victim's agent is told to stop (with a grace period), the GPUs every
   * rank of the job needs are held for it (a gang's: on each of its nodes,
   * in one transaction), and each victim is requeued and billed only for the
   * seconds it delivered once its agent reports it stopped.
   */
  PreemptRuns(argument: _idlegrid_registry_v1_PreemptRunsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_registry_v1_PreemptRunsResponse__Output>): grpc.ClientUnaryCall;
  PreemptRuns(argument: _idlegrid_registry_v1_PreemptRunsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_registry_v1_PreemptRunsResponse__Output>): grpc.ClientUnaryCall;
  PreemptRuns(argument: _idlegrid_registry_v1_PreemptRunsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_registry_v1_PreemptRunsResponse__Output>): grpc.ClientUnaryCall;
  PreemptRuns(argument: _idlegrid_registry_v1_PreemptRunsRequest, callback: grpc.requestCallback<_idlegrid_registry_v1_PreemptRunsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Reclaims GPUs from interruptible runs for a higher-priority job: each
   * victim's agent is told to stop (with a grace period), the GPUs every
   * rank of the job needs are held for it (a gang's: on each of its nodes,
   * in one transaction), and each victim is requeued and billed only for the
   * seconds it delivered once its agent reports it stopped.
   */
  preemptRuns(argument: _idlegrid_registry_v1_PreemptRunsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_registry_v1_PreemptRunsResponse__Output>): grpc.ClientUnaryCall;
  preemptRuns(argument: _idlegrid_registry_v1_PreemptRunsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_registry_v1_PreemptRunsResponse__Output>): grpc.ClientUnaryCall;
  preemptRuns(argument: _idlegrid_registry_v1_PreemptRunsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_registry_v1_PreemptRunsResponse__Output>): grpc.ClientUnaryCall;
  preemptRuns(argument: _idlegrid_registry_v1_PreemptRunsRequest, callback: grpc.requestCallback<_idlegrid_registry_v1_PreemptRunsResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Atomically takes free GPUs for a job — on one node, or for a gang on
   * several nodes at once — all or nothing, and delivers each rank's
   * assignment to its node's agent. FAILED_PRECONDITION when a GPU is no
   * longer free, ALREADY_EXISTS when the job is already placed.
   */
  ReserveGpus(argument: _idlegrid_registry_v1_ReserveGpusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_registry_v1_ReserveGpusResponse__Output>): grpc.ClientUnaryCall;
  ReserveGpus(argument: _idlegrid_registry_v1_ReserveGpusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_registry_v1_ReserveGpusResponse__Output>): grpc.ClientUnaryCall;
  ReserveGpus(argument: _idlegrid_registry_v1_ReserveGpusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_registry_v1_ReserveGpusResponse__Output>): grpc.ClientUnaryCall;
  ReserveGpus(argument: _idlegrid_registry_v1_ReserveGpusRequest, callback: grpc.requestCallback<_idlegrid_registry_v1_ReserveGpusResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Atomically takes free GPUs for a job — on one node, or for a gang on
   * several nodes at once — all or nothing, and delivers each rank's
   * assignment to its node's agent. FAILED_PRECONDITION when a GPU is no
   * longer free, ALREADY_EXISTS when the job is already placed.
   */
  reserveGpus(argument: _idlegrid_registry_v1_ReserveGpusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_registry_v1_ReserveGpusResponse__Output>): grpc.ClientUnaryCall;
  reserveGpus(argument: _idlegrid_registry_v1_ReserveGpusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_registry_v1_ReserveGpusResponse__Output>): grpc.ClientUnaryCall;
  reserveGpus(argument: _idlegrid_registry_v1_ReserveGpusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_registry_v1_ReserveGpusResponse__Output>): grpc.ClientUnaryCall;
  reserveGpus(argument: _idlegrid_registry_v1_ReserveGpusRequest, callback: grpc.requestCallback<_idlegrid_registry_v1_ReserveGpusResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * ReserveGpus for many jobs in one transaction. Each job is still taken
   * whole or not at all, on its own: a job whose GPUs are no longer free (or
   * that is cancelled, already placed, priced out) is refused alone, with its
   * outcome, and the others are placed.
   */
  ReserveGpusBatch(argument: _idlegrid_registry_v1_ReserveGpusBatchRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_registry_v1_ReserveGpusBatchResponse__Output>): grpc.ClientUnaryCall;
  ReserveGpusBatch(argument: _idlegrid_registry_v1_ReserveGpusBatchRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_registry_v1_ReserveGpusBatchResponse__Output>): grpc.ClientUnaryCall;
  ReserveGpusBatch(argument: _idlegrid_registry_v1_ReserveGpusBatchRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_registry_v1_ReserveGpusBatchResponse__Output>): grpc.ClientUnaryCall;
  ReserveGpusBatch(argument: _idlegrid_registry_v1_ReserveGpusBatchRequest, callback: grpc.requestCallback<_idlegrid_registry_v1_ReserveGpusBatchResponse__Output>): grpc.ClientUnaryCall;
  /**
   * ReserveGpus for many jobs in one transaction. Each job is still taken
   * whole or not at all, on its own: a job whose GPUs are no longer free (or
   * that is cancelled, already placed, priced out) is refused alone, with its
   * outcome, and the others are placed.
   */
  reserveGpusBatch(argument: _idlegrid_registry_v1_ReserveGpusBatchRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_registry_v1_ReserveGpusBatchResponse__Output>): grpc.ClientUnaryCall;
  reserveGpusBatch(argument: _idlegrid_registry_v1_ReserveGpusBatchRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_registry_v1_ReserveGpusBatchResponse__Output>): grpc.ClientUnaryCall;
  reserveGpusBatch(argument: _idlegrid_registry_v1_ReserveGpusBatchRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_registry_v1_ReserveGpusBatchResponse__Output>): grpc.ClientUnaryCall;
  reserveGpusBatch(argument: _idlegrid_registry_v1_ReserveGpusBatchRequest, callback: grpc.requestCallback<_idlegrid_registry_v1_ReserveGpusBatchResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Revokes a node's credential: its stream is ended at once and refused after.
   */
  RevokeNodeCredential(argument: _idlegrid_registry_v1_NodeRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_registry_v1_NodeStatus__Output>): grpc.ClientUnaryCall;
  RevokeNodeCredential(argument: _idlegrid_registry_v1_NodeRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_registry_v1_NodeStatus__Output>): grpc.ClientUnaryCall;
  RevokeNodeCredential(argument: _idlegrid_registry_v1_NodeRef, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_registry_v1_NodeStatus__Output>): grpc.ClientUnaryCall;
  RevokeNodeCredential(argument: _idlegrid_registry_v1_NodeRef, callback: grpc.requestCallback<_idlegrid_registry_v1_NodeStatus__Output>): grpc.ClientUnaryCall;
  /**
   * Revokes a node's credential: its stream is ended at once and refused after.
   */
  revokeNodeCredential(argument: _idlegrid_registry_v1_NodeRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_registry_v1_NodeStatus__Output>): grpc.ClientUnaryCall;
  revokeNodeCredential(argument: _idlegrid_registry_v1_NodeRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_registry_v1_NodeStatus__Output>): grpc.ClientUnaryCall;
  revokeNodeCredential(argument: _idlegrid_registry_v1_NodeRef, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_registry_v1_NodeStatus__Output>): grpc.ClientUnaryCall;
  revokeNodeCredential(argument: _idlegrid_registry_v1_NodeRef, callback: grpc.requestCallback<_idlegrid_registry_v1_NodeStatus__Output>): grpc.ClientUnaryCall;
  
  /**
   * Draining: finish current work, take none new. Undrain with draining=false.
   */
  SetNodeDraining(argument: _idlegrid_registry_v1_SetNodeDrainingRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_registry_v1_NodeStatus__Output>): grpc.ClientUnaryCall;
  SetNodeDraining(argument: _idlegrid_registry_v1_SetNodeDrainingRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_registry_v1_NodeStatus__Output>): grpc.ClientUnaryCall;
  SetNodeDraining(argument: _idlegrid_registry_v1_SetNodeDrainingRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_registry_v1_NodeStatus__Output>): grpc.ClientUnaryCall;
  SetNodeDraining(argument: _idlegrid_registry_v1_SetNodeDrainingRequest, callback: grpc.requestCallback<_idlegrid_registry_v1_NodeStatus__Output>): grpc.ClientUnaryCall;
  /**
   * Draining: finish current work, take none new. Undrain with draining=false.
   */
  setNodeDraining(argument: _idlegrid_registry_v1_SetNodeDrainingRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_registry_v1_NodeStatus__Output>): grpc.ClientUnaryCall;
  setNodeDraining(argument: _idlegrid_registry_v1_SetNodeDrainingRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_registry_v1_NodeStatus__Output>): grpc.ClientUnaryCall;
  setNodeDraining(argument: _idlegrid_registry_v1_SetNodeDrainingRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_registry_v1_NodeStatus__Output>): grpc.ClientUnaryCall;
  setNodeDraining(argument: _idlegrid_registry_v1_SetNodeDrainingRequest, callback: grpc.requestCallback<_idlegrid_registry_v1_NodeStatus__Output>): grpc.ClientUnaryCall;
  
  /**
   * The weekly hours a provider lends a node (none: always). Outside them it
   * takes no new work (state "off_hours"); inside, only work that ends before
   * the window closes. Work already placed runs on.
   */
  SetNodeHours(argument: _idlegrid_registry_v1_SetNodeHoursRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_registry_v1_NodeStatus__Output>): grpc.ClientUnaryCall;
  SetNodeHours(argument: _idlegrid_registry_v1_SetNodeHoursRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_registry_v1_NodeStatus__Output>): grpc.ClientUnaryCall;
  SetNodeHours(argument: _idlegrid_registry_v1_SetNodeHoursRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_registry_v1_NodeStatus__Output>): grpc.ClientUnaryCall;
  SetNodeHours(argument: _idlegrid_registry_v1_SetNodeHoursRequest, callback: grpc.requestCallback<_idlegrid_registry_v1_NodeStatus__Output>): grpc.ClientUnaryCall;
  /**
   * The weekly hours a provider lends a node (none: always). Outside them it
   * takes no new work (state "off_hours"); inside, only work that ends before
   * the window closes. Work already placed runs on.
   */
  setNodeHours(argument: _idlegrid_registry_v1_SetNodeHoursRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_registry_v1_NodeStatus__Output>): grpc.ClientUnaryCall;
  setNodeHours(argument: _idlegrid_registry_v1_SetNodeHoursRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_registry_v1_NodeStatus__Output>): grpc.ClientUnaryCall;
  setNodeHours(argument: _idlegrid_registry_v1_SetNodeHoursRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_registry_v1_NodeStatus__Output>): grpc.ClientUnaryCall;
  setNodeHours(argument: _idlegrid_registry_v1_SetNodeHoursRequest, callback: grpc.requestCallback<_idlegrid_registry_v1_NodeStatus__Output>): grpc.ClientUnaryCall;
  
  /**
   * Sets a node's asking price; work already placed keeps its agreed price.
   */
  SetNodePrice(argument: _idlegrid_registry_v1_SetNodePriceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_registry_v1_NodeStatus__Output>): grpc.ClientUnaryCall;
  SetNodePrice(argument: _idlegrid_registry_v1_SetNodePriceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_registry_v1_NodeStatus__Output>): grpc.ClientUnaryCall;
  SetNodePrice(argument: _idlegrid_registry_v1_SetNodePriceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_registry_v1_NodeStatus__Output>): grpc.ClientUnaryCall;
  SetNodePrice(argument: _idlegrid_registry_v1_SetNodePriceRequest, callback: grpc.requestCallback<_idlegrid_registry_v1_NodeStatus__Output>): grpc.ClientUnaryCall;
  /**
   * Sets a node's asking price; work already placed keeps its agreed price.
   */
  setNodePrice(argument: _idlegrid_registry_v1_SetNodePriceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_registry_v1_NodeStatus__Output>): grpc.ClientUnaryCall;
  setNodePrice(argument: _idlegrid_registry_v1_SetNodePriceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_registry_v1_NodeStatus__Output>): grpc.ClientUnaryCall;
  setNodePrice(argument: _idlegrid_registry_v1_SetNodePriceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_registry_v1_NodeStatus__Output>): grpc.ClientUnaryCall;
  setNodePrice(argument: _idlegrid_registry_v1_SetNodePriceRequest, callback: grpc.requestCallback<_idlegrid_registry_v1_NodeStatus__Output>): grpc.ClientUnaryCall;
  
  /**
   * Operators (and later checkers) quarantine a node: no new work.
   */
  SetNodeQuarantine(argument: _idlegrid_registry_v1_SetNodeQuarantineRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_registry_v1_NodeStatus__Output>): grpc.ClientUnaryCall;
  SetNodeQuarantine(argument: _idlegrid_registry_v1_SetNodeQuarantineRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_registry_v1_NodeStatus__Output>): grpc.ClientUnaryCall;
  SetNodeQuarantine(argument: _idlegrid_registry_v1_SetNodeQuarantineRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_registry_v1_NodeStatus__Output>): grpc.ClientUnaryCall;
  SetNodeQuarantine(argument: _idlegrid_registry_v1_SetNodeQuarantineRequest, callback: grpc.requestCallback<_idlegrid_registry_v1_NodeStatus__Output>): grpc.ClientUnaryCall;
  /**
   * Operators (and later checkers) quarantine a node: no new work.
   */
  setNodeQuarantine(argument: _idlegrid_registry_v1_SetNodeQuarantineRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_registry_v1_NodeStatus__Output>): grpc.ClientUnaryCall;
  setNodeQuarantine(argument: _idlegrid_registry_v1_SetNodeQuarantineRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_registry_v1_NodeStatus__Output>): grpc.ClientUnaryCall;
  setNodeQuarantine(argument: _idlegrid_registry_v1_SetNodeQuarantineRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_registry_v1_NodeStatus__Output>): grpc.ClientUnaryCall;
  setNodeQuarantine(argument: _idlegrid_registry_v1_SetNodeQuarantineRequest, callback: grpc.requestCallback<_idlegrid_registry_v1_NodeStatus__Output>): grpc.ClientUnaryCall;
  
}

/**
 * Node agents hold one Connect stream each; matching asks for capacity and
 * reserves it; the gateway manages nodes on behalf of providers and operators.
 * The registry owns nodes, their credentials, GPUs and assignments.
 */
export interface RegistryServiceHandlers extends grpc.UntypedServiceImplementation {
  /**
   * The customer cancelled the job: it is never placed again (ReserveGpus
   * answers FAILED_PRECONDITION job_cancelled), its live runs end with what
   * their progress proves and their agents are told to stop; a `cancelled`
   * job event follows, and a settlement when any run delivered work.
   * Idempotent.
   */
  CancelJob: grpc.handleUnaryCall<_idlegrid_registry_v1_CancelJobRequest__Output, _idlegrid_registry_v1_CancelJobResponse>;
  
  /**
   * The agent's single bidirectional stream. It must carry the node's
   * credential in metadata (`authorization: Bearer <node token>`); the first
   * message must be a Register; after it: heartbeats, acks, progress and
   * completions upstream, assignments and cancellations downstream.
   * UNAUTHENTICATED for a missing, wrong or revoked credential.
   */
  Connect: grpc.handleBidiStreamingCall<_idlegrid_registry_v1_AgentMessage__Output, _idlegrid_registry_v1_ControlMessage>;
  
  /**
   * Creates a node for a provider and its credential, shown once.
   */
  EnrollNode: grpc.handleUnaryCall<_idlegrid_registry_v1_EnrollNodeRequest__Output, _idlegrid_registry_v1_EnrollNodeResponse>;
  
  /**
   * What each provider's nodes offered during one epoch, as the registry sampled it: the
   * inputs of that epoch's idle-GPU incentives.
   */
  GetAvailability: grpc.handleUnaryCall<_idlegrid_registry_v1_GetAvailabilityRequest__Output, _idlegrid_registry_v1_Availability>;
  
  /**
   * Connected nodes with their free GPUs, for matching. With since_version
   * (a `version` an earlier answer gave), only the nodes whose capacity
   * changed since then: a change feed that keeps a view of the fleet current
   * without listing the whole fleet again.
   */
  ListNodes: grpc.handleUnaryCall<_idlegrid_registry_v1_ListNodesRequest__Output, _idlegrid_registry_v1_ListNodesResponse>;
  
  /**
   * A provider's nodes with their state.
   */
  ListProviderNodes: grpc.handleUnaryCall<_idlegrid_registry_v1_ListProviderNodesRequest__Output, _idlegrid_registry_v1_ListProviderNodesResponse>;
  
  /**
   * Reclaims GPUs from interruptible runs for a higher-priority job: each
   * victim's agent is told to stop (with a grace period), the GPUs every
   * rank of the job needs are held for it (a gang's: on each of its nodes,
   * in one transaction), and each victim is requeued and billed only for the
   * seconds it delivered once its agent reports it stopped.
   */
  PreemptRuns: grpc.handleUnaryCall<_idlegrid_registry_v1_PreemptRunsRequest__Output, _idlegrid_registry_v1_PreemptRunsResponse>;
  
  /**
   * Atomically takes free GPUs for a job — on one node, or for a gang on
   * several nodes at once — all or nothing, and delivers each rank's
   * assignment to its node's agent. FAILED_PRECONDITION when a GPU is no
   * longer free, ALREADY_EXISTS when the job is already placed.
   */
  ReserveGpus: grpc.handleUnaryCall<_idlegrid_registry_v1_ReserveGpusRequest__Output, _idlegrid_registry_v1_ReserveGpusResponse>;
  
  /**
   * ReserveGpus for many jobs in one transaction. Each job is still taken
   * whole or not at all, on its own: a job whose GPUs are no longer free (or
   * that is cancelled, already placed, priced out) is refused alone, with its
   * outcome, and the others are placed.
   */
  ReserveGpusBatch: grpc.handleUnaryCall<_idlegrid_registry_v1_ReserveGpusBatchRequest__Output, _idlegrid_registry_v1_ReserveGpusBatchResponse>;
  
  /**
   * Revokes a node's credential: its stream is ended at once and refused after.
   */
  RevokeNodeCredential: grpc.handleUnaryCall<_idlegrid_registry_v1_NodeRef__Output, _idlegrid_registry_v1_NodeStatus>;
  
  /**
   * Draining: finish current work, take none new. Undrain with draining=false.
   */
  SetNodeDraining: grpc.handleUnaryCall<_idlegrid_registry_v1_SetNodeDrainingRequest__Output, _idlegrid_registry_v1_NodeStatus>;
  
  /**
   * The weekly hours a provider lends a node (none: always). Outside them it
   * takes no new work (state "off_hours"); inside, only work that ends before
   * the window closes. Work already placed runs on.
   */
  SetNodeHours: grpc.handleUnaryCall<_idlegrid_registry_v1_SetNodeHoursRequest__Output, _idlegrid_registry_v1_NodeStatus>;
  
  /**
   * Sets a node's asking price; work already placed keeps its agreed price.
   */
  SetNodePrice: grpc.handleUnaryCall<_idlegrid_registry_v1_SetNodePriceRequest__Output, _idlegrid_registry_v1_NodeStatus>;
  
  /**
   * Operators (and later checkers) quarantine a node: no new work.
   */
  SetNodeQuarantine: grpc.handleUnaryCall<_idlegrid_registry_v1_SetNodeQuarantineRequest__Output, _idlegrid_registry_v1_NodeStatus>;
  
}

export interface RegistryServiceDefinition extends grpc.ServiceDefinition {
  CancelJob: MethodDefinition<_idlegrid_registry_v1_CancelJobRequest, _idlegrid_registry_v1_CancelJobResponse, _idlegrid_registry_v1_CancelJobRequest__Output, _idlegrid_registry_v1_CancelJobResponse__Output>
  Connect: MethodDefinition<_idlegrid_registry_v1_AgentMessage, _idlegrid_registry_v1_ControlMessage, _idlegrid_registry_v1_AgentMessage__Output, _idlegrid_registry_v1_ControlMessage__Output>
  EnrollNode: MethodDefinition<_idlegrid_registry_v1_EnrollNodeRequest, _idlegrid_registry_v1_EnrollNodeResponse, _idlegrid_registry_v1_EnrollNodeRequest__Output, _idlegrid_registry_v1_EnrollNodeResponse__Output>
  GetAvailability: MethodDefinition<_idlegrid_registry_v1_GetAvailabilityRequest, _idlegrid_registry_v1_Availability, _idlegrid_registry_v1_GetAvailabilityRequest__Output, _idlegrid_registry_v1_Availability__Output>
  ListNodes: MethodDefinition<_idlegrid_registry_v1_ListNodesRequest, _idlegrid_registry_v1_ListNodesResponse, _idlegrid_registry_v1_ListNodesRequest__Output, _idlegrid_registry_v1_ListNodesResponse__Output>
  ListProviderNodes: MethodDefinition<_idlegrid_registry_v1_ListProviderNodesRequest, _idlegrid_registry_v1_ListProviderNodesResponse, _idlegrid_registry_v1_ListProviderNodesRequest__Output, _idlegrid_registry_v1_ListProviderNodesResponse__Output>
  PreemptRuns: MethodDefinition<_idlegrid_registry_v1_PreemptRunsRequest, _idlegrid_registry_v1_PreemptRunsResponse, _idlegrid_registry_v1_PreemptRunsRequest__Output, _idlegrid_registry_v1_PreemptRunsResponse__Output>
  ReserveGpus: MethodDefinition<_idlegrid_registry_v1_ReserveGpusRequest, _idlegrid_registry_v1_ReserveGpusResponse, _idlegrid_registry_v1_ReserveGpusRequest__Output, _idlegrid_registry_v1_ReserveGpusResponse__Output>
  ReserveGpusBatch: MethodDefinition<_idlegrid_registry_v1_ReserveGpusBatchRequest, _idlegrid_registry_v1_ReserveGpusBatchResponse, _idlegrid_registry_v1_ReserveGpusBatchRequest__Output, _idlegrid_registry_v1_ReserveGpusBatchResponse__Output>
  RevokeNodeCredential: MethodDefinition<_idlegrid_registry_v1_NodeRef, _idlegrid_registry_v1_NodeStatus, _idlegrid_registry_v1_NodeRef__Output, _idlegrid_registry_v1_NodeStatus__Output>
  SetNodeDraining: MethodDefinition<_idlegrid_registry_v1_SetNodeDrainingRequest, _idlegrid_registry_v1_NodeStatus, _idlegrid_registry_v1_SetNodeDrainingRequest__Output, _idlegrid_registry_v1_NodeStatus__Output>
  SetNodeHours: MethodDefinition<_idlegrid_registry_v1_SetNodeHoursRequest, _idlegrid_registry_v1_NodeStatus, _idlegrid_registry_v1_SetNodeHoursRequest__Output, _idlegrid_registry_v1_NodeStatus__Output>
  SetNodePrice: MethodDefinition<_idlegrid_registry_v1_SetNodePriceRequest, _idlegrid_registry_v1_NodeStatus, _idlegrid_registry_v1_SetNodePriceRequest__Output, _idlegrid_registry_v1_NodeStatus__Output>
  SetNodeQuarantine: MethodDefinition<_idlegrid_registry_v1_SetNodeQuarantineRequest, _idlegrid_registry_v1_NodeStatus, _idlegrid_registry_v1_SetNodeQuarantineRequest__Output, _idlegrid_registry_v1_NodeStatus__Output>
}
