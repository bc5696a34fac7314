// What every provider maps its upstream records to, before the cache stores them.

export type ContactRecord = {
  externalId: string;
  firstName: string | null;
  lastName: string | null;
  name: string;
  email: string | null;
  phone: string | null;
  companyName: string | null;
  tags: string[];
  source: string | null;
  dateAdded: number;
  dateUpdated: number;
  customFields: { id: string; value: unknown }[];
};

/** A record hanging off a contact (conversation, opportunity, task, note), kept as its JSON. */
export type RelatedRecord = {
  externalId: string;
  contactExternalId: string | null;
  dateUpdated: number;
  payload: string;
};

export type Page<R> = {
  records: R[];
  /** Cursor of the next page, or null when this was the last one. */
  next: unknown | null;
  /** Upstream's count of all matches, when it says (progress and ETA). */
  total: number | null;
};
