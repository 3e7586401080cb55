/** PingFederate: Coder's OAuth client through the admin API. Every export is named here; no `export *`. */
export { PingFederateCoderClient, type PingFederateCoderClientArgs } from "./component";
export {
  PingFederateCommonScope,
  type PingFederateCommonScopeArgs,
  type PingFederateConnectionArgs,
  PingFederateOAuthClient,
  type PingFederateOAuthClientArgs,
  PingFederateResourceType,
} from "./resource";
export { pingFederateClientProvider, PingFederateProviderErrorCode, pingFederateScopeProvider } from "./provider";
export {
  DEFAULT_SECRET_OVERLAP_SECONDS,
  ReplicateMode,
  type PfCommonScopeInputs,
  type PfCommonScopeOutputs,
  type PfOAuthClientInputs,
  type PfOAuthClientOutputs,
} from "./inputs";
export { ADMIN_CREDENTIAL_ENV } from "./credentials";
export {
  ClientAuthType,
  GrantTimeUnit,
  GrantType,
  OfflineAccessRequirement,
  PersistentGrantType,
  RefreshRolling,
  type PfClient,
} from "./model";
