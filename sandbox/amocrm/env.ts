// What the AmoCRM routers see: the account the request was authorized for.
import type { AmoAccount } from "./accounts";

export type AmoEnv = { Bindings: { account: AmoAccount } };
