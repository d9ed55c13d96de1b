import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { GpuRequirement as _idlegrid_common_v1_GpuRequirement, GpuRequirement__Output as _idlegrid_common_v1_GpuRequirement__Output } from './idlegrid/common/v1/GpuRequirement.js';
import type { JobInput as _idlegrid_common_v1_JobInput, JobInput__Output as _idlegrid_common_v1_JobInput__Output } from './idlegrid/common/v1/JobInput.js';
import type { JobSpec as _idlegrid_common_v1_JobSpec, JobSpec__Output as _idlegrid_common_v1_JobSpec__Output } from './idlegrid/common/v1/JobSpec.js';

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
  }
}

