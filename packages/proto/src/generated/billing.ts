import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { AccountStatement as _idlegrid_billing_v1_AccountStatement, AccountStatement__Output as _idlegrid_billing_v1_AccountStatement__Output } from './idlegrid/billing/v1/AccountStatement.js';
import type { BillingServiceClient as _idlegrid_billing_v1_BillingServiceClient, BillingServiceDefinition as _idlegrid_billing_v1_BillingServiceDefinition } from './idlegrid/billing/v1/BillingService.js';
import type { ConversionRate as _idlegrid_billing_v1_ConversionRate, ConversionRate__Output as _idlegrid_billing_v1_ConversionRate__Output } from './idlegrid/billing/v1/ConversionRate.js';
import type { DepositRequest as _idlegrid_billing_v1_DepositRequest, DepositRequest__Output as _idlegrid_billing_v1_DepositRequest__Output } from './idlegrid/billing/v1/DepositRequest.js';
import type { DepositResponse as _idlegrid_billing_v1_DepositResponse, DepositResponse__Output as _idlegrid_billing_v1_DepositResponse__Output } from './idlegrid/billing/v1/DepositResponse.js';
import type { EmitIncentivesRequest as _idlegrid_billing_v1_EmitIncentivesRequest, EmitIncentivesRequest__Output as _idlegrid_billing_v1_EmitIncentivesRequest__Output } from './idlegrid/billing/v1/EmitIncentivesRequest.js';
import type { EmitIncentivesResponse as _idlegrid_billing_v1_EmitIncentivesResponse, EmitIncentivesResponse__Output as _idlegrid_billing_v1_EmitIncentivesResponse__Output } from './idlegrid/billing/v1/EmitIncentivesResponse.js';
import type { FundIncentivePoolRequest as _idlegrid_billing_v1_FundIncentivePoolRequest, FundIncentivePoolRequest__Output as _idlegrid_billing_v1_FundIncentivePoolRequest__Output } from './idlegrid/billing/v1/FundIncentivePoolRequest.js';
import type { GetBalanceRequest as _idlegrid_billing_v1_GetBalanceRequest, GetBalanceRequest__Output as _idlegrid_billing_v1_GetBalanceRequest__Output } from './idlegrid/billing/v1/GetBalanceRequest.js';
import type { GetBalanceResponse as _idlegrid_billing_v1_GetBalanceResponse, GetBalanceResponse__Output as _idlegrid_billing_v1_GetBalanceResponse__Output } from './idlegrid/billing/v1/GetBalanceResponse.js';
import type { GetIncentivePoolRequest as _idlegrid_billing_v1_GetIncentivePoolRequest, GetIncentivePoolRequest__Output as _idlegrid_billing_v1_GetIncentivePoolRequest__Output } from './idlegrid/billing/v1/GetIncentivePoolRequest.js';
import type { GetInvoiceRequest as _idlegrid_billing_v1_GetInvoiceRequest, GetInvoiceRequest__Output as _idlegrid_billing_v1_GetInvoiceRequest__Output } from './idlegrid/billing/v1/GetInvoiceRequest.js';
import type { GetSpendLimitsRequest as _idlegrid_billing_v1_GetSpendLimitsRequest, GetSpendLimitsRequest__Output as _idlegrid_billing_v1_GetSpendLimitsRequest__Output } from './idlegrid/billing/v1/GetSpendLimitsRequest.js';
import type { GetSpendLimitsResponse as _idlegrid_billing_v1_GetSpendLimitsResponse, GetSpendLimitsResponse__Output as _idlegrid_billing_v1_GetSpendLimitsResponse__Output } from './idlegrid/billing/v1/GetSpendLimitsResponse.js';
import type { GetStatementRequest as _idlegrid_billing_v1_GetStatementRequest, GetStatementRequest__Output as _idlegrid_billing_v1_GetStatementRequest__Output } from './idlegrid/billing/v1/GetStatementRequest.js';
import type { HoldOutcome as _idlegrid_billing_v1_HoldOutcome, HoldOutcome__Output as _idlegrid_billing_v1_HoldOutcome__Output } from './idlegrid/billing/v1/HoldOutcome.js';
import type { HoldResponse as _idlegrid_billing_v1_HoldResponse, HoldResponse__Output as _idlegrid_billing_v1_HoldResponse__Output } from './idlegrid/billing/v1/HoldResponse.js';
import type { IncentivePoolResponse as _idlegrid_billing_v1_IncentivePoolResponse, IncentivePoolResponse__Output as _idlegrid_billing_v1_IncentivePoolResponse__Output } from './idlegrid/billing/v1/IncentivePoolResponse.js';
import type { Invoice as _idlegrid_billing_v1_Invoice, Invoice__Output as _idlegrid_billing_v1_Invoice__Output } from './idlegrid/billing/v1/Invoice.js';
import type { InvoiceLine as _idlegrid_billing_v1_InvoiceLine, InvoiceLine__Output as _idlegrid_billing_v1_InvoiceLine__Output } from './idlegrid/billing/v1/InvoiceLine.js';
import type { LedgerEntry as _idlegrid_billing_v1_LedgerEntry, LedgerEntry__Output as _idlegrid_billing_v1_LedgerEntry__Output } from './idlegrid/billing/v1/LedgerEntry.js';
import type { ListConversionRatesRequest as _idlegrid_billing_v1_ListConversionRatesRequest, ListConversionRatesRequest__Output as _idlegrid_billing_v1_ListConversionRatesRequest__Output } from './idlegrid/billing/v1/ListConversionRatesRequest.js';
import type { ListConversionRatesResponse as _idlegrid_billing_v1_ListConversionRatesResponse, ListConversionRatesResponse__Output as _idlegrid_billing_v1_ListConversionRatesResponse__Output } from './idlegrid/billing/v1/ListConversionRatesResponse.js';
import type { ListPendingHoldsRequest as _idlegrid_billing_v1_ListPendingHoldsRequest, ListPendingHoldsRequest__Output as _idlegrid_billing_v1_ListPendingHoldsRequest__Output } from './idlegrid/billing/v1/ListPendingHoldsRequest.js';
import type { ListPendingHoldsResponse as _idlegrid_billing_v1_ListPendingHoldsResponse, ListPendingHoldsResponse__Output as _idlegrid_billing_v1_ListPendingHoldsResponse__Output } from './idlegrid/billing/v1/ListPendingHoldsResponse.js';
import type { PendingHold as _idlegrid_billing_v1_PendingHold, PendingHold__Output as _idlegrid_billing_v1_PendingHold__Output } from './idlegrid/billing/v1/PendingHold.js';
import type { PlaceHoldRequest as _idlegrid_billing_v1_PlaceHoldRequest, PlaceHoldRequest__Output as _idlegrid_billing_v1_PlaceHoldRequest__Output } from './idlegrid/billing/v1/PlaceHoldRequest.js';
import type { PlaceHoldsRequest as _idlegrid_billing_v1_PlaceHoldsRequest, PlaceHoldsRequest__Output as _idlegrid_billing_v1_PlaceHoldsRequest__Output } from './idlegrid/billing/v1/PlaceHoldsRequest.js';
import type { PlaceHoldsResponse as _idlegrid_billing_v1_PlaceHoldsResponse, PlaceHoldsResponse__Output as _idlegrid_billing_v1_PlaceHoldsResponse__Output } from './idlegrid/billing/v1/PlaceHoldsResponse.js';
import type { ProviderIdle as _idlegrid_billing_v1_ProviderIdle, ProviderIdle__Output as _idlegrid_billing_v1_ProviderIdle__Output } from './idlegrid/billing/v1/ProviderIdle.js';
import type { RefundHoldsRequest as _idlegrid_billing_v1_RefundHoldsRequest, RefundHoldsRequest__Output as _idlegrid_billing_v1_RefundHoldsRequest__Output } from './idlegrid/billing/v1/RefundHoldsRequest.js';
import type { RefundHoldsResponse as _idlegrid_billing_v1_RefundHoldsResponse, RefundHoldsResponse__Output as _idlegrid_billing_v1_RefundHoldsResponse__Output } from './idlegrid/billing/v1/RefundHoldsResponse.js';
import type { RemoveSpendLimitRequest as _idlegrid_billing_v1_RemoveSpendLimitRequest, RemoveSpendLimitRequest__Output as _idlegrid_billing_v1_RemoveSpendLimitRequest__Output } from './idlegrid/billing/v1/RemoveSpendLimitRequest.js';
import type { RemoveSpendLimitResponse as _idlegrid_billing_v1_RemoveSpendLimitResponse, RemoveSpendLimitResponse__Output as _idlegrid_billing_v1_RemoveSpendLimitResponse__Output } from './idlegrid/billing/v1/RemoveSpendLimitResponse.js';
import type { RequestPayoutRequest as _idlegrid_billing_v1_RequestPayoutRequest, RequestPayoutRequest__Output as _idlegrid_billing_v1_RequestPayoutRequest__Output } from './idlegrid/billing/v1/RequestPayoutRequest.js';
import type { RequestPayoutResponse as _idlegrid_billing_v1_RequestPayoutResponse, RequestPayoutResponse__Output as _idlegrid_billing_v1_RequestPayoutResponse__Output } from './idlegrid/billing/v1/RequestPayoutResponse.js';
import type { ReverseTransferRequest as _idlegrid_billing_v1_ReverseTransferRequest, ReverseTransferRequest__Output as _idlegrid_billing_v1_ReverseTransferRequest__Output } from './idlegrid/billing/v1/ReverseTransferRequest.js';
import type { ReverseTransferResponse as _idlegrid_billing_v1_ReverseTransferResponse, ReverseTransferResponse__Output as _idlegrid_billing_v1_ReverseTransferResponse__Output } from './idlegrid/billing/v1/ReverseTransferResponse.js';
import type { SetConversionRateRequest as _idlegrid_billing_v1_SetConversionRateRequest, SetConversionRateRequest__Output as _idlegrid_billing_v1_SetConversionRateRequest__Output } from './idlegrid/billing/v1/SetConversionRateRequest.js';
import type { SetSpendLimitRequest as _idlegrid_billing_v1_SetSpendLimitRequest, SetSpendLimitRequest__Output as _idlegrid_billing_v1_SetSpendLimitRequest__Output } from './idlegrid/billing/v1/SetSpendLimitRequest.js';
import type { SettleHoldRequest as _idlegrid_billing_v1_SettleHoldRequest, SettleHoldRequest__Output as _idlegrid_billing_v1_SettleHoldRequest__Output } from './idlegrid/billing/v1/SettleHoldRequest.js';
import type { SettleHoldResponse as _idlegrid_billing_v1_SettleHoldResponse, SettleHoldResponse__Output as _idlegrid_billing_v1_SettleHoldResponse__Output } from './idlegrid/billing/v1/SettleHoldResponse.js';
import type { SpendAlert as _idlegrid_billing_v1_SpendAlert, SpendAlert__Output as _idlegrid_billing_v1_SpendAlert__Output } from './idlegrid/billing/v1/SpendAlert.js';
import type { SpendLimit as _idlegrid_billing_v1_SpendLimit, SpendLimit__Output as _idlegrid_billing_v1_SpendLimit__Output } from './idlegrid/billing/v1/SpendLimit.js';
import type { Statement as _idlegrid_billing_v1_Statement, Statement__Output as _idlegrid_billing_v1_Statement__Output } from './idlegrid/billing/v1/Statement.js';
import type { VoidHoldRequest as _idlegrid_billing_v1_VoidHoldRequest, VoidHoldRequest__Output as _idlegrid_billing_v1_VoidHoldRequest__Output } from './idlegrid/billing/v1/VoidHoldRequest.js';
import type { Problem as _idlegrid_common_v1_Problem, Problem__Output as _idlegrid_common_v1_Problem__Output } from './idlegrid/common/v1/Problem.js';
import type { TraceContext as _idlegrid_common_v1_TraceContext, TraceContext__Output as _idlegrid_common_v1_TraceContext__Output } from './idlegrid/common/v1/TraceContext.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  idlegrid: {
    billing: {
      v1: {
        AccountStatement: MessageTypeDefinition<_idlegrid_billing_v1_AccountStatement, _idlegrid_billing_v1_AccountStatement__Output>
        /**
         * The ledger: holds funds for jobs, settles them, reports balances. Every
         * mutating call carries a client-chosen id that makes it idempotent.
         */
        BillingService: SubtypeConstructor<typeof grpc.Client, _idlegrid_billing_v1_BillingServiceClient> & { service: _idlegrid_billing_v1_BillingServiceDefinition }
        ConversionRate: MessageTypeDefinition<_idlegrid_billing_v1_ConversionRate, _idlegrid_billing_v1_ConversionRate__Output>
        DepositRequest: MessageTypeDefinition<_idlegrid_billing_v1_DepositRequest, _idlegrid_billing_v1_DepositRequest__Output>
        DepositResponse: MessageTypeDefinition<_idlegrid_billing_v1_DepositResponse, _idlegrid_billing_v1_DepositResponse__Output>
        EmitIncentivesRequest: MessageTypeDefinition<_idlegrid_billing_v1_EmitIncentivesRequest, _idlegrid_billing_v1_EmitIncentivesRequest__Output>
        EmitIncentivesResponse: MessageTypeDefinition<_idlegrid_billing_v1_EmitIncentivesResponse, _idlegrid_billing_v1_EmitIncentivesResponse__Output>
        FundIncentivePoolRequest: MessageTypeDefinition<_idlegrid_billing_v1_FundIncentivePoolRequest, _idlegrid_billing_v1_FundIncentivePoolRequest__Output>
        GetBalanceRequest: MessageTypeDefinition<_idlegrid_billing_v1_GetBalanceRequest, _idlegrid_billing_v1_GetBalanceRequest__Output>
        GetBalanceResponse: MessageTypeDefinition<_idlegrid_billing_v1_GetBalanceResponse, _idlegrid_billing_v1_GetBalanceResponse__Output>
        GetIncentivePoolRequest: MessageTypeDefinition<_idlegrid_billing_v1_GetIncentivePoolRequest, _idlegrid_billing_v1_GetIncentivePoolRequest__Output>
        GetInvoiceRequest: MessageTypeDefinition<_idlegrid_billing_v1_GetInvoiceRequest, _idlegrid_billing_v1_GetInvoiceRequest__Output>
        GetSpendLimitsRequest: MessageTypeDefinition<_idlegrid_billing_v1_GetSpendLimitsRequest, _idlegrid_billing_v1_GetSpendLimitsRequest__Output>
        GetSpendLimitsResponse: MessageTypeDefinition<_idlegrid_billing_v1_GetSpendLimitsResponse, _idlegrid_billing_v1_GetSpendLimitsResponse__Output>
        GetStatementRequest: MessageTypeDefinition<_idlegrid_billing_v1_GetStatementRequest, _idlegrid_billing_v1_GetStatementRequest__Output>
        HoldOutcome: MessageTypeDefinition<_idlegrid_billing_v1_HoldOutcome, _idlegrid_billing_v1_HoldOutcome__Output>
        HoldResponse: MessageTypeDefinition<_idlegrid_billing_v1_HoldResponse, _idlegrid_billing_v1_HoldResponse__Output>
        IncentivePoolResponse: MessageTypeDefinition<_idlegrid_billing_v1_IncentivePoolResponse, _idlegrid_billing_v1_IncentivePoolResponse__Output>
        Invoice: MessageTypeDefinition<_idlegrid_billing_v1_Invoice, _idlegrid_billing_v1_Invoice__Output>
        InvoiceLine: MessageTypeDefinition<_idlegrid_billing_v1_InvoiceLine, _idlegrid_billing_v1_InvoiceLine__Output>
        LedgerEntry: MessageTypeDefinition<_idlegrid_billing_v1_LedgerEntry, _idlegrid_billing_v1_LedgerEntry__Output>
        ListConversionRatesRequest: MessageTypeDefinition<_idlegrid_billing_v1_ListConversionRatesRequest, _idlegrid_billing_v1_ListConversionRatesRequest__Output>
        ListConversionRatesResponse: MessageTypeDefinition<_idlegrid_billing_v1_ListConversionRatesResponse, _idlegrid_billing_v1_ListConversionRatesResponse__Output>
        ListPendingHoldsRequest: MessageTypeDefinition<_idlegrid_billing_v1_ListPendingHoldsRequest, _idlegrid_billing_v1_ListPendingHoldsRequest__Output>
        ListPendingHoldsResponse: MessageTypeDefinition<_idlegrid_billing_v1_ListPendingHoldsResponse, _idlegrid_billing_v1_ListPendingHoldsResponse__Output>
        PendingHold: MessageTypeDefinition<_idlegrid_billing_v1_PendingHold, _idlegrid_billing_v1_PendingHold__Output>
        PlaceHoldRequest: MessageTypeDefinition<_idlegrid_billing_v1_PlaceHoldRequest, _idlegrid_billing_v1_PlaceHoldRequest__Output>
        PlaceHoldsRequest: MessageTypeDefinition<_idlegrid_billing_v1_PlaceHoldsRequest, _idlegrid_billing_v1_PlaceHoldsRequest__Output>
        PlaceHoldsResponse: MessageTypeDefinition<_idlegrid_billing_v1_PlaceHoldsResponse, _idlegrid_billing_v1_PlaceHoldsResponse__Output>
        ProviderIdle: MessageTypeDefinition<_idlegrid_billing_v1_ProviderIdle, _idlegrid_billing_v1_ProviderIdle__Output>
        RefundHoldsRequest: MessageTypeDefinition<_idlegrid_billing_v1_RefundHoldsRequest, _idlegrid_billing_v1_RefundHoldsRequest__Output>
        RefundHoldsResponse: MessageTypeDefinition<_idlegrid_billing_v1_RefundHoldsResponse, _idlegrid_billing_v1_RefundHoldsResponse__Output>
        RemoveSpendLimitRequest: MessageTypeDefinition<_idlegrid_billing_v1_RemoveSpendLimitRequest, _idlegrid_billing_v1_RemoveSpendLimitRequest__Output>
        RemoveSpendLimitResponse: MessageTypeDefinition<_idlegrid_billing_v1_RemoveSpendLimitResponse, _idlegrid_billing_v1_RemoveSpendLimitResponse__Output>
        RequestPayoutRequest: MessageTypeDefinition<_idlegrid_billing_v1_RequestPayoutRequest, _idlegrid_billing_v1_RequestPayoutRequest__Output>
        RequestPayoutResponse: MessageTypeDefinition<_idlegrid_billing_v1_RequestPayoutResponse, _idlegrid_billing_v1_RequestPayoutResponse__Output>
        ReverseTransferRequest: MessageTypeDefinition<_idlegrid_billing_v1_ReverseTransferRequest, _idlegrid_billing_v1_ReverseTransferRequest__Output>
        ReverseTransferResponse: MessageTypeDefinition<_idlegrid_billing_v1_ReverseTransferResponse, _idlegrid_billing_v1_ReverseTransferResponse__Output>
        SetConversionRateRequest: MessageTypeDefinition<_idlegrid_billing_v1_SetConversionRateRequest, _idlegrid_billing_v1_SetConversionRateRequest__Output>
        SetSpendLimitRequest: MessageTypeDefinition<_idlegrid_billing_v1_SetSpendLimitRequest, _idlegrid_billing_v1_SetSpendLimitRequest__Output>
        SettleHoldRequest: MessageTypeDefinition<_idlegrid_billing_v1_SettleHoldRequest, _idlegrid_billing_v1_SettleHoldRequest__Output>
        SettleHoldResponse: MessageTypeDefinition<_idlegrid_billing_v1_SettleHoldResponse, _idlegrid_billing_v1_SettleHoldResponse__Output>
        SpendAlert: MessageTypeDefinition<_idlegrid_billing_v1_SpendAlert, _idlegrid_billing_v1_SpendAlert__Output>
        SpendLimit: MessageTypeDefinition<_idlegrid_billing_v1_SpendLimit, _idlegrid_billing_v1_SpendLimit__Output>
        Statement: MessageTypeDefinition<_idlegrid_billing_v1_Statement, _idlegrid_billing_v1_Statement__Output>
        VoidHoldRequest: MessageTypeDefinition<_idlegrid_billing_v1_VoidHoldRequest, _idlegrid_billing_v1_VoidHoldRequest__Output>
      }
    }
    common: {
      v1: {
        Problem: MessageTypeDefinition<_idlegrid_common_v1_Problem, _idlegrid_common_v1_Problem__Output>
        TraceContext: MessageTypeDefinition<_idlegrid_common_v1_TraceContext, _idlegrid_common_v1_TraceContext__Output>
      }
    }
  }
}

