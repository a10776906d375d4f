import { z } from 'zod';
import { PROVIDER_IDS } from '../../providers/index.js';

/** A provider name, accepted in any case (the original multi-cloud manager's callers used several). */
export const providerInput = (description: string) =>
  z.preprocess((v) => (typeof v === 'string' ? v.trim().toLowerCase() : v), z.enum(PROVIDER_IDS)).describe(description);
