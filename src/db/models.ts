// The rows resolvers receive (codegen.ts maps the GraphQL types to these): Prisma's models, with
// the related rows a page's statement brought along under the GraphQL field's name. A field
// resolver returns those as they are (no promise, no loader) and asks its loader only when they
// are absent: as of an instant, on a record read alone, or when the request did not select them.
import type * as P from '../generated/prisma/client';

/** An actor's alias as the `aliases` loader reads it (src/graphql/loaders.ts). */
export type Alias = Pick<P.ActorAlias, 'id' | 'actorId' | 'alias'>;
export type Actor = P.Actor & { aliases?: Alias[] };
export type Participant = P.EventParticipant & { actor?: P.Actor };
export type Citation = P.Citation & { source?: P.Source };
export type Event = P.Event & { participants?: Participant[]; citations?: Citation[] };
export type Shipment = P.Shipment & { supplier?: P.Actor; recipient?: P.Actor };
export type Affiliation = P.Affiliation & { actor?: P.Actor; target?: P.Actor };
