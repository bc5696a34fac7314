// Shapes the AmoCRM v4 simulator serves (AmoCRM v4 docs: contacts, companies, notes, tasks). Stored exactly as served,
// so a list page is a slice of these objects and nothing is rebuilt per request.

export interface Link { href: string }
export interface Links { self: Link }

export interface FieldValue { value: string; enum_id?: number; enum_code?: string }

export interface CustomFieldValue {
  field_id: number;
  field_name: string;
  field_code: string | null;
  field_type: "multitext" | "select" | "text";
  values: FieldValue[];
}

export interface Tag { id: number; name: string; color: null }
export interface EntityRef { id: number; _links: Links }

/** Fields every listed entity shares; the list filters work on these. */
export interface Entity {
  id: number;
  responsible_user_id: number;
  created_at: number;
  updated_at: number;
}

export interface AmoContact extends Entity {
  name: string;
  first_name: string;
  last_name: string;
  group_id: number;
  created_by: number;
  updated_by: number;
  closest_task_at: number | null;
  is_deleted: false;
  custom_fields_values: CustomFieldValue[] | null;
  account_id: number;
  _links: Links;
  _embedded: { tags: Tag[]; companies: EntityRef[] };
}

export interface AmoCompany extends Entity {
  name: string;
  group_id: number;
  created_by: number;
  updated_by: number;
  closest_task_at: number | null;
  custom_fields_values: CustomFieldValue[] | null;
  account_id: number;
  _links: Links;
  _embedded: { tags: Tag[] };
}

export type NoteType = "common" | "call_in" | "call_out" | "service_message";

export type NoteParams =
  | { text: string }
  | { phone: string; duration: number; uniq: string; source: string }
  | { text: string; service: string };

export interface AmoNote extends Entity {
  entity_id: number;
  created_by: number;
  updated_by: number;
  group_id: number;
  note_type: NoteType;
  params: NoteParams;
  account_id: number;
  _links: Links;
}

export type TaskEntityType = "leads" | "contacts" | "companies" | "customers";

export interface AmoTask extends Entity {
  created_by: number;
  updated_by: number;
  group_id: number;
  entity_id: number;
  entity_type: TaskEntityType;
  duration: number;
  is_completed: boolean;
  task_type_id: number;
  text: string;
  result: { text: string } | [];
  complete_till: number;
  account_id: number;
  _links: Links;
}

/** Contacts and companies of one account; arrays are sorted by id ascending. */
export interface AccountCore {
  contacts: AmoContact[];
  companies: AmoCompany[];
  /** company id -> its contact ids (ascending); every company has an entry. */
  companyContacts: Map<number, number[]>;
  /** Companies matching the seeded filter (responsible user AND segment), ascending. */
  matching: number[];
}

/** Notes and tasks, generated on first use (they are most of the objects). */
export interface AccountActivity {
  contactNotes: AmoNote[];
  companyNotes: AmoNote[];
  tasks: AmoTask[];
}
