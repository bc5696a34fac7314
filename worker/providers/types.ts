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
  /** The contact's companies, when the provider says (AmoCRM); its links are replaced with these. */
  companyExternalIds?: string[];
};

export type CompanyRecord = {
  externalId: string;
  name: string;
  dateUpdated: number;
  payload: string;
  /** Ids of its contacts when fetched with them (AmoCRM `with=contacts`), else null. */
  contactExternalIds: string[] | null;
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
  /** Upstream's count of all matches, when it says (progress, ETA, and the reconcile's check). */
  total: number | null;
  /**
   * Set on a page that ends the pass although upstream had said more exists (an empty page, a
   * 204 or a blank 200 where its total or its `next` link promised records): why the pass cannot
   * be trusted to have seen everything. A full pass with such a page deletes nothing.
   */
  incomplete?: string;
  /**
   * The pass ended on an empty answer to a page the previous one linked to. Whether that is the
   * real end depends on whether the previous page was full (see the driver).
   */
  endedEmpty?: boolean;
};
