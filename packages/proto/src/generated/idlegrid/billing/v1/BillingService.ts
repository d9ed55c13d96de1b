// Original file: proto/idlegrid/billing/v1/billing.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { ConversionRate as _idlegrid_billing_v1_ConversionRate, ConversionRate__Output as _idlegrid_billing_v1_ConversionRate__Output } from '../../../idlegrid/billing/v1/ConversionRate.js';
import type { DepositRequest as _idlegrid_billing_v1_DepositRequest, DepositRequest__Output as _idlegrid_billing_v1_DepositRequest__Output } from '../../../idlegrid/billing/v1/DepositRequest.js';
import type { DepositResponse as _idlegrid_billing_v1_DepositResponse, DepositResponse__Output as _idlegrid_billing_v1_DepositResponse__Output } from '../../../idlegrid/billing/v1/DepositResponse.js';
import type { EmitIncentivesRequest as _idlegrid_billing_v1_EmitIncentivesRequest, EmitIncentivesRequest__Output as _idlegrid_billing_v1_EmitIncentivesRequest__Output } from '../../../idlegrid/billing/v1/EmitIncentivesRequest.js';
import type { EmitIncentivesResponse as _idlegrid_billing_v1_EmitIncentivesResponse, EmitIncentivesResponse__Output as _idlegrid_billing_v1_EmitIncentivesResponse__Output } from '../../../idlegrid/billing/v1/EmitIncentivesResponse.js';
import type { FundIncentivePoolRequest as _idlegrid_billing_v1_FundIncentivePoolRequest, FundIncentivePoolRequest__Output as _idlegrid_billing_v1_FundIncentivePoolRequest__Output } from '../../../idlegrid/billing/v1/FundIncentivePoolRequest.js';
import type { GetBalanceRequest as _idlegrid_billing_v1_GetBalanceRequest, GetBalanceRequest__Output as _idlegrid_billing_v1_GetBalanceRequest__Output } from '../../../idlegrid/billing/v1/GetBalanceRequest.js';
import type { GetBalanceResponse as _idlegrid_billing_v1_GetBalanceResponse, GetBalanceResponse__Output as _idlegrid_billing_v1_GetBalanceResponse__Output } from '../../../idlegrid/billing/v1/GetBalanceResponse.js';
import type { GetIncentivePoolRequest as _idlegrid_billing_v1_GetIncentivePoolRequest, GetIncentivePoolRequest__Output as _idlegrid_billing_v1_GetIncentivePoolRequest__Output } from '../../../idlegrid/billing/v1/GetIncentivePoolRequest.js';
import type { GetInvoiceRequest as _idlegrid_billing_v1_GetInvoiceRequest, GetInvoiceRequest__Output as _idlegrid_billing_v1_GetInvoiceRequest__Output } from '../../../idlegrid/billing/v1/GetInvoiceRequest.js';
import type { GetSpendLimitsRequest as _idlegrid_billing_v1_GetSpendLimitsRequest, GetSpendLimitsRequest__Output as _idlegrid_billing_v1_GetSpendLimitsRequest__Output } from '../../../idlegrid/billing/v1/GetSpendLimitsRequest.js';
import type { GetSpendLimitsResponse as _idlegrid_billing_v1_GetSpendLimitsResponse, GetSpendLimitsResponse__Output as _idlegrid_billing_v1_GetSpendLimitsResponse__Output } from '../../../idlegrid/billing/v1/GetSpendLimitsResponse.js';
import type { GetStatementRequest as _idlegrid_billing_v1_GetStatementRequest, GetStatementRequest__Output as _idlegrid_billing_v1_GetStatementRequest__Output } from '../../../idlegrid/billing/v1/GetStatementRequest.js';
import type { HoldResponse as _idlegrid_billing_v1_HoldResponse, HoldResponse__Output as _idlegrid_billing_v1_HoldResponse__Output } from '../../../idlegrid/billing/v1/HoldResponse.js';
import type { IncentivePoolResponse as _idlegrid_billing_v1_IncentivePoolResponse, IncentivePoolResponse__Output as _idlegrid_billing_v1_IncentivePoolResponse__Output } from '../../../idlegrid/billing/v1/IncentivePoolResponse.js';
import type { Invoice as _idlegrid_billing_v1_Invoice, Invoice__Output as _idlegrid_billing_v1_Invoice__Output } from '../../../idlegrid/billing/v1/Invoice.js';
import type { ListConversionRatesRequest as _idlegrid_billing_v1_ListConversionRatesRequest, ListConversionRatesRequest__Output as _idlegrid_billing_v1_ListConversionRatesRequest__Output } from '../../../idlegrid/billing/v1/ListConversionRatesRequest.js';
import type { ListConversionRatesResponse as _idlegrid_billing_v1_ListConversionRatesResponse, ListConversionRatesResponse__Output as _idlegrid_billing_v1_ListConversionRatesResponse__Output } from '../../../idlegrid/billing/v1/ListConversionRatesResponse.js';
import type { ListPendingHoldsRequest as _idlegrid_billing_v1_ListPendingHoldsRequest, ListPendingHoldsRequest__Output as _idlegrid_billing_v1_ListPendingHoldsRequest__Output } from '../../../idlegrid/billing/v1/ListPendingHoldsRequest.js';
import type { ListPendingHoldsResponse as _idlegrid_billing_v1_ListPendingHoldsResponse, ListPendingHoldsResponse__Output as _idlegrid_billing_v1_ListPendingHoldsResponse__Output } from '../../../idlegrid/billing/v1/ListPendingHoldsResponse.js';
import type { PlaceHoldRequest as _idlegrid_billing_v1_PlaceHoldRequest, PlaceHoldRequest__Output as _idlegrid_billing_v1_PlaceHoldRequest__Output } from '../../../idlegrid/billing/v1/PlaceHoldRequest.js';
import type { PlaceHoldsRequest as _idlegrid_billing_v1_PlaceHoldsRequest, PlaceHoldsRequest__Output as _idlegrid_billing_v1_PlaceHoldsRequest__Output } from '../../../idlegrid/billing/v1/PlaceHoldsRequest.js';
import type { PlaceHoldsResponse as _idlegrid_billing_v1_PlaceHoldsResponse, PlaceHoldsResponse__Output as _idlegrid_billing_v1_PlaceHoldsResponse__Output } from '../../../idlegrid/billing/v1/PlaceHoldsResponse.js';
import type { RefundHoldsRequest as _idlegrid_billing_v1_RefundHoldsRequest, RefundHoldsRequest__Output as _idlegrid_billing_v1_RefundHoldsRequest__Output } from '../../../idlegrid/billing/v1/RefundHoldsRequest.js';
import type { RefundHoldsResponse as _idlegrid_billing_v1_RefundHoldsResponse, RefundHoldsResponse__Output as _idlegrid_billing_v1_RefundHoldsResponse__Output } from '../../../idlegrid/billing/v1/RefundHoldsResponse.js';
import type { RemoveSpendLimitRequest as _idlegrid_billing_v1_RemoveSpendLimitRequest, RemoveSpendLimitRequest__Output as _idlegrid_billing_v1_RemoveSpendLimitRequest__Output } from '../../../idlegrid/billing/v1/RemoveSpendLimitRequest.js';
import type { RemoveSpendLimitResponse as _idlegrid_billing_v1_RemoveSpendLimitResponse, RemoveSpendLimitResponse__Output as _idlegrid_billing_v1_RemoveSpendLimitResponse__Output } from '../../../idlegrid/billing/v1/RemoveSpendLimitResponse.js';
import type { RequestPayoutRequest as _idlegrid_billing_v1_RequestPayoutRequest, RequestPayoutRequest__Output as _idlegrid_billing_v1_RequestPayoutRequest__Output } from '../../../idlegrid/billing/v1/RequestPayoutRequest.js';
import type { RequestPayoutResponse as _idlegrid_billing_v1_RequestPayoutResponse, RequestPayoutResponse__Output as _idlegrid_billing_v1_RequestPayoutResponse__Output } from '../../../idlegrid/billing/v1/RequestPayoutResponse.js';
import type { ReverseTransferRequest as _idlegrid_billing_v1_ReverseTransferRequest, ReverseTransferRequest__Output as _idlegrid_billing_v1_ReverseTransferRequest__Output } from '../../../idlegrid/billing/v1/ReverseTransferRequest.js';
import type { ReverseTransferResponse as _idlegrid_billing_v1_ReverseTransferResponse, ReverseTransferResponse__Output as _idlegrid_billing_v1_ReverseTransferResponse__Output } from '../../../idlegrid/billing/v1/ReverseTransferResponse.js';
import type { SetConversionRateRequest as _idlegrid_billing_v1_SetConversionRateRequest, SetConversionRateRequest__Output as _idlegrid_billing_v1_SetConversionRateRequest__Output } from '../../../idlegrid/billing/v1/SetConversionRateRequest.js';
import type { SetSpendLimitRequest as _idlegrid_billing_v1_SetSpendLimitRequest, SetSpendLimitRequest__Output as _idlegrid_billing_v1_SetSpendLimitRequest__Output } from '../../../idlegrid/billing/v1/SetSpendLimitRequest.js';
import type { SettleHoldRequest as _idlegrid_billing_v1_SettleHoldRequest, SettleHoldRequest__Output as _idlegrid_billing_v1_SettleHoldRequest__Output } from '../../../idlegrid/billing/v1/SettleHoldRequest.js';
import type { SettleHoldResponse as _idlegrid_billing_v1_SettleHoldResponse, SettleHoldResponse__Output as _idlegrid_billing_v1_SettleHoldResponse__Output } from '../../../idlegrid/billing/v1/SettleHoldResponse.js';
import type { SpendLimit as _idlegrid_billing_v1_SpendLimit, SpendLimit__Output as _idlegrid_billing_v1_SpendLimit__Output } from '../../../idlegrid/billing/v1/SpendLimit.js';
import type { Statement as _idlegrid_billing_v1_Statement, Statement__Output as _idlegrid_billing_v1_Statement__Output } from '../../../idlegrid/billing/v1/Statement.js';
import type { VoidHoldRequest as _idlegrid_billing_v1_VoidHoldRequest, VoidHoldRequest__Output as _idlegrid_billing_v1_VoidHoldRequest__Output } from '../../../idlegrid/billing/v1/VoidHoldRequest.js';

