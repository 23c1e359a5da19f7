import type { ErrorObject } from 'ajv';
import campaignValidator from '../generated/campaign-validator.js';
import configValidator from '../generated/config-validator.js';

export interface Validator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

/**
 * The schema validators, precompiled by ajv's standalone mode into
 * src/generated (see scripts/generated.ts): no ajv load or schema compile at
 * start-up, and no remote $ref can ever be fetched.
 */
export const validators: Record<'campaign' | 'config', Validator> = {
  campaign: campaignValidator as Validator,
  config: configValidator as Validator,
};
