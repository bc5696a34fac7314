// The way to a token owner's broker, apart from the Durable Object's class so that code which only
// calls the broker (providers, installs, the OpenAPI build in Node) does not load `cloudflare:workers`.
import type { TokenOwner } from "../db/oauth-tokens";
import type { TokenBroker } from "./broker";

export function brokerFor(env: Pick<Env, "TOKEN_BROKER">, owner: TokenOwner): DurableObjectStub<TokenBroker> {
  return env.TOKEN_BROKER.get(env.TOKEN_BROKER.idFromName(`${owner.kind}:${owner.id}`));
}
