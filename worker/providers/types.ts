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

export type ContactPage = {
  contacts: ContactRecord[];
  /** Cursor of the next page, or null when this was the last one. */
  next: unknown | null;
  total: number | null;
};