/**
 * The ledger: holds funds for jobs, settles them, reports balances. Every
 * mutating call carries a client-chosen id that makes it idempotent.
 */
export interface BillingServiceClient extends grpc.Client {
  /**
   * Credits a customer's available balance from a payment rail.
   */
  Deposit(argument: _idlegrid_billing_v1_DepositRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_DepositResponse__Output>): grpc.ClientUnaryCall;
  Deposit(argument: _idlegrid_billing_v1_DepositRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_billing_v1_DepositResponse__Output>): grpc.ClientUnaryCall;
  Deposit(argument: _idlegrid_billing_v1_DepositRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_DepositResponse__Output>): grpc.ClientUnaryCall;
  Deposit(argument: _idlegrid_billing_v1_DepositRequest, callback: grpc.requestCallback<_idlegrid_billing_v1_DepositResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Credits a customer's available balance from a payment rail.
   */
  deposit(argument: _idlegrid_billing_v1_DepositRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_DepositResponse__Output>): grpc.ClientUnaryCall;
  deposit(argument: _idlegrid_billing_v1_DepositRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_billing_v1_DepositResponse__Output>): grpc.ClientUnaryCall;
  deposit(argument: _idlegrid_billing_v1_DepositRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_DepositResponse__Output>): grpc.ClientUnaryCall;
  deposit(argument: _idlegrid_billing_v1_DepositRequest, callback: grpc.requestCallback<_idlegrid_billing_v1_DepositResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Once per epoch: pays each provider from the pool for its idle GPU-hours, at
   * a rate tapering as utilisation rises (INCENTIVE_SCHEDULE), within the epoch
   * cap and the pool. An epoch reported again pays nothing more.
   */
  EmitIncentives(argument: _idlegrid_billing_v1_EmitIncentivesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_EmitIncentivesResponse__Output>): grpc.ClientUnaryCall;
  EmitIncentives(argument: _idlegrid_billing_v1_EmitIncentivesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_billing_v1_EmitIncentivesResponse__Output>): grpc.ClientUnaryCall;
  EmitIncentives(argument: _idlegrid_billing_v1_EmitIncentivesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_EmitIncentivesResponse__Output>): grpc.ClientUnaryCall;
  EmitIncentives(argument: _idlegrid_billing_v1_EmitIncentivesRequest, callback: grpc.requestCallback<_idlegrid_billing_v1_EmitIncentivesResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Once per epoch: pays each provider from the pool for its idle GPU-hours, at
   * a rate tapering as utilisation rises (INCENTIVE_SCHEDULE), within the epoch
   * cap and the pool. An epoch reported again pays nothing more.
   */
  emitIncentives(argument: _idlegrid_billing_v1_EmitIncentivesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_EmitIncentivesResponse__Output>): grpc.ClientUnaryCall;
  emitIncentives(argument: _idlegrid_billing_v1_EmitIncentivesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_billing_v1_EmitIncentivesResponse__Output>): grpc.ClientUnaryCall;
  emitIncentives(argument: _idlegrid_billing_v1_EmitIncentivesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_EmitIncentivesResponse__Output>): grpc.ClientUnaryCall;
  emitIncentives(argument: _idlegrid_billing_v1_EmitIncentivesRequest, callback: grpc.requestCallback<_idlegrid_billing_v1_EmitIncentivesResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Treasury: moves GRID from a rail into the incentive pool; idempotent by funding_id.
   */
  FundIncentivePool(argument: _idlegrid_billing_v1_FundIncentivePoolRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_IncentivePoolResponse__Output>): grpc.ClientUnaryCall;
  FundIncentivePool(argument: _idlegrid_billing_v1_FundIncentivePoolRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_billing_v1_IncentivePoolResponse__Output>): grpc.ClientUnaryCall;
  FundIncentivePool(argument: _idlegrid_billing_v1_FundIncentivePoolRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_IncentivePoolResponse__Output>): grpc.ClientUnaryCall;
  FundIncentivePool(argument: _idlegrid_billing_v1_FundIncentivePoolRequest, callback: grpc.requestCallback<_idlegrid_billing_v1_IncentivePoolResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Treasury: moves GRID from a rail into the incentive pool; idempotent by funding_id.
   */
  fundIncentivePool(argument: _idlegrid_billing_v1_FundIncentivePoolRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_IncentivePoolResponse__Output>): grpc.ClientUnaryCall;
  fundIncentivePool(argument: _idlegrid_billing_v1_FundIncentivePoolRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_billing_v1_IncentivePoolResponse__Output>): grpc.ClientUnaryCall;
  fundIncentivePool(argument: _idlegrid_billing_v1_FundIncentivePoolRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_IncentivePoolResponse__Output>): grpc.ClientUnaryCall;
  fundIncentivePool(argument: _idlegrid_billing_v1_FundIncentivePoolRequest, callback: grpc.requestCallback<_idlegrid_billing_v1_IncentivePoolResponse__Output>): grpc.ClientUnaryCall;
  
  GetBalance(argument: _idlegrid_billing_v1_GetBalanceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_GetBalanceResponse__Output>): grpc.ClientUnaryCall;
  GetBalance(argument: _idlegrid_billing_v1_GetBalanceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_billing_v1_GetBalanceResponse__Output>): grpc.ClientUnaryCall;
  GetBalance(argument: _idlegrid_billing_v1_GetBalanceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_GetBalanceResponse__Output>): grpc.ClientUnaryCall;
  GetBalance(argument: _idlegrid_billing_v1_GetBalanceRequest, callback: grpc.requestCallback<_idlegrid_billing_v1_GetBalanceResponse__Output>): grpc.ClientUnaryCall;
  getBalance(argument: _idlegrid_billing_v1_GetBalanceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_GetBalanceResponse__Output>): grpc.ClientUnaryCall;
  getBalance(argument: _idlegrid_billing_v1_GetBalanceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_billing_v1_GetBalanceResponse__Output>): grpc.ClientUnaryCall;
  getBalance(argument: _idlegrid_billing_v1_GetBalanceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_GetBalanceResponse__Output>): grpc.ClientUnaryCall;
  getBalance(argument: _idlegrid_billing_v1_GetBalanceRequest, callback: grpc.requestCallback<_idlegrid_billing_v1_GetBalanceResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * What the incentive pool holds now (GRID).
   */
  GetIncentivePool(argument: _idlegrid_billing_v1_GetIncentivePoolRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_IncentivePoolResponse__Output>): grpc.ClientUnaryCall;
  GetIncentivePool(argument: _idlegrid_billing_v1_GetIncentivePoolRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_billing_v1_IncentivePoolResponse__Output>): grpc.ClientUnaryCall;
  GetIncentivePool(argument: _idlegrid_billing_v1_GetIncentivePoolRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_IncentivePoolResponse__Output>): grpc.ClientUnaryCall;
  GetIncentivePool(argument: _idlegrid_billing_v1_GetIncentivePoolRequest, callback: grpc.requestCallback<_idlegrid_billing_v1_IncentivePoolResponse__Output>): grpc.ClientUnaryCall;
  /**
   * What the incentive pool holds now (GRID).
   */
  getIncentivePool(argument: _idlegrid_billing_v1_GetIncentivePoolRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_IncentivePoolResponse__Output>): grpc.ClientUnaryCall;
  getIncentivePool(argument: _idlegrid_billing_v1_GetIncentivePoolRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_billing_v1_IncentivePoolResponse__Output>): grpc.ClientUnaryCall;
  getIncentivePool(argument: _idlegrid_billing_v1_GetIncentivePoolRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_IncentivePoolResponse__Output>): grpc.ClientUnaryCall;
  getIncentivePool(argument: _idlegrid_billing_v1_GetIncentivePoolRequest, callback: grpc.requestCallback<_idlegrid_billing_v1_IncentivePoolResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * What a job's hold came to: each run's work and charge, the fee, the release,
   * and the transfers (with their chain positions) that moved the money.
   */
  GetInvoice(argument: _idlegrid_billing_v1_GetInvoiceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_Invoice__Output>): grpc.ClientUnaryCall;
  GetInvoice(argument: _idlegrid_billing_v1_GetInvoiceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_billing_v1_Invoice__Output>): grpc.ClientUnaryCall;
  GetInvoice(argument: _idlegrid_billing_v1_GetInvoiceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_Invoice__Output>): grpc.ClientUnaryCall;
  GetInvoice(argument: _idlegrid_billing_v1_GetInvoiceRequest, callback: grpc.requestCallback<_idlegrid_billing_v1_Invoice__Output>): grpc.ClientUnaryCall;
  /**
   * What a job's hold came to: each run's work and charge, the fee, the release,
   * and the transfers (with their chain positions) that moved the money.
   */
  getInvoice(argument: _idlegrid_billing_v1_GetInvoiceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_Invoice__Output>): grpc.ClientUnaryCall;
  getInvoice(argument: _idlegrid_billing_v1_GetInvoiceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_billing_v1_Invoice__Output>): grpc.ClientUnaryCall;
  getInvoice(argument: _idlegrid_billing_v1_GetInvoiceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_Invoice__Output>): grpc.ClientUnaryCall;
  getInvoice(argument: _idlegrid_billing_v1_GetInvoiceRequest, callback: grpc.requestCallback<_idlegrid_billing_v1_Invoice__Output>): grpc.ClientUnaryCall;
  
  /**
   * A customer's limits, each with where this month stands.
   */
  GetSpendLimits(argument: _idlegrid_billing_v1_GetSpendLimitsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_GetSpendLimitsResponse__Output>): grpc.ClientUnaryCall;
  GetSpendLimits(argument: _idlegrid_billing_v1_GetSpendLimitsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_billing_v1_GetSpendLimitsResponse__Output>): grpc.ClientUnaryCall;
  GetSpendLimits(argument: _idlegrid_billing_v1_GetSpendLimitsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_GetSpendLimitsResponse__Output>): grpc.ClientUnaryCall;
  GetSpendLimits(argument: _idlegrid_billing_v1_GetSpendLimitsRequest, callback: grpc.requestCallback<_idlegrid_billing_v1_GetSpendLimitsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * A customer's limits, each with where this month stands.
   */
  getSpendLimits(argument: _idlegrid_billing_v1_GetSpendLimitsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_GetSpendLimitsResponse__Output>): grpc.ClientUnaryCall;
  getSpendLimits(argument: _idlegrid_billing_v1_GetSpendLimitsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_billing_v1_GetSpendLimitsResponse__Output>): grpc.ClientUnaryCall;
  getSpendLimits(argument: _idlegrid_billing_v1_GetSpendLimitsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_GetSpendLimitsResponse__Output>): grpc.ClientUnaryCall;
  getSpendLimits(argument: _idlegrid_billing_v1_GetSpendLimitsRequest, callback: grpc.requestCallback<_idlegrid_billing_v1_GetSpendLimitsResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * An owner's accounts in one currency over [from, to): opening balance, every
   * transfer with the balance it left, closing balance.
   */
  GetStatement(argument: _idlegrid_billing_v1_GetStatementRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_Statement__Output>): grpc.ClientUnaryCall;
  GetStatement(argument: _idlegrid_billing_v1_GetStatementRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_billing_v1_Statement__Output>): grpc.ClientUnaryCall;
  GetStatement(argument: _idlegrid_billing_v1_GetStatementRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_Statement__Output>): grpc.ClientUnaryCall;
  GetStatement(argument: _idlegrid_billing_v1_GetStatementRequest, callback: grpc.requestCallback<_idlegrid_billing_v1_Statement__Output>): grpc.ClientUnaryCall;
  /**
   * An owner's accounts in one currency over [from, to): opening balance, every
   * transfer with the balance it left, closing balance.
   */
  getStatement(argument: _idlegrid_billing_v1_GetStatementRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_Statement__Output>): grpc.ClientUnaryCall;
  getStatement(argument: _idlegrid_billing_v1_GetStatementRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_billing_v1_Statement__Output>): grpc.ClientUnaryCall;
  getStatement(argument: _idlegrid_billing_v1_GetStatementRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_Statement__Output>): grpc.ClientUnaryCall;
  getStatement(argument: _idlegrid_billing_v1_GetStatementRequest, callback: grpc.requestCallback<_idlegrid_billing_v1_Statement__Output>): grpc.ClientUnaryCall;
  
  ListConversionRates(argument: _idlegrid_billing_v1_ListConversionRatesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_ListConversionRatesResponse__Output>): grpc.ClientUnaryCall;
  ListConversionRates(argument: _idlegrid_billing_v1_ListConversionRatesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_billing_v1_ListConversionRatesResponse__Output>): grpc.ClientUnaryCall;
  ListConversionRates(argument: _idlegrid_billing_v1_ListConversionRatesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_ListConversionRatesResponse__Output>): grpc.ClientUnaryCall;
  ListConversionRates(argument: _idlegrid_billing_v1_ListConversionRatesRequest, callback: grpc.requestCallback<_idlegrid_billing_v1_ListConversionRatesResponse__Output>): grpc.ClientUnaryCall;
  listConversionRates(argument: _idlegrid_billing_v1_ListConversionRatesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_ListConversionRatesResponse__Output>): grpc.ClientUnaryCall;
  listConversionRates(argument: _idlegrid_billing_v1_ListConversionRatesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_billing_v1_ListConversionRatesResponse__Output>): grpc.ClientUnaryCall;
  listConversionRates(argument: _idlegrid_billing_v1_ListConversionRatesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_ListConversionRatesResponse__Output>): grpc.ClientUnaryCall;
  listConversionRates(argument: _idlegrid_billing_v1_ListConversionRatesRequest, callback: grpc.requestCallback<_idlegrid_billing_v1_ListConversionRatesResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Holds still pending that were placed a while ago, by id: for the gateway
   * to find holds whose job was never stored (a submission cut off by a crash).
   */
  ListPendingHolds(argument: _idlegrid_billing_v1_ListPendingHoldsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_ListPendingHoldsResponse__Output>): grpc.ClientUnaryCall;
  ListPendingHolds(argument: _idlegrid_billing_v1_ListPendingHoldsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_billing_v1_ListPendingHoldsResponse__Output>): grpc.ClientUnaryCall;
  ListPendingHolds(argument: _idlegrid_billing_v1_ListPendingHoldsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_ListPendingHoldsResponse__Output>): grpc.ClientUnaryCall;
  ListPendingHolds(argument: _idlegrid_billing_v1_ListPendingHoldsRequest, callback: grpc.requestCallback<_idlegrid_billing_v1_ListPendingHoldsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Holds still pending that were placed a while ago, by id: for the gateway
   * to find holds whose job was never stored (a submission cut off by a crash).
   */
  listPendingHolds(argument: _idlegrid_billing_v1_ListPendingHoldsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_ListPendingHoldsResponse__Output>): grpc.ClientUnaryCall;
  listPendingHolds(argument: _idlegrid_billing_v1_ListPendingHoldsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_billing_v1_ListPendingHoldsResponse__Output>): grpc.ClientUnaryCall;
  listPendingHolds(argument: _idlegrid_billing_v1_ListPendingHoldsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_ListPendingHoldsResponse__Output>): grpc.ClientUnaryCall;
  listPendingHolds(argument: _idlegrid_billing_v1_ListPendingHoldsRequest, callback: grpc.requestCallback<_idlegrid_billing_v1_ListPendingHoldsResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Moves funds from available to held. FAILED_PRECONDITION when the balance is too low.
   */
  PlaceHold(argument: _idlegrid_billing_v1_PlaceHoldRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_HoldResponse__Output>): grpc.ClientUnaryCall;
  PlaceHold(argument: _idlegrid_billing_v1_PlaceHoldRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_billing_v1_HoldResponse__Output>): grpc.ClientUnaryCall;
  PlaceHold(argument: _idlegrid_billing_v1_PlaceHoldRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_HoldResponse__Output>): grpc.ClientUnaryCall;
  PlaceHold(argument: _idlegrid_billing_v1_PlaceHoldRequest, callback: grpc.requestCallback<_idlegrid_billing_v1_HoldResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Moves funds from available to held. FAILED_PRECONDITION when the balance is too low.
   */
  placeHold(argument: _idlegrid_billing_v1_PlaceHoldRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_HoldResponse__Output>): grpc.ClientUnaryCall;
  placeHold(argument: _idlegrid_billing_v1_PlaceHoldRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_billing_v1_HoldResponse__Output>): grpc.ClientUnaryCall;
  placeHold(argument: _idlegrid_billing_v1_PlaceHoldRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_HoldResponse__Output>): grpc.ClientUnaryCall;
  placeHold(argument: _idlegrid_billing_v1_PlaceHoldRequest, callback: grpc.requestCallback<_idlegrid_billing_v1_HoldResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * PlaceHold for many holds in one call (the gateway batches submissions):
   * one outcome per hold, in order; a hold refused (funds, rate, a reused id)
   * is refused alone.
   */
  PlaceHolds(argument: _idlegrid_billing_v1_PlaceHoldsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_PlaceHoldsResponse__Output>): grpc.ClientUnaryCall;
  PlaceHolds(argument: _idlegrid_billing_v1_PlaceHoldsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_billing_v1_PlaceHoldsResponse__Output>): grpc.ClientUnaryCall;
  PlaceHolds(argument: _idlegrid_billing_v1_PlaceHoldsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_PlaceHoldsResponse__Output>): grpc.ClientUnaryCall;
  PlaceHolds(argument: _idlegrid_billing_v1_PlaceHoldsRequest, callback: grpc.requestCallback<_idlegrid_billing_v1_PlaceHoldsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * PlaceHold for many holds in one call (the gateway batches submissions):
   * one outcome per hold, in order; a hold refused (funds, rate, a reused id)
   * is refused alone.
   */
  placeHolds(argument: _idlegrid_billing_v1_PlaceHoldsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_PlaceHoldsResponse__Output>): grpc.ClientUnaryCall;
  placeHolds(argument: _idlegrid_billing_v1_PlaceHoldsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_billing_v1_PlaceHoldsResponse__Output>): grpc.ClientUnaryCall;
  placeHolds(argument: _idlegrid_billing_v1_PlaceHoldsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_PlaceHoldsResponse__Output>): grpc.ClientUnaryCall;
  placeHolds(argument: _idlegrid_billing_v1_PlaceHoldsRequest, callback: grpc.requestCallback<_idlegrid_billing_v1_PlaceHoldsResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Operators: refunds a settled job's holds whole (one, or a render job's
   * chunks) — every settlement transfer (each run's provider leg and fee)
   * reversed in one posting, so the customer gets back all it was charged.
   * All or nothing, once per hold: a retry with the same reason replays,
   * another reason is ALREADY_EXISTS. FAILED_PRECONDITION for a hold not
   * settled or that charged nothing, and when a provider has been paid out
   * what the job earned it (then nothing is refunded).
   */
  RefundHolds(argument: _idlegrid_billing_v1_RefundHoldsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_RefundHoldsResponse__Output>): grpc.ClientUnaryCall;
  RefundHolds(argument: _idlegrid_billing_v1_RefundHoldsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_billing_v1_RefundHoldsResponse__Output>): grpc.ClientUnaryCall;
  RefundHolds(argument: _idlegrid_billing_v1_RefundHoldsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_RefundHoldsResponse__Output>): grpc.ClientUnaryCall;
  RefundHolds(argument: _idlegrid_billing_v1_RefundHoldsRequest, callback: grpc.requestCallback<_idlegrid_billing_v1_RefundHoldsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Operators: refunds a settled job's holds whole (one, or a render job's
   * chunks) — every settlement transfer (each run's provider leg and fee)
   * reversed in one posting, so the customer gets back all it was charged.
   * All or nothing, once per hold: a retry with the same reason replays,
   * another reason is ALREADY_EXISTS. FAILED_PRECONDITION for a hold not
   * settled or that charged nothing, and when a provider has been paid out
   * what the job earned it (then nothing is refunded).
   */
  refundHolds(argument: _idlegrid_billing_v1_RefundHoldsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_RefundHoldsResponse__Output>): grpc.ClientUnaryCall;
  refundHolds(argument: _idlegrid_billing_v1_RefundHoldsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_billing_v1_RefundHoldsResponse__Output>): grpc.ClientUnaryCall;
  refundHolds(argument: _idlegrid_billing_v1_RefundHoldsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_RefundHoldsResponse__Output>): grpc.ClientUnaryCall;
  refundHolds(argument: _idlegrid_billing_v1_RefundHoldsRequest, callback: grpc.requestCallback<_idlegrid_billing_v1_RefundHoldsResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * NOT_FOUND when the customer has no limit in that currency.
   */
  RemoveSpendLimit(argument: _idlegrid_billing_v1_RemoveSpendLimitRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_RemoveSpendLimitResponse__Output>): grpc.ClientUnaryCall;
  RemoveSpendLimit(argument: _idlegrid_billing_v1_RemoveSpendLimitRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_billing_v1_RemoveSpendLimitResponse__Output>): grpc.ClientUnaryCall;
  RemoveSpendLimit(argument: _idlegrid_billing_v1_RemoveSpendLimitRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_RemoveSpendLimitResponse__Output>): grpc.ClientUnaryCall;
  RemoveSpendLimit(argument: _idlegrid_billing_v1_RemoveSpendLimitRequest, callback: grpc.requestCallback<_idlegrid_billing_v1_RemoveSpendLimitResponse__Output>): grpc.ClientUnaryCall;
  /**
   * NOT_FOUND when the customer has no limit in that currency.
   */
  removeSpendLimit(argument: _idlegrid_billing_v1_RemoveSpendLimitRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_RemoveSpendLimitResponse__Output>): grpc.ClientUnaryCall;
  removeSpendLimit(argument: _idlegrid_billing_v1_RemoveSpendLimitRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_billing_v1_RemoveSpendLimitResponse__Output>): grpc.ClientUnaryCall;
  removeSpendLimit(argument: _idlegrid_billing_v1_RemoveSpendLimitRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_RemoveSpendLimitResponse__Output>): grpc.ClientUnaryCall;
  removeSpendLimit(argument: _idlegrid_billing_v1_RemoveSpendLimitRequest, callback: grpc.requestCallback<_idlegrid_billing_v1_RemoveSpendLimitResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Pays a provider's earnings out to a rail. FAILED_PRECONDITION below the
   * currency's minimum payout or beyond what was earned; idempotent by payout_id.
   */
  RequestPayout(argument: _idlegrid_billing_v1_RequestPayoutRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_RequestPayoutResponse__Output>): grpc.ClientUnaryCall;
  RequestPayout(argument: _idlegrid_billing_v1_RequestPayoutRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_billing_v1_RequestPayoutResponse__Output>): grpc.ClientUnaryCall;
  RequestPayout(argument: _idlegrid_billing_v1_RequestPayoutRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_RequestPayoutResponse__Output>): grpc.ClientUnaryCall;
  RequestPayout(argument: _idlegrid_billing_v1_RequestPayoutRequest, callback: grpc.requestCallback<_idlegrid_billing_v1_RequestPayoutResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Pays a provider's earnings out to a rail. FAILED_PRECONDITION below the
   * currency's minimum payout or beyond what was earned; idempotent by payout_id.
   */
  requestPayout(argument: _idlegrid_billing_v1_RequestPayoutRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_RequestPayoutResponse__Output>): grpc.ClientUnaryCall;
  requestPayout(argument: _idlegrid_billing_v1_RequestPayoutRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_billing_v1_RequestPayoutResponse__Output>): grpc.ClientUnaryCall;
  requestPayout(argument: _idlegrid_billing_v1_RequestPayoutRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_RequestPayoutResponse__Output>): grpc.ClientUnaryCall;
  requestPayout(argument: _idlegrid_billing_v1_RequestPayoutRequest, callback: grpc.requestCallback<_idlegrid_billing_v1_RequestPayoutResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Corrects a transfer by posting its reversal (transfers are never edited).
   * At most once per transfer; FAILED_PRECONDITION for a kind that cannot be
   * reversed (hold legs, voids, releases, reversals) or when the money has
   * already been spent.
   */
  ReverseTransfer(argument: _idlegrid_billing_v1_ReverseTransferRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_ReverseTransferResponse__Output>): grpc.ClientUnaryCall;
  ReverseTransfer(argument: _idlegrid_billing_v1_ReverseTransferRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_billing_v1_ReverseTransferResponse__Output>): grpc.ClientUnaryCall;
  ReverseTransfer(argument: _idlegrid_billing_v1_ReverseTransferRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_ReverseTransferResponse__Output>): grpc.ClientUnaryCall;
  ReverseTransfer(argument: _idlegrid_billing_v1_ReverseTransferRequest, callback: grpc.requestCallback<_idlegrid_billing_v1_ReverseTransferResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Corrects a transfer by posting its reversal (transfers are never edited).
   * At most once per transfer; FAILED_PRECONDITION for a kind that cannot be
   * reversed (hold legs, voids, releases, reversals) or when the money has
   * already been spent.
   */
  reverseTransfer(argument: _idlegrid_billing_v1_ReverseTransferRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_ReverseTransferResponse__Output>): grpc.ClientUnaryCall;
  reverseTransfer(argument: _idlegrid_billing_v1_ReverseTransferRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_billing_v1_ReverseTransferResponse__Output>): grpc.ClientUnaryCall;
  reverseTransfer(argument: _idlegrid_billing_v1_ReverseTransferRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_ReverseTransferResponse__Output>): grpc.ClientUnaryCall;
  reverseTransfer(argument: _idlegrid_billing_v1_ReverseTransferRequest, callback: grpc.requestCallback<_idlegrid_billing_v1_ReverseTransferResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Operators: sets a currency's conversion rate (micros of it per 1 USD).
   * Holds placed from then on keep it; holds already placed keep theirs.
   */
  SetConversionRate(argument: _idlegrid_billing_v1_SetConversionRateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_ConversionRate__Output>): grpc.ClientUnaryCall;
  SetConversionRate(argument: _idlegrid_billing_v1_SetConversionRateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_billing_v1_ConversionRate__Output>): grpc.ClientUnaryCall;
  SetConversionRate(argument: _idlegrid_billing_v1_SetConversionRateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_ConversionRate__Output>): grpc.ClientUnaryCall;
  SetConversionRate(argument: _idlegrid_billing_v1_SetConversionRateRequest, callback: grpc.requestCallback<_idlegrid_billing_v1_ConversionRate__Output>): grpc.ClientUnaryCall;
  /**
   * Operators: sets a currency's conversion rate (micros of it per 1 USD).
   * Holds placed from then on keep it; holds already placed keep theirs.
   */
  setConversionRate(argument: _idlegrid_billing_v1_SetConversionRateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_ConversionRate__Output>): grpc.ClientUnaryCall;
  setConversionRate(argument: _idlegrid_billing_v1_SetConversionRateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_billing_v1_ConversionRate__Output>): grpc.ClientUnaryCall;
  setConversionRate(argument: _idlegrid_billing_v1_SetConversionRateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_ConversionRate__Output>): grpc.ClientUnaryCall;
  setConversionRate(argument: _idlegrid_billing_v1_SetConversionRateRequest, callback: grpc.requestCallback<_idlegrid_billing_v1_ConversionRate__Output>): grpc.ClientUnaryCall;
  
  /**
   * Sets (or replaces) a customer's monthly spending limit in a currency: a
   * hold that would take this calendar month's charges (UTC) plus what is held
   * past it is refused with code spend_limit_exceeded. Running jobs go on.
   */
  SetSpendLimit(argument: _idlegrid_billing_v1_SetSpendLimitRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_SpendLimit__Output>): grpc.ClientUnaryCall;
  SetSpendLimit(argument: _idlegrid_billing_v1_SetSpendLimitRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_billing_v1_SpendLimit__Output>): grpc.ClientUnaryCall;
  SetSpendLimit(argument: _idlegrid_billing_v1_SetSpendLimitRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_SpendLimit__Output>): grpc.ClientUnaryCall;
  SetSpendLimit(argument: _idlegrid_billing_v1_SetSpendLimitRequest, callback: grpc.requestCallback<_idlegrid_billing_v1_SpendLimit__Output>): grpc.ClientUnaryCall;
  /**
   * Sets (or replaces) a customer's monthly spending limit in a currency: a
   * hold that would take this calendar month's charges (UTC) plus what is held
   * past it is refused with code spend_limit_exceeded. Running jobs go on.
   */
  setSpendLimit(argument: _idlegrid_billing_v1_SetSpendLimitRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_SpendLimit__Output>): grpc.ClientUnaryCall;
  setSpendLimit(argument: _idlegrid_billing_v1_SetSpendLimitRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_billing_v1_SpendLimit__Output>): grpc.ClientUnaryCall;
  setSpendLimit(argument: _idlegrid_billing_v1_SetSpendLimitRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_SpendLimit__Output>): grpc.ClientUnaryCall;
  setSpendLimit(argument: _idlegrid_billing_v1_SetSpendLimitRequest, callback: grpc.requestCallback<_idlegrid_billing_v1_SpendLimit__Output>): grpc.ClientUnaryCall;
  
  /**
   * Captures part of a hold for delivered work: the provider earns it less the
   * platform fee, the fee goes to the platform, the rest returns to the customer.
   */
  SettleHold(argument: _idlegrid_billing_v1_SettleHoldRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_SettleHoldResponse__Output>): grpc.ClientUnaryCall;
  SettleHold(argument: _idlegrid_billing_v1_SettleHoldRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_billing_v1_SettleHoldResponse__Output>): grpc.ClientUnaryCall;
  SettleHold(argument: _idlegrid_billing_v1_SettleHoldRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_SettleHoldResponse__Output>): grpc.ClientUnaryCall;
  SettleHold(argument: _idlegrid_billing_v1_SettleHoldRequest, callback: grpc.requestCallback<_idlegrid_billing_v1_SettleHoldResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Captures part of a hold for delivered work: the provider earns it less the
   * platform fee, the fee goes to the platform, the rest returns to the customer.
   */
  settleHold(argument: _idlegrid_billing_v1_SettleHoldRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_SettleHoldResponse__Output>): grpc.ClientUnaryCall;
  settleHold(argument: _idlegrid_billing_v1_SettleHoldRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_billing_v1_SettleHoldResponse__Output>): grpc.ClientUnaryCall;
  settleHold(argument: _idlegrid_billing_v1_SettleHoldRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_SettleHoldResponse__Output>): grpc.ClientUnaryCall;
  settleHold(argument: _idlegrid_billing_v1_SettleHoldRequest, callback: grpc.requestCallback<_idlegrid_billing_v1_SettleHoldResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Returns a whole hold to the customer.
   */
  VoidHold(argument: _idlegrid_billing_v1_VoidHoldRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_HoldResponse__Output>): grpc.ClientUnaryCall;
  VoidHold(argument: _idlegrid_billing_v1_VoidHoldRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_billing_v1_HoldResponse__Output>): grpc.ClientUnaryCall;
  VoidHold(argument: _idlegrid_billing_v1_VoidHoldRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_HoldResponse__Output>): grpc.ClientUnaryCall;
  VoidHold(argument: _idlegrid_billing_v1_VoidHoldRequest, callback: grpc.requestCallback<_idlegrid_billing_v1_HoldResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Returns a whole hold to the customer.
   */
  voidHold(argument: _idlegrid_billing_v1_VoidHoldRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_HoldResponse__Output>): grpc.ClientUnaryCall;
  voidHold(argument: _idlegrid_billing_v1_VoidHoldRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_billing_v1_HoldResponse__Output>): grpc.ClientUnaryCall;
  voidHold(argument: _idlegrid_billing_v1_VoidHoldRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_billing_v1_HoldResponse__Output>): grpc.ClientUnaryCall;
  voidHold(argument: _idlegrid_billing_v1_VoidHoldRequest, callback: grpc.requestCallback<_idlegrid_billing_v1_HoldResponse__Output>): grpc.ClientUnaryCall;
  
}

/**
 * The ledger: holds funds for jobs, settles them, reports balances. Every
 * mutating call carries a client-chosen id that makes it idempotent.
 */
export interface BillingServiceHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Credits a customer's available balance from a payment rail.
   */
  Deposit: grpc.handleUnaryCall<_idlegrid_billing_v1_DepositRequest__Output, _idlegrid_billing_v1_DepositResponse>;
  
  /**
   * Once per epoch: pays each provider from the pool for its idle GPU-hours, at
   * a rate tapering as utilisation rises (INCENTIVE_SCHEDULE), within the epoch
   * cap and the pool. An epoch reported again pays nothing more.
   */
  EmitIncentives: grpc.handleUnaryCall<_idlegrid_billing_v1_EmitIncentivesRequest__Output, _idlegrid_billing_v1_EmitIncentivesResponse>;
  
  /**
   * Treasury: moves GRID from a rail into the incentive pool; idempotent by funding_id.
   */
  FundIncentivePool: grpc.handleUnaryCall<_idlegrid_billing_v1_FundIncentivePoolRequest__Output, _idlegrid_billing_v1_IncentivePoolResponse>;
  
  GetBalance: grpc.handleUnaryCall<_idlegrid_billing_v1_GetBalanceRequest__Output, _idlegrid_billing_v1_GetBalanceResponse>;
  
  /**
   * What the incentive pool holds now (GRID).
   */
  GetIncentivePool: grpc.handleUnaryCall<_idlegrid_billing_v1_GetIncentivePoolRequest__Output, _idlegrid_billing_v1_IncentivePoolResponse>;
  
  /**
   * What a job's hold came to: each run's work and charge, the fee, the release,
   * and the transfers (with their chain positions) that moved the money.
   */
  GetInvoice: grpc.handleUnaryCall<_idlegrid_billing_v1_GetInvoiceRequest__Output, _idlegrid_billing_v1_Invoice>;
  
  /**
   * A customer's limits, each with where this month stands.
   */
  GetSpendLimits: grpc.handleUnaryCall<_idlegrid_billing_v1_GetSpendLimitsRequest__Output, _idlegrid_billing_v1_GetSpendLimitsResponse>;
  
  /**
   * An owner's accounts in one currency over [from, to): opening balance, every
   * transfer with the balance it left, closing balance.
   */
  GetStatement: grpc.handleUnaryCall<_idlegrid_billing_v1_GetStatementRequest__Output, _idlegrid_billing_v1_Statement>;
  
  ListConversionRates: grpc.handleUnaryCall<_idlegrid_billing_v1_ListConversionRatesRequest__Output, _idlegrid_billing_v1_ListConversionRatesResponse>;
  
  /**
   * Holds still pending that were placed a while ago, by id: for the gateway
   * to find holds whose job was never stored (a submission cut off by a crash).
   */
  ListPendingHolds: grpc.handleUnaryCall<_idlegrid_billing_v1_ListPendingHoldsRequest__Output, _idlegrid_billing_v1_ListPendingHoldsResponse>;
  
  /**
   * Moves funds from available to held. FAILED_PRECONDITION when the balance is too low.
   */
  PlaceHold: grpc.handleUnaryCall<_idlegrid_billing_v1_PlaceHoldRequest__Output, _idlegrid_billing_v1_HoldResponse>;
  
  /**
   * PlaceHold for many holds in one call (the gateway batches submissions):
   * one outcome per hold, in order; a hold refused (funds, rate, a reused id)
   * is refused alone.
   */
  PlaceHolds: grpc.handleUnaryCall<_idlegrid_billing_v1_PlaceHoldsRequest__Output, _idlegrid_billing_v1_PlaceHoldsResponse>;
  
  /**
   * Operators: refunds a settled job's holds whole (one, or a render job's
   * chunks) — every settlement transfer (each run's provider leg and fee)
   * reversed in one posting, so the customer gets back all it was charged.
   * All or nothing, once per hold: a retry with the same reason replays,
   * another reason is ALREADY_EXISTS. FAILED_PRECONDITION for a hold not
   * settled or that charged nothing, and when a provider has been paid out
   * what the job earned it (then nothing is refunded).
   */
  RefundHolds: grpc.handleUnaryCall<_idlegrid_billing_v1_RefundHoldsRequest__Output, _idlegrid_billing_v1_RefundHoldsResponse>;
  
  /**
   * NOT_FOUND when the customer has no limit in that currency.
   */
  RemoveSpendLimit: grpc.handleUnaryCall<_idlegrid_billing_v1_RemoveSpendLimitRequest__Output, _idlegrid_billing_v1_RemoveSpendLimitResponse>;
  
  /**
   * Pays a provider's earnings out to a rail. FAILED_PRECONDITION below the
   * currency's minimum payout or beyond what was earned; idempotent by payout_id.
   */
  RequestPayout: grpc.handleUnaryCall<_idlegrid_billing_v1_RequestPayoutRequest__Output, _idlegrid_billing_v1_RequestPayoutResponse>;
  
  /**
   * Corrects a transfer by posting its reversal (transfers are never edited).
   * At most once per transfer; FAILED_PRECONDITION for a kind that cannot be
   * reversed (hold legs, voids, releases, reversals) or when the money has
   * already been spent.
   */
  ReverseTransfer: grpc.handleUnaryCall<_idlegrid_billing_v1_ReverseTransferRequest__Output, _idlegrid_billing_v1_ReverseTransferResponse>;
  
  /**
   * Operators: sets a currency's conversion rate (micros of it per 1 USD).
   * Holds placed from then on keep it; holds already placed keep theirs.
   */
  SetConversionRate: grpc.handleUnaryCall<_idlegrid_billing_v1_SetConversionRateRequest__Output, _idlegrid_billing_v1_ConversionRate>;
  
  /**
   * Sets (or replaces) a customer's monthly spending limit in a currency: a
   * hold that would take this calendar month's charges (UTC) plus what is held
   * past it is refused with code spend_limit_exceeded. Running jobs go on.
   */
  SetSpendLimit: grpc.handleUnaryCall<_idlegrid_billing_v1_SetSpendLimitRequest__Output, _idlegrid_billing_v1_SpendLimit>;
  
  /**
   * Captures part of a hold for delivered work: the provider earns it less the
   * platform fee, the fee goes to the platform, the rest returns to the customer.
   */
  SettleHold: grpc.handleUnaryCall<_idlegrid_billing_v1_SettleHoldRequest__Output, _idlegrid_billing_v1_SettleHoldResponse>;
  
  /**
   * Returns a whole hold to the customer.
   */
  VoidHold: grpc.handleUnaryCall<_idlegrid_billing_v1_VoidHoldRequest__Output, _idlegrid_billing_v1_HoldResponse>;
  
}

export interface BillingServiceDefinition extends grpc.ServiceDefinition {
  Deposit: MethodDefinition<_idlegrid_billing_v1_DepositRequest, _idlegrid_billing_v1_DepositResponse, _idlegrid_billing_v1_DepositRequest__Output, _idlegrid_billing_v1_DepositResponse__Output>
  EmitIncentives: MethodDefinition<_idlegrid_billing_v1_EmitIncentivesRequest, _idlegrid_billing_v1_EmitIncentivesResponse, _idlegrid_billing_v1_EmitIncentivesRequest__Output, _idlegrid_billing_v1_EmitIncentivesResponse__Output>
  FundIncentivePool: MethodDefinition<_idlegrid_billing_v1_FundIncentivePoolRequest, _idlegrid_billing_v1_IncentivePoolResponse, _idlegrid_billing_v1_FundIncentivePoolRequest__Output, _idlegrid_billing_v1_IncentivePoolResponse__Output>
  GetBalance: MethodDefinition<_idlegrid_billing_v1_GetBalanceRequest, _idlegrid_billing_v1_GetBalanceResponse, _idlegrid_billing_v1_GetBalanceRequest__Output, _idlegrid_billing_v1_GetBalanceResponse__Output>
  GetIncentivePool: MethodDefinition<_idlegrid_billing_v1_GetIncentivePoolRequest, _idlegrid_billing_v1_IncentivePoolResponse, _idlegrid_billing_v1_GetIncentivePoolRequest__Output, _idlegrid_billing_v1_IncentivePoolResponse__Output>
  GetInvoice: MethodDefinition<_idlegrid_billing_v1_GetInvoiceRequest, _idlegrid_billing_v1_Invoice, _idlegrid_billing_v1_GetInvoiceRequest__Output, _idlegrid_billing_v1_Invoice__Output>
  GetSpendLimits: MethodDefinition<_idlegrid_billing_v1_GetSpendLimitsRequest, _idlegrid_billing_v1_GetSpendLimitsResponse, _idlegrid_billing_v1_GetSpendLimitsRequest__Output, _idlegrid_billing_v1_GetSpendLimitsResponse__Output>
  GetStatement: MethodDefinition<_idlegrid_billing_v1_GetStatementRequest, _idlegrid_billing_v1_Statement, _idlegrid_billing_v1_GetStatementRequest__Output, _idlegrid_billing_v1_Statement__Output>
  ListConversionRates: MethodDefinition<_idlegrid_billing_v1_ListConversionRatesRequest, _idlegrid_billing_v1_ListConversionRatesResponse, _idlegrid_billing_v1_ListConversionRatesRequest__Output, _idlegrid_billing_v1_ListConversionRatesResponse__Output>
  ListPendingHolds: MethodDefinition<_idlegrid_billing_v1_ListPendingHoldsRequest, _idlegrid_billing_v1_ListPendingHoldsResponse, _idlegrid_billing_v1_ListPendingHoldsRequest__Output, _idlegrid_billing_v1_ListPendingHoldsResponse__Output>
  PlaceHold: MethodDefinition<_idlegrid_billing_v1_PlaceHoldRequest, _idlegrid_billing_v1_HoldResponse, _idlegrid_billing_v1_PlaceHoldRequest__Output, _idlegrid_billing_v1_HoldResponse__Output>
  PlaceHolds: MethodDefinition<_idlegrid_billing_v1_PlaceHoldsRequest, _idlegrid_billing_v1_PlaceHoldsResponse, _idlegrid_billing_v1_PlaceHoldsRequest__Output, _idlegrid_billing_v1_PlaceHoldsResponse__Output>
  RefundHolds: MethodDefinition<_idlegrid_billing_v1_RefundHoldsRequest, _idlegrid_billing_v1_RefundHoldsResponse, _idlegrid_billing_v1_RefundHoldsRequest__Output, _idlegrid_billing_v1_RefundHoldsResponse__Output>
  RemoveSpendLimit: MethodDefinition<_idlegrid_billing_v1_RemoveSpendLimitRequest, _idlegrid_billing_v1_RemoveSpendLimitResponse, _idlegrid_billing_v1_RemoveSpendLimitRequest__Output, _idlegrid_billing_v1_RemoveSpendLimitResponse__Output>
  RequestPayout: MethodDefinition<_idlegrid_billing_v1_RequestPayoutRequest, _idlegrid_billing_v1_RequestPayoutResponse, _idlegrid_billing_v1_RequestPayoutRequest__Output, _idlegrid_billing_v1_RequestPayoutResponse__Output>
  ReverseTransfer: MethodDefinition<_idlegrid_billing_v1_ReverseTransferRequest, _idlegrid_billing_v1_ReverseTransferResponse, _idlegrid_billing_v1_ReverseTransferRequest__Output, _idlegrid_billing_v1_ReverseTransferResponse__Output>
  SetConversionRate: MethodDefinition<_idlegrid_billing_v1_SetConversionRateRequest, _idlegrid_billing_v1_ConversionRate, _idlegrid_billing_v1_SetConversionRateRequest__Output, _idlegrid_billing_v1_ConversionRate__Output>
  SetSpendLimit: MethodDefinition<_idlegrid_billing_v1_SetSpendLimitRequest, _idlegrid_billing_v1_SpendLimit, _idlegrid_billing_v1_SetSpendLimitRequest__Output, _idlegrid_billing_v1_SpendLimit__Output>
  SettleHold: MethodDefinition<_idlegrid_billing_v1_SettleHoldRequest, _idlegrid_billing_v1_SettleHoldResponse, _idlegrid_billing_v1_SettleHoldRequest__Output, _idlegrid_billing_v1_SettleHoldResponse__Output>
  VoidHold: MethodDefinition<_idlegrid_billing_v1_VoidHoldRequest, _idlegrid_billing_v1_HoldResponse, _idlegrid_billing_v1_VoidHoldRequest__Output, _idlegrid_billing_v1_HoldResponse__Output>
}
