// Shapes the simulator serves. Field names follow GHL v2 (GoHighLevel's OpenAPI: apps/contacts.json, conversations.json, opportunities.json).

export interface GhlContact {
  id: string;
  locationId: string;
  contactName: string;
  name: string;
  firstName?: string;
  lastName?: string;
  firstNameLowerCase?: string;
  lastNameLowerCase?: string;
  fullNameLowerCase: string;
  email?: string;
  emailLowerCase?: string;
  phone?: string;
  companyName?: string;
  source: string;
  type: "lead";
  assignedTo: string;
  tags: string[];
  dnd: boolean;
  country: string;
  city: string;
  dateAdded: string;
  dateUpdated: string;
  customFields: { id: string; value: string | number }[];
  additionalEmails: string[];
}

/** A contact plus the derived keys search needs, computed once instead of per request. */
export interface ContactRec {
  c: GhlContact;
  added: number;
  updated: number;
  /** Lowercased name/email/phone/company joined, for `query` substring matching. */
  hay: string;
}

export interface ConversationSeed {
  id: string;
  contactId: string;
  lastMessageBody: string;
  lastMessageType: "TYPE_SMS" | "TYPE_EMAIL" | "TYPE_CALL";
  type: "TYPE_PHONE" | "TYPE_EMAIL";
  unreadCount: number;
  lastMessageDate: number;
  dateAdded: number;
}

export type OpportunityStatus = "open" | "won" | "lost" | "abandoned";

export interface OpportunitySeed {
  id: string;
  contactId: string;
  name: string;
  monetaryValue: number;
  pipelineId: string;
  pipelineStageId: string;
  assignedTo: string;
  status: OpportunityStatus;
  source: string;
  createdAt: number;
  updatedAt: number;
}

/** Per-location constants every generator shares (users, custom field ids, pipelines). */
export interface LocationContext {
  locationId: string;
  seed: number;
  users: string[];
  fieldIds: string[];
  pipelines: { id: string; stages: string[] }[];
}

/** Wraps a contact; pass the numeric dates when known (parsing 25,000 ISO strings is not free). */
export function toRec(c: GhlContact, added = Date.parse(c.dateAdded), updated = Date.parse(c.dateUpdated)): ContactRec {
  const hay = [c.fullNameLowerCase, c.emailLowerCase ?? "", c.phone ?? "", (c.companyName ?? "").toLowerCase()]
    .join("\u0001");
  return { c, added, updated, hay };
}
