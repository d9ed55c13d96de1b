// Original file: proto/idlegrid/pricing/v1/pricing.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { QuoteRequest as _idlegrid_pricing_v1_QuoteRequest, QuoteRequest__Output as _idlegrid_pricing_v1_QuoteRequest__Output } from '../../../idlegrid/pricing/v1/QuoteRequest.js';
import type { QuoteResponse as _idlegrid_pricing_v1_QuoteResponse, QuoteResponse__Output as _idlegrid_pricing_v1_QuoteResponse__Output } from '../../../idlegrid/pricing/v1/QuoteResponse.js';

/**
 * Prices job specs and keeps the platform fee schedule.
 */
export interface PricingServiceClient extends grpc.Client {
  /**
   * The price ceiling for a spec and the funds to hold for it.
   */
  Quote(argument: _idlegrid_pricing_v1_QuoteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_pricing_v1_QuoteResponse__Output>): grpc.ClientUnaryCall;
  Quote(argument: _idlegrid_pricing_v1_QuoteRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_pricing_v1_QuoteResponse__Output>): grpc.ClientUnaryCall;
  Quote(argument: _idlegrid_pricing_v1_QuoteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_pricing_v1_QuoteResponse__Output>): grpc.ClientUnaryCall;
  Quote(argument: _idlegrid_pricing_v1_QuoteRequest, callback: grpc.requestCallback<_idlegrid_pricing_v1_QuoteResponse__Output>): grpc.ClientUnaryCall;
  /**
   * The price ceiling for a spec and the funds to hold for it.
   */
  quote(argument: _idlegrid_pricing_v1_QuoteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_pricing_v1_QuoteResponse__Output>): grpc.ClientUnaryCall;
  quote(argument: _idlegrid_pricing_v1_QuoteRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_pricing_v1_QuoteResponse__Output>): grpc.ClientUnaryCall;
  quote(argument: _idlegrid_pricing_v1_QuoteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_pricing_v1_QuoteResponse__Output>): grpc.ClientUnaryCall;
  quote(argument: _idlegrid_pricing_v1_QuoteRequest, callback: grpc.requestCallback<_idlegrid_pricing_v1_QuoteResponse__Output>): grpc.ClientUnaryCall;
  
}

/**
 * Prices job specs and keeps the platform fee schedule.
 */
export interface PricingServiceHandlers extends grpc.UntypedServiceImplementation {
  /**
   * The price ceiling for a spec and the funds to hold for it.
   */
  Quote: grpc.handleUnaryCall<_idlegrid_pricing_v1_QuoteRequest__Output, _idlegrid_pricing_v1_QuoteResponse>;
  
}

export interface PricingServiceDefinition extends grpc.ServiceDefinition {
  Quote: MethodDefinition<_idlegrid_pricing_v1_QuoteRequest, _idlegrid_pricing_v1_QuoteResponse, _idlegrid_pricing_v1_QuoteRequest__Output, _idlegrid_pricing_v1_QuoteResponse__Output>
}
