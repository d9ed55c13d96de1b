// Original file: proto/idlegrid/pricing/v1/pricing.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { Fee as _idlegrid_pricing_v1_Fee, Fee__Output as _idlegrid_pricing_v1_Fee__Output } from '../../../idlegrid/pricing/v1/Fee.js';
import type { GetMarketRequest as _idlegrid_pricing_v1_GetMarketRequest, GetMarketRequest__Output as _idlegrid_pricing_v1_GetMarketRequest__Output } from '../../../idlegrid/pricing/v1/GetMarketRequest.js';
import type { GetMarketResponse as _idlegrid_pricing_v1_GetMarketResponse, GetMarketResponse__Output as _idlegrid_pricing_v1_GetMarketResponse__Output } from '../../../idlegrid/pricing/v1/GetMarketResponse.js';
import type { GetPriceBookRequest as _idlegrid_pricing_v1_GetPriceBookRequest, GetPriceBookRequest__Output as _idlegrid_pricing_v1_GetPriceBookRequest__Output } from '../../../idlegrid/pricing/v1/GetPriceBookRequest.js';
import type { GetQuoteRequest as _idlegrid_pricing_v1_GetQuoteRequest, GetQuoteRequest__Output as _idlegrid_pricing_v1_GetQuoteRequest__Output } from '../../../idlegrid/pricing/v1/GetQuoteRequest.js';
import type { ListFeesRequest as _idlegrid_pricing_v1_ListFeesRequest, ListFeesRequest__Output as _idlegrid_pricing_v1_ListFeesRequest__Output } from '../../../idlegrid/pricing/v1/ListFeesRequest.js';
import type { ListFeesResponse as _idlegrid_pricing_v1_ListFeesResponse, ListFeesResponse__Output as _idlegrid_pricing_v1_ListFeesResponse__Output } from '../../../idlegrid/pricing/v1/ListFeesResponse.js';
import type { PriceBook as _idlegrid_pricing_v1_PriceBook, PriceBook__Output as _idlegrid_pricing_v1_PriceBook__Output } from '../../../idlegrid/pricing/v1/PriceBook.js';
import type { PriceJobsRequest as _idlegrid_pricing_v1_PriceJobsRequest, PriceJobsRequest__Output as _idlegrid_pricing_v1_PriceJobsRequest__Output } from '../../../idlegrid/pricing/v1/PriceJobsRequest.js';
import type { PriceJobsResponse as _idlegrid_pricing_v1_PriceJobsResponse, PriceJobsResponse__Output as _idlegrid_pricing_v1_PriceJobsResponse__Output } from '../../../idlegrid/pricing/v1/PriceJobsResponse.js';
import type { QuoteRequest as _idlegrid_pricing_v1_QuoteRequest, QuoteRequest__Output as _idlegrid_pricing_v1_QuoteRequest__Output } from '../../../idlegrid/pricing/v1/QuoteRequest.js';
import type { QuoteResponse as _idlegrid_pricing_v1_QuoteResponse, QuoteResponse__Output as _idlegrid_pricing_v1_QuoteResponse__Output } from '../../../idlegrid/pricing/v1/QuoteResponse.js';
import type { SetFeeRequest as _idlegrid_pricing_v1_SetFeeRequest, SetFeeRequest__Output as _idlegrid_pricing_v1_SetFeeRequest__Output } from '../../../idlegrid/pricing/v1/SetFeeRequest.js';
import type { VerifyQuoteRequest as _idlegrid_pricing_v1_VerifyQuoteRequest, VerifyQuoteRequest__Output as _idlegrid_pricing_v1_VerifyQuoteRequest__Output } from '../../../idlegrid/pricing/v1/VerifyQuoteRequest.js';

/**
 * Prices job specs from providers' asking prices and a market multiplier per
 * GPU model and region, issues signed quotes that lock a price until they
 * expire, and keeps the platform fee schedule.
 */
