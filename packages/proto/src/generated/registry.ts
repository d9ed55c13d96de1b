import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { GpuRequirement as _idlegrid_common_v1_GpuRequirement, GpuRequirement__Output as _idlegrid_common_v1_GpuRequirement__Output } from './idlegrid/common/v1/GpuRequirement.js';
import type { JobSpec as _idlegrid_common_v1_JobSpec, JobSpec__Output as _idlegrid_common_v1_JobSpec__Output } from './idlegrid/common/v1/JobSpec.js';
import type { AgentMessage as _idlegrid_registry_v1_AgentMessage, AgentMessage__Output as _idlegrid_registry_v1_AgentMessage__Output } from './idlegrid/registry/v1/AgentMessage.js';
import type { Assignment as _idlegrid_registry_v1_Assignment, Assignment__Output as _idlegrid_registry_v1_Assignment__Output } from './idlegrid/registry/v1/Assignment.js';
import type { AssignmentAck as _idlegrid_registry_v1_AssignmentAck, AssignmentAck__Output as _idlegrid_registry_v1_AssignmentAck__Output } from './idlegrid/registry/v1/AssignmentAck.js';
import type { Completion as _idlegrid_registry_v1_Completion, Completion__Output as _idlegrid_registry_v1_Completion__Output } from './idlegrid/registry/v1/Completion.js';
import type { ControlMessage as _idlegrid_registry_v1_ControlMessage, ControlMessage__Output as _idlegrid_registry_v1_ControlMessage__Output } from './idlegrid/registry/v1/ControlMessage.js';
import type { Gpu as _idlegrid_registry_v1_Gpu, Gpu__Output as _idlegrid_registry_v1_Gpu__Output } from './idlegrid/registry/v1/Gpu.js';
import type { Heartbeat as _idlegrid_registry_v1_Heartbeat, Heartbeat__Output as _idlegrid_registry_v1_Heartbeat__Output } from './idlegrid/registry/v1/Heartbeat.js';
import type { ListNodesRequest as _idlegrid_registry_v1_ListNodesRequest, ListNodesRequest__Output as _idlegrid_registry_v1_ListNodesRequest__Output } from './idlegrid/registry/v1/ListNodesRequest.js';
import type { ListNodesResponse as _idlegrid_registry_v1_ListNodesResponse, ListNodesResponse__Output as _idlegrid_registry_v1_ListNodesResponse__Output } from './idlegrid/registry/v1/ListNodesResponse.js';
import type { NodeCapacity as _idlegrid_registry_v1_NodeCapacity, NodeCapacity__Output as _idlegrid_registry_v1_NodeCapacity__Output } from './idlegrid/registry/v1/NodeCapacity.js';
import type { NodeInventory as _idlegrid_registry_v1_NodeInventory, NodeInventory__Output as _idlegrid_registry_v1_NodeInventory__Output } from './idlegrid/registry/v1/NodeInventory.js';
import type { Progress as _idlegrid_registry_v1_Progress, Progress__Output as _idlegrid_registry_v1_Progress__Output } from './idlegrid/registry/v1/Progress.js';
import type { Register as _idlegrid_registry_v1_Register, Register__Output as _idlegrid_registry_v1_Register__Output } from './idlegrid/registry/v1/Register.js';
import type { Registered as _idlegrid_registry_v1_Registered, Registered__Output as _idlegrid_registry_v1_Registered__Output } from './idlegrid/registry/v1/Registered.js';
import type { RegistryServiceClient as _idlegrid_registry_v1_RegistryServiceClient, RegistryServiceDefinition as _idlegrid_registry_v1_RegistryServiceDefinition } from './idlegrid/registry/v1/RegistryService.js';
import type { ReserveGpusRequest as _idlegrid_registry_v1_ReserveGpusRequest, ReserveGpusRequest__Output as _idlegrid_registry_v1_ReserveGpusRequest__Output } from './idlegrid/registry/v1/ReserveGpusRequest.js';
import type { ReserveGpusResponse as _idlegrid_registry_v1_ReserveGpusResponse, ReserveGpusResponse__Output as _idlegrid_registry_v1_ReserveGpusResponse__Output } from './idlegrid/registry/v1/ReserveGpusResponse.js';

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
    registry: {
      v1: {
        AgentMessage: MessageTypeDefinition<_idlegrid_registry_v1_AgentMessage, _idlegrid_registry_v1_AgentMessage__Output>
        Assignment: MessageTypeDefinition<_idlegrid_registry_v1_Assignment, _idlegrid_registry_v1_Assignment__Output>
        AssignmentAck: MessageTypeDefinition<_idlegrid_registry_v1_AssignmentAck, _idlegrid_registry_v1_AssignmentAck__Output>
        Completion: MessageTypeDefinition<_idlegrid_registry_v1_Completion, _idlegrid_registry_v1_Completion__Output>
        ControlMessage: MessageTypeDefinition<_idlegrid_registry_v1_ControlMessage, _idlegrid_registry_v1_ControlMessage__Output>
        Gpu: MessageTypeDefinition<_idlegrid_registry_v1_Gpu, _idlegrid_registry_v1_Gpu__Output>
        Heartbeat: MessageTypeDefinition<_idlegrid_registry_v1_Heartbeat, _idlegrid_registry_v1_Heartbeat__Output>
        ListNodesRequest: MessageTypeDefinition<_idlegrid_registry_v1_ListNodesRequest, _idlegrid_registry_v1_ListNodesRequest__Output>
        ListNodesResponse: MessageTypeDefinition<_idlegrid_registry_v1_ListNodesResponse, _idlegrid_registry_v1_ListNodesResponse__Output>
        NodeCapacity: MessageTypeDefinition<_idlegrid_registry_v1_NodeCapacity, _idlegrid_registry_v1_NodeCapacity__Output>
        NodeInventory: MessageTypeDefinition<_idlegrid_registry_v1_NodeInventory, _idlegrid_registry_v1_NodeInventory__Output>
        Progress: MessageTypeDefinition<_idlegrid_registry_v1_Progress, _idlegrid_registry_v1_Progress__Output>
        Register: MessageTypeDefinition<_idlegrid_registry_v1_Register, _idlegrid_registry_v1_Register__Output>
        Registered: MessageTypeDefinition<_idlegrid_registry_v1_Registered, _idlegrid_registry_v1_Registered__Output>
        /**
         * Node agents hold one Connect stream each; matching asks for capacity and
         * reserves it. The registry owns nodes, GPUs and assignments.
         */
        RegistryService: SubtypeConstructor<typeof grpc.Client, _idlegrid_registry_v1_RegistryServiceClient> & { service: _idlegrid_registry_v1_RegistryServiceDefinition }
        ReserveGpusRequest: MessageTypeDefinition<_idlegrid_registry_v1_ReserveGpusRequest, _idlegrid_registry_v1_ReserveGpusRequest__Output>
        ReserveGpusResponse: MessageTypeDefinition<_idlegrid_registry_v1_ReserveGpusResponse, _idlegrid_registry_v1_ReserveGpusResponse__Output>
      }
    }
  }
}

