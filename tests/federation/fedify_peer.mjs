// An ActivityPub peer built on the Fedify library: it resolves a Clipdeck
// account by WebFinger, follows it from an ephemeral actor of its own, and
// prints (one JSON line each) the lookup, the Accept and every Create it receives.
// Usage: node fedify_peer.mjs <profile URL> <port>
import http from "node:http";
import { createFederation, generateCryptoKeyPair, MemoryKvStore } from "@fedify/fedify";
import { Accept, Create, Endpoints, Follow, lookupObject, Person } from "@fedify/fedify/vocab";
import { lookupWebFinger } from "@fedify/fedify/webfinger";

const [profile, port] = process.argv.slice(2);
const origin = `http://127.0.0.1:${port}`;
const emit = (event) => process.stdout.write(JSON.stringify(event) + "\n");

const federation = createFederation({ kv: new MemoryKvStore(), allowPrivateAddress: true });
const keys = await generateCryptoKeyPair("RSASSA-PKCS1-v1_5");

federation
  .setActorDispatcher("/users/{identifier}", async (ctx, identifier) => {
    if (identifier !== "peer") return null;
    const [pair] = await ctx.getActorKeyPairs(identifier);
    return new Person({
      id: ctx.getActorUri(identifier),
      preferredUsername: identifier,
      name: "Fedify peer",
      inbox: ctx.getInboxUri(identifier),
      endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
      publicKey: pair.cryptographicKey,
    });
  })
  .setKeyPairsDispatcher(async (_ctx, identifier) => (identifier === "peer" ? [keys] : []));

federation
  .setInboxListeners("/users/{identifier}/inbox", "/inbox")
  .on(Accept, async (_ctx, accept) => emit({ event: "accept", actor: accept.actorId?.href }))
  .on(Create, async (_ctx, create) => {
    const object = await create.getObject();
    emit({ event: "create", actor: create.actorId?.href, object: await object?.toJsonLd() });
  });

const server = http.createServer(async (req, res) => {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const hasBody = !["GET", "HEAD"].includes(req.method);
  const request = new Request(origin + req.url, {
    method: req.method,
    headers: req.headers,
    body: hasBody ? Buffer.concat(chunks) : undefined,
  });
  const response = await federation.fetch(request, {
    contextData: undefined,
    onNotFound: () => new Response("Not found", { status: 404 }),
    onNotAcceptable: () => new Response("Not acceptable", { status: 406 }),
  });
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
});
await new Promise((resolve) => server.listen(Number(port), "127.0.0.1", resolve));

const ctx = federation.createContext(new URL(origin), undefined);
const webfinger = await lookupWebFinger(new URL(profile), { allowPrivateAddress: true });
const self = webfinger?.links?.find((link) => link.rel === "self");
const actor = await lookupObject(self.href, { documentLoader: ctx.documentLoader });
emit({
  event: "lookup",
  id: actor?.id?.href,
  type: actor?.constructor?.name,
  preferredUsername: actor?.preferredUsername,
});
await ctx.sendActivity(
  { identifier: "peer" },
  actor,
  new Follow({ id: new URL(`${origin}/follows/1`), actor: ctx.getActorUri("peer"), object: actor.id }),
);
emit({ event: "follow sent" });
