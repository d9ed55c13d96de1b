import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { Problem as _idlegrid_common_v1_Problem, Problem__Output as _idlegrid_common_v1_Problem__Output } from './idlegrid/common/v1/Problem.js';
import type { TraceContext as _idlegrid_common_v1_TraceContext, TraceContext__Output as _idlegrid_common_v1_TraceContext__Output } from './idlegrid/common/v1/TraceContext.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  idlegrid: {
    common: {
      v1: {
        Problem: MessageTypeDefinition<_idlegrid_common_v1_Problem, _idlegrid_common_v1_Problem__Output>
        TraceContext: MessageTypeDefinition<_idlegrid_common_v1_TraceContext, _idlegrid_common_v1_TraceContext__Output>
      }
    }
  }
}

