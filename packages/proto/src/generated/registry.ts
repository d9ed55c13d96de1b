import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { GpuRequirement as _idlegrid_common_v1_GpuRequirement, GpuRequirement__Output as _idlegrid_common_v1_GpuRequirement__Output } from './idlegrid/common/v1/GpuRequirement.js';
import type { JobInput as _idlegrid_common_v1_JobInput, JobInput__Output as _idlegrid_common_v1_JobInput__Output } from './idlegrid/common/v1/JobInput.js';
import type { JobSpec as _idlegrid_common_v1_JobSpec, JobSpec__Output as _idlegrid_common_v1_JobSpec__Output } from './idlegrid/common/v1/JobSpec.js';
import type { AgentMessage as _idlegrid_registry_v1_AgentMessage, AgentMessage__Output as _idlegrid_registry_v1_AgentMessage__Output } from './idlegrid/registry/v1/AgentMessage.js';
import type { Assignment as _idlegrid_registry_v1_Assignment, Assignment__Output as _idlegrid_registry_v1_Assignment__Output } from './idlegrid/registry/v1/Assignment.js';
import type { AssignmentAck as _idlegrid_registry_v1_AssignmentAck, AssignmentAck__Output as _idlegrid_registry_v1_AssignmentAck__Output } from './idlegrid/registry/v1/AssignmentAck.js';
import type { Availability as _idlegrid_registry_v1_Availability, Availability__Output as _idlegrid_registry_v1_Availability__Output } from './idlegrid/registry/v1/Availability.js';
import type { CancelAssignment as _idlegrid_registry_v1_CancelAssignment, CancelAssignment__Output as _idlegrid_registry_v1_CancelAssignment__Output } from './idlegrid/registry/v1/CancelAssignment.js';
import type { CancelJobRequest as _idlegrid_registry_v1_CancelJobRequest, CancelJobRequest__Output as _idlegrid_registry_v1_CancelJobRequest__Output } from './idlegrid/registry/v1/CancelJobRequest.js';
import type { CancelJobResponse as _idlegrid_registry_v1_CancelJobResponse, CancelJobResponse__Output as _idlegrid_registry_v1_CancelJobResponse__Output } from './idlegrid/registry/v1/CancelJobResponse.js';
import type { Completion as _idlegrid_registry_v1_Completion, Completion__Output as _idlegrid_registry_v1_Completion__Output } from './idlegrid/registry/v1/Completion.js';
import type { ControlMessage as _idlegrid_registry_v1_ControlMessage, ControlMessage__Output as _idlegrid_registry_v1_ControlMessage__Output } from './idlegrid/registry/v1/ControlMessage.js';
import type { EnrollNodeRequest as _idlegrid_registry_v1_EnrollNodeRequest, EnrollNodeRequest__Output as _idlegrid_registry_v1_EnrollNodeRequest__Output } from './idlegrid/registry/v1/EnrollNodeRequest.js';
import type { EnrollNodeResponse as _idlegrid_registry_v1_EnrollNodeResponse, EnrollNodeResponse__Output as _idlegrid_registry_v1_EnrollNodeResponse__Output } from './idlegrid/registry/v1/EnrollNodeResponse.js';
import type { GetAvailabilityRequest as _idlegrid_registry_v1_GetAvailabilityRequest, GetAvailabilityRequest__Output as _idlegrid_registry_v1_GetAvailabilityRequest__Output } from './idlegrid/registry/v1/GetAvailabilityRequest.js';
import type { Gpu as _idlegrid_registry_v1_Gpu, Gpu__Output as _idlegrid_registry_v1_Gpu__Output } from './idlegrid/registry/v1/Gpu.js';
import type { GpuStats as _idlegrid_registry_v1_GpuStats, GpuStats__Output as _idlegrid_registry_v1_GpuStats__Output } from './idlegrid/registry/v1/GpuStats.js';
import type { Heartbeat as _idlegrid_registry_v1_Heartbeat, Heartbeat__Output as _idlegrid_registry_v1_Heartbeat__Output } from './idlegrid/registry/v1/Heartbeat.js';
import type { HoursWindow as _idlegrid_registry_v1_HoursWindow, HoursWindow__Output as _idlegrid_registry_v1_HoursWindow__Output } from './idlegrid/registry/v1/HoursWindow.js';
import type { InterruptibleRun as _idlegrid_registry_v1_InterruptibleRun, InterruptibleRun__Output as _idlegrid_registry_v1_InterruptibleRun__Output } from './idlegrid/registry/v1/InterruptibleRun.js';
import type { Leaving as _idlegrid_registry_v1_Leaving, Leaving__Output as _idlegrid_registry_v1_Leaving__Output } from './idlegrid/registry/v1/Leaving.js';
import type { ListNodesRequest as _idlegrid_registry_v1_ListNodesRequest, ListNodesRequest__Output as _idlegrid_registry_v1_ListNodesRequest__Output } from './idlegrid/registry/v1/ListNodesRequest.js';
import type { ListNodesResponse as _idlegrid_registry_v1_ListNodesResponse, ListNodesResponse__Output as _idlegrid_registry_v1_ListNodesResponse__Output } from './idlegrid/registry/v1/ListNodesResponse.js';
import type { ListProviderNodesRequest as _idlegrid_registry_v1_ListProviderNodesRequest, ListProviderNodesRequest__Output as _idlegrid_registry_v1_ListProviderNodesRequest__Output } from './idlegrid/registry/v1/ListProviderNodesRequest.js';
import type { ListProviderNodesResponse as _idlegrid_registry_v1_ListProviderNodesResponse, ListProviderNodesResponse__Output as _idlegrid_registry_v1_ListProviderNodesResponse__Output } from './idlegrid/registry/v1/ListProviderNodesResponse.js';
import type { NodeCapacity as _idlegrid_registry_v1_NodeCapacity, NodeCapacity__Output as _idlegrid_registry_v1_NodeCapacity__Output } from './idlegrid/registry/v1/NodeCapacity.js';
import type { NodeHours as _idlegrid_registry_v1_NodeHours, NodeHours__Output as _idlegrid_registry_v1_NodeHours__Output } from './idlegrid/registry/v1/NodeHours.js';
import type { NodeInventory as _idlegrid_registry_v1_NodeInventory, NodeInventory__Output as _idlegrid_registry_v1_NodeInventory__Output } from './idlegrid/registry/v1/NodeInventory.js';
import type { NodeRef as _idlegrid_registry_v1_NodeRef, NodeRef__Output as _idlegrid_registry_v1_NodeRef__Output } from './idlegrid/registry/v1/NodeRef.js';
import type { NodeStatus as _idlegrid_registry_v1_NodeStatus, NodeStatus__Output as _idlegrid_registry_v1_NodeStatus__Output } from './idlegrid/registry/v1/NodeStatus.js';
import type { PreemptRank as _idlegrid_registry_v1_PreemptRank, PreemptRank__Output as _idlegrid_registry_v1_PreemptRank__Output } from './idlegrid/registry/v1/PreemptRank.js';
import type { PreemptRunsRequest as _idlegrid_registry_v1_PreemptRunsRequest, PreemptRunsRequest__Output as _idlegrid_registry_v1_PreemptRunsRequest__Output } from './idlegrid/registry/v1/PreemptRunsRequest.js';
import type { PreemptRunsResponse as _idlegrid_registry_v1_PreemptRunsResponse, PreemptRunsResponse__Output as _idlegrid_registry_v1_PreemptRunsResponse__Output } from './idlegrid/registry/v1/PreemptRunsResponse.js';
import type { Progress as _idlegrid_registry_v1_Progress, Progress__Output as _idlegrid_registry_v1_Progress__Output } from './idlegrid/registry/v1/Progress.js';
import type { ProviderAvailability as _idlegrid_registry_v1_ProviderAvailability, ProviderAvailability__Output as _idlegrid_registry_v1_ProviderAvailability__Output } from './idlegrid/registry/v1/ProviderAvailability.js';
import type { RankAssignment as _idlegrid_registry_v1_RankAssignment, RankAssignment__Output as _idlegrid_registry_v1_RankAssignment__Output } from './idlegrid/registry/v1/RankAssignment.js';
import type { RankPlacement as _idlegrid_registry_v1_RankPlacement, RankPlacement__Output as _idlegrid_registry_v1_RankPlacement__Output } from './idlegrid/registry/v1/RankPlacement.js';
import type { Register as _idlegrid_registry_v1_Register, Register__Output as _idlegrid_registry_v1_Register__Output } from './idlegrid/registry/v1/Register.js';
import type { Registered as _idlegrid_registry_v1_Registered, Registered__Output as _idlegrid_registry_v1_Registered__Output } from './idlegrid/registry/v1/Registered.js';
import type { RegistryServiceClient as _idlegrid_registry_v1_RegistryServiceClient, RegistryServiceDefinition as _idlegrid_registry_v1_RegistryServiceDefinition } from './idlegrid/registry/v1/RegistryService.js';
import type { ReserveGpusBatchRequest as _idlegrid_registry_v1_ReserveGpusBatchRequest, ReserveGpusBatchRequest__Output as _idlegrid_registry_v1_ReserveGpusBatchRequest__Output } from './idlegrid/registry/v1/ReserveGpusBatchRequest.js';
import type { ReserveGpusBatchResponse as _idlegrid_registry_v1_ReserveGpusBatchResponse, ReserveGpusBatchResponse__Output as _idlegrid_registry_v1_ReserveGpusBatchResponse__Output } from './idlegrid/registry/v1/ReserveGpusBatchResponse.js';
import type { ReserveGpusRequest as _idlegrid_registry_v1_ReserveGpusRequest, ReserveGpusRequest__Output as _idlegrid_registry_v1_ReserveGpusRequest__Output } from './idlegrid/registry/v1/ReserveGpusRequest.js';
import type { ReserveGpusResponse as _idlegrid_registry_v1_ReserveGpusResponse, ReserveGpusResponse__Output as _idlegrid_registry_v1_ReserveGpusResponse__Output } from './idlegrid/registry/v1/ReserveGpusResponse.js';
import type { ReserveOutcome as _idlegrid_registry_v1_ReserveOutcome, ReserveOutcome__Output as _idlegrid_registry_v1_ReserveOutcome__Output } from './idlegrid/registry/v1/ReserveOutcome.js';
import type { RunningAssignment as _idlegrid_registry_v1_RunningAssignment, RunningAssignment__Output as _idlegrid_registry_v1_RunningAssignment__Output } from './idlegrid/registry/v1/RunningAssignment.js';
import type { SetNodeDrainingRequest as _idlegrid_registry_v1_SetNodeDrainingRequest, SetNodeDrainingRequest__Output as _idlegrid_registry_v1_SetNodeDrainingRequest__Output } from './idlegrid/registry/v1/SetNodeDrainingRequest.js';
import type { SetNodeHoursRequest as _idlegrid_registry_v1_SetNodeHoursRequest, SetNodeHoursRequest__Output as _idlegrid_registry_v1_SetNodeHoursRequest__Output } from './idlegrid/registry/v1/SetNodeHoursRequest.js';
import type { SetNodePriceRequest as _idlegrid_registry_v1_SetNodePriceRequest, SetNodePriceRequest__Output as _idlegrid_registry_v1_SetNodePriceRequest__Output } from './idlegrid/registry/v1/SetNodePriceRequest.js';
import type { SetNodeQuarantineRequest as _idlegrid_registry_v1_SetNodeQuarantineRequest, SetNodeQuarantineRequest__Output as _idlegrid_registry_v1_SetNodeQuarantineRequest__Output } from './idlegrid/registry/v1/SetNodeQuarantineRequest.js';

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
      }
    }
    registry: {
      v1: {
        AgentMessage: MessageTypeDefinition<_idlegrid_registry_v1_AgentMessage, _idlegrid_registry_v1_AgentMessage__Output>
        Assignment: MessageTypeDefinition<_idlegrid_registry_v1_Assignment, _idlegrid_registry_v1_Assignment__Output>
        AssignmentAck: MessageTypeDefinition<_idlegrid_registry_v1_AssignmentAck, _idlegrid_registry_v1_AssignmentAck__Output>
        Availability: MessageTypeDefinition<_idlegrid_registry_v1_Availability, _idlegrid_registry_v1_Availability__Output>
        CancelAssignment: MessageTypeDefinition<_idlegrid_registry_v1_CancelAssignment, _idlegrid_registry_v1_CancelAssignment__Output>
        CancelJobRequest: MessageTypeDefinition<_idlegrid_registry_v1_CancelJobRequest, _idlegrid_registry_v1_CancelJobRequest__Output>
        CancelJobResponse: MessageTypeDefinition<_idlegrid_registry_v1_CancelJobResponse, _idlegrid_registry_v1_CancelJobResponse__Output>
        Completion: MessageTypeDefinition<_idlegrid_registry_v1_Completion, _idlegrid_registry_v1_Completion__Output>
        ControlMessage: MessageTypeDefinition<_idlegrid_registry_v1_ControlMessage, _idlegrid_registry_v1_ControlMessage__Output>
        EnrollNodeRequest: MessageTypeDefinition<_idlegrid_registry_v1_EnrollNodeRequest, _idlegrid_registry_v1_EnrollNodeRequest__Output>
        EnrollNodeResponse: MessageTypeDefinition<_idlegrid_registry_v1_EnrollNodeResponse, _idlegrid_registry_v1_EnrollNodeResponse__Output>
        GetAvailabilityRequest: MessageTypeDefinition<_idlegrid_registry_v1_GetAvailabilityRequest, _idlegrid_registry_v1_GetAvailabilityRequest__Output>
        Gpu: MessageTypeDefinition<_idlegrid_registry_v1_Gpu, _idlegrid_registry_v1_Gpu__Output>
        GpuStats: MessageTypeDefinition<_idlegrid_registry_v1_GpuStats, _idlegrid_registry_v1_GpuStats__Output>
        Heartbeat: MessageTypeDefinition<_idlegrid_registry_v1_Heartbeat, _idlegrid_registry_v1_Heartbeat__Output>
        HoursWindow: MessageTypeDefinition<_idlegrid_registry_v1_HoursWindow, _idlegrid_registry_v1_HoursWindow__Output>
        InterruptibleRun: MessageTypeDefinition<_idlegrid_registry_v1_InterruptibleRun, _idlegrid_registry_v1_InterruptibleRun__Output>
        Leaving: MessageTypeDefinition<_idlegrid_registry_v1_Leaving, _idlegrid_registry_v1_Leaving__Output>
        ListNodesRequest: MessageTypeDefinition<_idlegrid_registry_v1_ListNodesRequest, _idlegrid_registry_v1_ListNodesRequest__Output>
        ListNodesResponse: MessageTypeDefinition<_idlegrid_registry_v1_ListNodesResponse, _idlegrid_registry_v1_ListNodesResponse__Output>
        ListProviderNodesRequest: MessageTypeDefinition<_idlegrid_registry_v1_ListProviderNodesRequest, _idlegrid_registry_v1_ListProviderNodesRequest__Output>
        ListProviderNodesResponse: MessageTypeDefinition<_idlegrid_registry_v1_ListProviderNodesResponse, _idlegrid_registry_v1_ListProviderNodesResponse__Output>
        NodeCapacity: MessageTypeDefinition<_idlegrid_registry_v1_NodeCapacity, _idlegrid_registry_v1_NodeCapacity__Output>
        NodeHours: MessageTypeDefinition<_idlegrid_registry_v1_NodeHours, _idlegrid_registry_v1_NodeHours__Output>
        NodeInventory: MessageTypeDefinition<_idlegrid_registry_v1_NodeInventory, _idlegrid_registry_v1_NodeInventory__Output>
        NodeRef: MessageTypeDefinition<_idlegrid_registry_v1_NodeRef, _idlegrid_registry_v1_NodeRef__Output>
        NodeStatus: MessageTypeDefinition<_idlegrid_registry_v1_NodeStatus, _idlegrid_registry_v1_NodeStatus__Output>
        PreemptRank: MessageTypeDefinition<_idlegrid_registry_v1_PreemptRank, _idlegrid_registry_v1_PreemptRank__Output>
        PreemptRunsRequest: MessageTypeDefinition<_idlegrid_registry_v1_PreemptRunsRequest, _idlegrid_registry_v1_PreemptRunsRequest__Output>
        PreemptRunsResponse: MessageTypeDefinition<_idlegrid_registry_v1_PreemptRunsResponse, _idlegrid_registry_v1_PreemptRunsResponse__Output>
        Progress: MessageTypeDefinition<_idlegrid_registry_v1_Progress, _idlegrid_registry_v1_Progress__Output>
        ProviderAvailability: MessageTypeDefinition<_idlegrid_registry_v1_ProviderAvailability, _idlegrid_registry_v1_ProviderAvailability__Output>
        RankAssignment: MessageTypeDefinition<_idlegrid_registry_v1_RankAssignment, _idlegrid_registry_v1_RankAssignment__Output>
        RankPlacement: MessageTypeDefinition<_idlegrid_registry_v1_RankPlacement, _idlegrid_registry_v1_RankPlacement__Output>
        Register: MessageTypeDefinition<_idlegrid_registry_v1_Register, _idlegrid_registry_v1_Register__Output>
        Registered: MessageTypeDefinition<_idlegrid_registry_v1_Registered, _idlegrid_registry_v1_Registered__Output>
        /**
         * Node agents hold one Connect stream each; matching asks for capacity and
         * reserves it; the gateway manages nodes on behalf of providers and operators.
         * The registry owns nodes, their credentials, GPUs and assignments.
         */
        RegistryService: SubtypeConstructor<typeof grpc.Client, _idlegrid_registry_v1_RegistryServiceClient> & { service: _idlegrid_registry_v1_RegistryServiceDefinition }
        ReserveGpusBatchRequest: MessageTypeDefinition<_idlegrid_registry_v1_ReserveGpusBatchRequest, _idlegrid_registry_v1_ReserveGpusBatchRequest__Output>
        ReserveGpusBatchResponse: MessageTypeDefinition<_idlegrid_registry_v1_ReserveGpusBatchResponse, _idlegrid_registry_v1_ReserveGpusBatchResponse__Output>
        ReserveGpusRequest: MessageTypeDefinition<_idlegrid_registry_v1_ReserveGpusRequest, _idlegrid_registry_v1_ReserveGpusRequest__Output>
        ReserveGpusResponse: MessageTypeDefinition<_idlegrid_registry_v1_ReserveGpusResponse, _idlegrid_registry_v1_ReserveGpusResponse__Output>
        ReserveOutcome: MessageTypeDefinition<_idlegrid_registry_v1_ReserveOutcome, _idlegrid_registry_v1_ReserveOutcome__Output>
        RunningAssignment: MessageTypeDefinition<_idlegrid_registry_v1_RunningAssignment, _idlegrid_registry_v1_RunningAssignment__Output>
        SetNodeDrainingRequest: MessageTypeDefinition<_idlegrid_registry_v1_SetNodeDrainingRequest, _idlegrid_registry_v1_SetNodeDrainingRequest__Output>
        SetNodeHoursRequest: MessageTypeDefinition<_idlegrid_registry_v1_SetNodeHoursRequest, _idlegrid_registry_v1_SetNodeHoursRequest__Output>
        SetNodePriceRequest: MessageTypeDefinition<_idlegrid_registry_v1_SetNodePriceRequest, _idlegrid_registry_v1_SetNodePriceRequest__Output>
        SetNodeQuarantineRequest: MessageTypeDefinition<_idlegrid_registry_v1_SetNodeQuarantineRequest, _idlegrid_registry_v1_SetNodeQuarantineRequest__Output>
      }
    }
  }
}

