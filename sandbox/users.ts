// The simulator's GoHighLevel users and companies. Every location belongs to a company
// (`sbx-company` unless the control API says otherwise). Each seeded location gets an account
// admin `<location>-admin` and an account user `<location>-user`; the company has an agency admin
// `agency-admin` with access to every sub-account. Tests add others through /__sandbox/users.

export type SandboxUser = {
  id: string;
  name: string;
  email: string;
  companyId: string;
  /** "agency" (company staff) or "account" (sub-account staff). */
  type: "agency" | "account";
  role: "admin" | "user";
  locationIds: string[];
  restrictSubAccount: boolean;
  deleted: boolean;
};

export const DEFAULT_COMPANY = "sbx-company";

export class Users {
  private readonly byId = new Map<string, SandboxUser>();
  private readonly companies = new Map<string, string>();

  reset(locationIds: readonly string[]): void {
    this.byId.clear();
    this.companies.clear();
    this.put({ id: "agency-admin", name: "Agency Admin", type: "agency", role: "admin", locationIds: [] });
    for (const id of locationIds) this.seedLocation(id);
  }

  /** The two users every location starts with. */
  seedLocation(locationId: string): void {
    this.put({ id: `${locationId}-admin`, name: "Account Admin", type: "account", role: "admin", locationIds: [locationId] });
    this.put({ id: `${locationId}-user`, name: "Account User", type: "account", role: "user", locationIds: [locationId] });
  }

  put(init: Partial<SandboxUser> & Pick<SandboxUser, "id">): SandboxUser {
    const user: SandboxUser = {
      name: "Sandbox User",
      email: `${init.id.toLowerCase()}@sandbox.test`,
      companyId: DEFAULT_COMPANY,
      type: "account",
      role: "user",
      locationIds: [],
      restrictSubAccount: false,
      deleted: false,
      ...init,
    };
    this.byId.set(user.id, user);
    return user;
  }

  get(id: string): SandboxUser | undefined {
    return this.byId.get(id);
  }

  remove(id: string): boolean {
    return this.byId.delete(id);
  }

  list(): SandboxUser[] {
    return [...this.byId.values()];
  }

  companyOf(locationId: string): string {
    return this.companies.get(locationId) ?? DEFAULT_COMPANY;
  }

  setCompany(locationId: string, companyId: string): void {
    this.companies.set(locationId, companyId);
  }
}
