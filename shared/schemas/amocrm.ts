// AmoCRM location settings and the company filter of a filtered import. The worker validates a
// location's settings and a sync request with these; the widget and docs read the same shapes.
import { z } from "zod";

/** Companies of one responsible user whose custom field holds one value (the origin's import). */
export const companyFilterSchema = z
  .object({
    responsible_user_id: z.number().int().positive(),
    custom_field_id: z.number().int().positive(),
    value: z.string().min(1).max(500),
    /** At most this many matching companies are imported (in upstream id order). */
    limit: z.number().int().min(1).max(10_000).optional(),
  })
  .strict();
export type CompanyFilter = z.infer<typeof companyFilterSchema>;

/** `settings` keys an AmoCRM location may carry (others are ignored here). */
export const amocrmSettingsSchema = z.looseObject({
  company_filter: companyFilterSchema.optional(),
  /** Region for phones written without a country code (ISO 3166 alpha-2); RU by default. */
  phone_region: z.string().regex(/^[A-Z]{2}$/).optional(),
});