export interface PricingServiceClient extends grpc.Client {
  /**
   * The market as last sampled: supply, demand and multiplier per GPU model and region.
   */
  GetMarket(argument: _idlegrid_pricing_v1_GetMarketRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_pricing_v1_GetMarketResponse__Output>): grpc.ClientUnaryCall;
  GetMarket(argument: _idlegrid_pricing_v1_GetMarketRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_pricing_v1_GetMarketResponse__Output>): grpc.ClientUnaryCall;
  GetMarket(argument: _idlegrid_pricing_v1_GetMarketRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_pricing_v1_GetMarketResponse__Output>): grpc.ClientUnaryCall;
  GetMarket(argument: _idlegrid_pricing_v1_GetMarketRequest, callback: grpc.requestCallback<_idlegrid_pricing_v1_GetMarketResponse__Output>): grpc.ClientUnaryCall;
  /**
   * The market as last sampled: supply, demand and multiplier per GPU model and region.
   */
  getMarket(argument: _idlegrid_pricing_v1_GetMarketRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_pricing_v1_GetMarketResponse__Output>): grpc.ClientUnaryCall;
  getMarket(argument: _idlegrid_pricing_v1_GetMarketRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_pricing_v1_GetMarketResponse__Output>): grpc.ClientUnaryCall;
  getMarket(argument: _idlegrid_pricing_v1_GetMarketRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_pricing_v1_GetMarketResponse__Output>): grpc.ClientUnaryCall;
  getMarket(argument: _idlegrid_pricing_v1_GetMarketRequest, callback: grpc.requestCallback<_idlegrid_pricing_v1_GetMarketResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * What this replica quotes from now: reference prices, fees and the market
   * sample if it is fresh enough to trust. A gateway prices submissions that
   * name no quote from it (pricing-core's quoteJob), reading it again at most
   * once per PRICE_BOOK_MAX_AGE_MS instead of asking for every submission.
   */
  GetPriceBook(argument: _idlegrid_pricing_v1_GetPriceBookRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_pricing_v1_PriceBook__Output>): grpc.ClientUnaryCall;
  GetPriceBook(argument: _idlegrid_pricing_v1_GetPriceBookRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_pricing_v1_PriceBook__Output>): grpc.ClientUnaryCall;
  GetPriceBook(argument: _idlegrid_pricing_v1_GetPriceBookRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_pricing_v1_PriceBook__Output>): grpc.ClientUnaryCall;
  GetPriceBook(argument: _idlegrid_pricing_v1_GetPriceBookRequest, callback: grpc.requestCallback<_idlegrid_pricing_v1_PriceBook__Output>): grpc.ClientUnaryCall;
  /**
   * What this replica quotes from now: reference prices, fees and the market
   * sample if it is fresh enough to trust. A gateway prices submissions that
   * name no quote from it (pricing-core's quoteJob), reading it again at most
   * once per PRICE_BOOK_MAX_AGE_MS instead of asking for every submission.
   */
  getPriceBook(argument: _idlegrid_pricing_v1_GetPriceBookRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_pricing_v1_PriceBook__Output>): grpc.ClientUnaryCall;
  getPriceBook(argument: _idlegrid_pricing_v1_GetPriceBookRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_pricing_v1_PriceBook__Output>): grpc.ClientUnaryCall;
  getPriceBook(argument: _idlegrid_pricing_v1_GetPriceBookRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_pricing_v1_PriceBook__Output>): grpc.ClientUnaryCall;
  getPriceBook(argument: _idlegrid_pricing_v1_GetPriceBookRequest, callback: grpc.requestCallback<_idlegrid_pricing_v1_PriceBook__Output>): grpc.ClientUnaryCall;
  
  /**
   * A stored quote of the account; NOT_FOUND for another account's.
   */
  GetQuote(argument: _idlegrid_pricing_v1_GetQuoteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_pricing_v1_QuoteResponse__Output>): grpc.ClientUnaryCall;
  GetQuote(argument: _idlegrid_pricing_v1_GetQuoteRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_pricing_v1_QuoteResponse__Output>): grpc.ClientUnaryCall;
  GetQuote(argument: _idlegrid_pricing_v1_GetQuoteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_pricing_v1_QuoteResponse__Output>): grpc.ClientUnaryCall;
  GetQuote(argument: _idlegrid_pricing_v1_GetQuoteRequest, callback: grpc.requestCallback<_idlegrid_pricing_v1_QuoteResponse__Output>): grpc.ClientUnaryCall;
  /**
   * A stored quote of the account; NOT_FOUND for another account's.
   */
  getQuote(argument: _idlegrid_pricing_v1_GetQuoteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_pricing_v1_QuoteResponse__Output>): grpc.ClientUnaryCall;
  getQuote(argument: _idlegrid_pricing_v1_GetQuoteRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_pricing_v1_QuoteResponse__Output>): grpc.ClientUnaryCall;
  getQuote(argument: _idlegrid_pricing_v1_GetQuoteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_pricing_v1_QuoteResponse__Output>): grpc.ClientUnaryCall;
  getQuote(argument: _idlegrid_pricing_v1_GetQuoteRequest, callback: grpc.requestCallback<_idlegrid_pricing_v1_QuoteResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Operators: the platform fee per currency.
   */
  ListFees(argument: _idlegrid_pricing_v1_ListFeesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_pricing_v1_ListFeesResponse__Output>): grpc.ClientUnaryCall;
  ListFees(argument: _idlegrid_pricing_v1_ListFeesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_pricing_v1_ListFeesResponse__Output>): grpc.ClientUnaryCall;
  ListFees(argument: _idlegrid_pricing_v1_ListFeesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_pricing_v1_ListFeesResponse__Output>): grpc.ClientUnaryCall;
  ListFees(argument: _idlegrid_pricing_v1_ListFeesRequest, callback: grpc.requestCallback<_idlegrid_pricing_v1_ListFeesResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Operators: the platform fee per currency.
   */
  listFees(argument: _idlegrid_pricing_v1_ListFeesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_pricing_v1_ListFeesResponse__Output>): grpc.ClientUnaryCall;
  listFees(argument: _idlegrid_pricing_v1_ListFeesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_pricing_v1_ListFeesResponse__Output>): grpc.ClientUnaryCall;
  listFees(argument: _idlegrid_pricing_v1_ListFeesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_pricing_v1_ListFeesResponse__Output>): grpc.ClientUnaryCall;
  listFees(argument: _idlegrid_pricing_v1_ListFeesRequest, callback: grpc.requestCallback<_idlegrid_pricing_v1_ListFeesResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * The price of many submissions in one call (the gateway batches them):
   * each is priced now (Quote without an account) or, naming a quote_id,
   * verified (VerifyQuote). One outcome per job, in order; a refusal is that
   * job's alone.
   */
  PriceJobs(argument: _idlegrid_pricing_v1_PriceJobsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_pricing_v1_PriceJobsResponse__Output>): grpc.ClientUnaryCall;
  PriceJobs(argument: _idlegrid_pricing_v1_PriceJobsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_pricing_v1_PriceJobsResponse__Output>): grpc.ClientUnaryCall;
  PriceJobs(argument: _idlegrid_pricing_v1_PriceJobsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_pricing_v1_PriceJobsResponse__Output>): grpc.ClientUnaryCall;
  PriceJobs(argument: _idlegrid_pricing_v1_PriceJobsRequest, callback: grpc.requestCallback<_idlegrid_pricing_v1_PriceJobsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * The price of many submissions in one call (the gateway batches them):
   * each is priced now (Quote without an account) or, naming a quote_id,
   * verified (VerifyQuote). One outcome per job, in order; a refusal is that
   * job's alone.
   */
  priceJobs(argument: _idlegrid_pricing_v1_PriceJobsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_pricing_v1_PriceJobsResponse__Output>): grpc.ClientUnaryCall;
  priceJobs(argument: _idlegrid_pricing_v1_PriceJobsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_pricing_v1_PriceJobsResponse__Output>): grpc.ClientUnaryCall;
  priceJobs(argument: _idlegrid_pricing_v1_PriceJobsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_pricing_v1_PriceJobsResponse__Output>): grpc.ClientUnaryCall;
  priceJobs(argument: _idlegrid_pricing_v1_PriceJobsRequest, callback: grpc.requestCallback<_idlegrid_pricing_v1_PriceJobsResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * The price ceiling for a spec and the funds to hold for it. With an
   * account_id the quote is stored and signed, and a job may name it (VerifyQuote).
   */
  Quote(argument: _idlegrid_pricing_v1_QuoteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_pricing_v1_QuoteResponse__Output>): grpc.ClientUnaryCall;
  Quote(argument: _idlegrid_pricing_v1_QuoteRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_pricing_v1_QuoteResponse__Output>): grpc.ClientUnaryCall;
  Quote(argument: _idlegrid_pricing_v1_QuoteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_pricing_v1_QuoteResponse__Output>): grpc.ClientUnaryCall;
  Quote(argument: _idlegrid_pricing_v1_QuoteRequest, callback: grpc.requestCallback<_idlegrid_pricing_v1_QuoteResponse__Output>): grpc.ClientUnaryCall;
  /**
   * The price ceiling for a spec and the funds to hold for it. With an
   * account_id the quote is stored and signed, and a job may name it (VerifyQuote).
   */
  quote(argument: _idlegrid_pricing_v1_QuoteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_pricing_v1_QuoteResponse__Output>): grpc.ClientUnaryCall;
  quote(argument: _idlegrid_pricing_v1_QuoteRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_pricing_v1_QuoteResponse__Output>): grpc.ClientUnaryCall;
  quote(argument: _idlegrid_pricing_v1_QuoteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_pricing_v1_QuoteResponse__Output>): grpc.ClientUnaryCall;
  quote(argument: _idlegrid_pricing_v1_QuoteRequest, callback: grpc.requestCallback<_idlegrid_pricing_v1_QuoteResponse__Output>): grpc.ClientUnaryCall;
  
  SetFee(argument: _idlegrid_pricing_v1_SetFeeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_pricing_v1_Fee__Output>): grpc.ClientUnaryCall;
  SetFee(argument: _idlegrid_pricing_v1_SetFeeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_pricing_v1_Fee__Output>): grpc.ClientUnaryCall;
  SetFee(argument: _idlegrid_pricing_v1_SetFeeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_pricing_v1_Fee__Output>): grpc.ClientUnaryCall;
  SetFee(argument: _idlegrid_pricing_v1_SetFeeRequest, callback: grpc.requestCallback<_idlegrid_pricing_v1_Fee__Output>): grpc.ClientUnaryCall;
  setFee(argument: _idlegrid_pricing_v1_SetFeeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_pricing_v1_Fee__Output>): grpc.ClientUnaryCall;
  setFee(argument: _idlegrid_pricing_v1_SetFeeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_pricing_v1_Fee__Output>): grpc.ClientUnaryCall;
  setFee(argument: _idlegrid_pricing_v1_SetFeeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_pricing_v1_Fee__Output>): grpc.ClientUnaryCall;
  setFee(argument: _idlegrid_pricing_v1_SetFeeRequest, callback: grpc.requestCallback<_idlegrid_pricing_v1_Fee__Output>): grpc.ClientUnaryCall;
  
  /**
   * A job names a quote: checks its signature, the account, the expiry and
   * that the job's spec is the one quoted, and answers the locked price.
   * UNPROCESSABLE quote_invalid (unknown, another account's, bad signature),
   * UNPROCESSABLE quote_mismatch (another spec), FAILED_PRECONDITION quote_expired.
   */
  VerifyQuote(argument: _idlegrid_pricing_v1_VerifyQuoteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_pricing_v1_QuoteResponse__Output>): grpc.ClientUnaryCall;
  VerifyQuote(argument: _idlegrid_pricing_v1_VerifyQuoteRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_pricing_v1_QuoteResponse__Output>): grpc.ClientUnaryCall;
  VerifyQuote(argument: _idlegrid_pricing_v1_VerifyQuoteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_pricing_v1_QuoteResponse__Output>): grpc.ClientUnaryCall;
  VerifyQuote(argument: _idlegrid_pricing_v1_VerifyQuoteRequest, callback: grpc.requestCallback<_idlegrid_pricing_v1_QuoteResponse__Output>): grpc.ClientUnaryCall;
  /**
   * A job names a quote: checks its signature, the account, the expiry and
   * that the job's spec is the one quoted, and answers the locked price.
   * UNPROCESSABLE quote_invalid (unknown, another account's, bad signature),
   * UNPROCESSABLE quote_mismatch (another spec), FAILED_PRECONDITION quote_expired.
   */
  verifyQuote(argument: _idlegrid_pricing_v1_VerifyQuoteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_pricing_v1_QuoteResponse__Output>): grpc.ClientUnaryCall;
  verifyQuote(argument: _idlegrid_pricing_v1_VerifyQuoteRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_idlegrid_pricing_v1_QuoteResponse__Output>): grpc.ClientUnaryCall;
  verifyQuote(argument: _idlegrid_pricing_v1_VerifyQuoteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_idlegrid_pricing_v1_QuoteResponse__Output>): grpc.ClientUnaryCall;
  verifyQuote(argument: _idlegrid_pricing_v1_VerifyQuoteRequest, callback: grpc.requestCallback<_idlegrid_pricing_v1_QuoteResponse__Output>): grpc.ClientUnaryCall;
  
}

/**
 * Prices job specs from providers' asking prices and a market multiplier per
 * GPU model and region, issues signed quotes that lock a price until they
 * expire, and keeps the platform fee schedule.
 */
export interface PricingServiceHandlers extends grpc.UntypedServiceImplementation {
  /**
   * The market as last sampled: supply, demand and multiplier per GPU model and region.
   */
  GetMarket: grpc.handleUnaryCall<_idlegrid_pricing_v1_GetMarketRequest__Output, _idlegrid_pricing_v1_GetMarketResponse>;
  
  /**
   * What this replica quotes from now: reference prices, fees and the market
   * sample if it is fresh enough to trust. A gateway prices submissions that
   * name no quote from it (pricing-core's quoteJob), reading it again at most
   * once per PRICE_BOOK_MAX_AGE_MS instead of asking for every submission.
   */
  GetPriceBook: grpc.handleUnaryCall<_idlegrid_pricing_v1_GetPriceBookRequest__Output, _idlegrid_pricing_v1_PriceBook>;
  
  /**
   * A stored quote of the account; NOT_FOUND for another account's.
   */
  GetQuote: grpc.handleUnaryCall<_idlegrid_pricing_v1_GetQuoteRequest__Output, _idlegrid_pricing_v1_QuoteResponse>;
  
  /**
   * Operators: the platform fee per currency.
   */
  ListFees: grpc.handleUnaryCall<_idlegrid_pricing_v1_ListFeesRequest__Output, _idlegrid_pricing_v1_ListFeesResponse>;
  
  /**
   * The price of many submissions in one call (the gateway batches them):
   * each is priced now (Quote without an account) or, naming a quote_id,
   * verified (VerifyQuote). One outcome per job, in order; a refusal is that
   * job's alone.
   */
  PriceJobs: grpc.handleUnaryCall<_idlegrid_pricing_v1_PriceJobsRequest__Output, _idlegrid_pricing_v1_PriceJobsResponse>;
  
  /**
   * The price ceiling for a spec and the funds to hold for it. With an
   * account_id the quote is stored and signed, and a job may name it (VerifyQuote).
   */
  Quote: grpc.handleUnaryCall<_idlegrid_pricing_v1_QuoteRequest__Output, _idlegrid_pricing_v1_QuoteResponse>;
  
  SetFee: grpc.handleUnaryCall<_idlegrid_pricing_v1_SetFeeRequest__Output, _idlegrid_pricing_v1_Fee>;
  
  /**
   * A job names a quote: checks its signature, the account, the expiry and
   * that the job's spec is the one quoted, and answers the locked price.
   * UNPROCESSABLE quote_invalid (unknown, another account's, bad signature),
   * UNPROCESSABLE quote_mismatch (another spec), FAILED_PRECONDITION quote_expired.
   */
  VerifyQuote: grpc.handleUnaryCall<_idlegrid_pricing_v1_VerifyQuoteRequest__Output, _idlegrid_pricing_v1_QuoteResponse>;
  
}

export interface PricingServiceDefinition extends grpc.ServiceDefinition {
  GetMarket: MethodDefinition<_idlegrid_pricing_v1_GetMarketRequest, _idlegrid_pricing_v1_GetMarketResponse, _idlegrid_pricing_v1_GetMarketRequest__Output, _idlegrid_pricing_v1_GetMarketResponse__Output>
  GetPriceBook: MethodDefinition<_idlegrid_pricing_v1_GetPriceBookRequest, _idlegrid_pricing_v1_PriceBook, _idlegrid_pricing_v1_GetPriceBookRequest__Output, _idlegrid_pricing_v1_PriceBook__Output>
  GetQuote: MethodDefinition<_idlegrid_pricing_v1_GetQuoteRequest, _idlegrid_pricing_v1_QuoteResponse, _idlegrid_pricing_v1_GetQuoteRequest__Output, _idlegrid_pricing_v1_QuoteResponse__Output>
  ListFees: MethodDefinition<_idlegrid_pricing_v1_ListFeesRequest, _idlegrid_pricing_v1_ListFeesResponse, _idlegrid_pricing_v1_ListFeesRequest__Output, _idlegrid_pricing_v1_ListFeesResponse__Output>
  PriceJobs: MethodDefinition<_idlegrid_pricing_v1_PriceJobsRequest, _idlegrid_pricing_v1_PriceJobsResponse, _idlegrid_pricing_v1_PriceJobsRequest__Output, _idlegrid_pricing_v1_PriceJobsResponse__Output>
  Quote: MethodDefinition<_idlegrid_pricing_v1_QuoteRequest, _idlegrid_pricing_v1_QuoteResponse, _idlegrid_pricing_v1_QuoteRequest__Output, _idlegrid_pricing_v1_QuoteResponse__Output>
  SetFee: MethodDefinition<_idlegrid_pricing_v1_SetFeeRequest, _idlegrid_pricing_v1_Fee, _idlegrid_pricing_v1_SetFeeRequest__Output, _idlegrid_pricing_v1_Fee__Output>
  VerifyQuote: MethodDefinition<_idlegrid_pricing_v1_VerifyQuoteRequest, _idlegrid_pricing_v1_QuoteResponse, _idlegrid_pricing_v1_VerifyQuoteRequest__Output, _idlegrid_pricing_v1_QuoteResponse__Output>
}
