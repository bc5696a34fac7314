// AmoCRM v4 response shapes (facts: AmoCRM's v4 docs and its official PHP library). Loose objects: upstream adds
// fields freely, we read what we use and keep the rest in the stored payload.
import { z } from "zod";

const fieldValueSchema = z.looseObject({
  value: z.union([z.string(), z.number(), z.boolean()]).nullish(),
  enum_id: z.number().nullish(),
  enum_code: z.string().nullish(),
});

export const customFieldSchema = z.looseObject({
  field_id: z.number(),
  field_name: z.string().nullish(),
  field_code: z.string().nullish(),
  field_type: z.string().nullish(),
  values: z.array(fieldValueSchema).nullish(),
});
export type AmoCustomField = z.infer<typeof customFieldSchema>;

const idRef = z.looseObject({ id: z.number() });

export const amoContactSchema = z.looseObject({
  id: z.number(),
  name: z.string().nullish(),
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  created_at: z.number(),
  updated_at: z.number(),
  custom_fields_values: z.array(customFieldSchema).nullish(),
  _embedded: z
    .looseObject({
      tags: z.array(z.looseObject({ name: z.string().nullish() })).nullish(),
      companies: z.array(idRef).nullish(),
    })
    .nullish(),
});
export type AmoContact = z.infer<typeof amoContactSchema>;

export const amoCompanySchema = z.looseObject({
  id: z.number(),
  name: z.string().nullish(),
  updated_at: z.number(),
  _embedded: z.looseObject({ contacts: z.array(idRef).nullish() }).nullish(),
});
export type AmoCompany = z.infer<typeof amoCompanySchema>;

/** Notes and tasks: what hangs off an entity, kept whole as JSON. */
export const amoAttachedSchema = z.looseObject({
  id: z.number(),
  entity_id: z.number().nullish(),
  entity_type: z.string().nullish(),
  updated_at: z.number(),
});
export type AmoAttached = z.infer<typeof amoAttachedSchema>;

/** The list envelope: `_links.next` exists only when another page does. */
export function envelopeSchema<T extends z.ZodType>(entity: string, item: T) {
  return z.looseObject({
    _page: z.number().nullish(),
    _links: z.looseObject({ next: z.looseObject({ href: z.string() }).nullish() }).nullish(),
    _embedded: z.looseObject({ [entity]: z.array(item) }),
  });
}

export const tokenResponseSchema = z.looseObject({
  token_type: z.string().nullish(),
  expires_in: z.number(),
  server_time: z.number().nullish(),
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
});
